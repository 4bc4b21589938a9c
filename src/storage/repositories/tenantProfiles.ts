import type { TableClient } from "@azure/data-tables";
import type { TenantProfile } from "../../domain/tenantProfile.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore } from "../entityStore.js";

/** One row per customer tenant, in its own partition: PK = tenant id, RK = profile|name. */
export class TenantProfileRepository {
  private readonly store: EntityStore<TenantProfile>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.tenantProfile);
  }
  async displayName(tenantId: string): Promise<string | undefined> {
    return (await this.store.get(tenantId, "profile|name"))?.value.displayName;
  }
  save(profile: TenantProfile): Promise<void> {
    return this.store.upsert(profile);
  }
}
