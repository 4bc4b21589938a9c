import type { TableClient } from "@azure/data-tables";
import { NotificationSchema, type Notification } from "../../domain/notification.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Notifications waiting for delivery, in the partition of the tenant whose change queued them: PK = tenant id, RK = outbox|<id>. */
export class OutboxRepository {
  readonly store: EntityStore<Notification>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "outbox",
      schema: NotificationSchema,
      keys: (n) => ({ partitionKey: n.tenantId, rowKey: `outbox|${n.id}` }),
    });
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Notification>>> {
    return this.store.listInPartition(tenantId);
  }
}
