import type { TableClient } from "@azure/data-tables";
import type { PartnerConnection } from "../../domain/partnerConnection.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** One row per partner, in the partner's own tenant: PK = partner tenant id, RK = conn|<partner id>. */
export class ConnectionRepository {
  private readonly store: EntityStore<PartnerConnection>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.connection);
  }
  get(partnerTenantId: string, partnerId: string): Promise<Versioned<PartnerConnection> | undefined> {
    return this.store.get(partnerTenantId, this.store.rowKey(partnerId));
  }
}
