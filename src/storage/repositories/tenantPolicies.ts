import type { TableClient } from "@azure/data-tables";
import type { TenantPolicy } from "../../domain/tenantPolicy.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** One row per customer tenant, in its own partition: PK = tenant id, RK = policy|tenant. Written only by decisions. */
export class TenantPolicyRepository {
  private readonly store: EntityStore<TenantPolicy>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.tenantPolicy);
  }
  get(tenantId: string): Promise<Versioned<TenantPolicy> | undefined> {
    return this.store.get(tenantId, "policy|tenant");
  }
}
