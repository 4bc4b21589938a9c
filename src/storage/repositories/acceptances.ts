import type { TableClient } from "@azure/data-tables";
import { AcceptanceSchema, type Acceptance } from "../../domain/agreement.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Who accepted which agreement version for the tenant: PK = tenant id, RK = acc|<id>. Append-only. */
export class AcceptanceRepository {
  readonly store: EntityStore<Acceptance>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "acc",
      schema: AcceptanceSchema,
      keys: (a) => ({ partitionKey: a.tenantId, rowKey: `acc|${a.id}` }),
    });
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Acceptance>>> {
    return this.store.listInPartition(tenantId);
  }
}
