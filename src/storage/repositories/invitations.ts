import type { TableClient } from "@azure/data-tables";
import { InvitationSchema, type Invitation } from "../../domain/invitation.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Invitations live in their customer tenant's partition: PK = tenant id, RK = inv|<id>. */
export class InvitationRepository {
  readonly store: EntityStore<Invitation>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "inv",
      schema: InvitationSchema,
      keys: (i) => ({ partitionKey: i.tenantId, rowKey: `inv|${i.id}` }),
    });
  }
  get(tenantId: string, id: string): Promise<Versioned<Invitation> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Invitation>>> {
    return this.store.listInPartition(tenantId);
  }
  async listPending(tenantId: string): Promise<Array<Versioned<Invitation>>> {
    return (await this.listForTenant(tenantId)).filter((i) => i.value.status === "pending");
  }
}
