import type { TableClient } from "@azure/data-tables";
import type { Invitation } from "../../domain/invitation.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Invitations live in their customer tenant's partition: PK = tenant id, RK = inv|<id>. */
export class InvitationRepository {
  private readonly store: EntityStore<Invitation>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.invitation);
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
