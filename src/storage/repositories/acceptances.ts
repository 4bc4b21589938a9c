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
  /** One acceptance (a partner's notification card re-reads what it shows). */
  get(tenantId: string, id: string): Promise<Versioned<Acceptance> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Acceptance>>> {
    return this.store.listInPartition(tenantId);
  }
}
