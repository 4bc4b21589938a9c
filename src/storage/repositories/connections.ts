import { odata, type TableClient } from "@azure/data-tables";
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
  /**
   * Every connected partner, in every partner tenant: the status sync's list of whom to read Graph for. A
   * cross-partition query (a scan of the tenant table's connection rows), acceptable for background work while
   * partners are few; issue 14 replaces it with an index of connected partners kept next to the data.
   */
  async listConnected(): Promise<PartnerConnection[]> {
    return (await this.store.listEverywhere(odata`status eq ${"connected"}`)).map((row) => row.value);
  }
}
