import type { TableClient } from "@azure/data-tables";
import type { Acceptance } from "../../domain/agreement.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Who accepted which agreement version for the tenant: PK = tenant id, RK = acc|<id>. Append-only. */
export class AcceptanceRepository {
  private readonly store: EntityStore<Acceptance>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.acceptance);
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Acceptance>>> {
    return this.store.listInPartition(tenantId);
  }
}
