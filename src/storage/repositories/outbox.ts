import { odata, type TableClient } from "@azure/data-tables";
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
  get(tenantId: string, id: string): Promise<Versioned<Notification> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  /** Every notification still to deliver, in every tenant, oldest first. */
  async listPending(): Promise<Array<Versioned<Notification>>> {
    const rows = await this.store.listEverywhere(odata`status eq ${"pending"}`);
    // ISO timestamps sort as plain strings; localeCompare would build a collation per comparison.
    return rows.sort((a, b) => (a.value.createdAt < b.value.createdAt ? -1 : a.value.createdAt > b.value.createdAt ? 1 : 0));
  }
  async listDead(): Promise<Array<Versioned<Notification>>> {
    return this.store.listEverywhere(odata`status eq ${"dead"}`);
  }
  update(notification: Notification, etag: string): Promise<Versioned<Notification>> {
    return this.store.update(notification, etag);
  }
}
