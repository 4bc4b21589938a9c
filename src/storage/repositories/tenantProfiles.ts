import type { TableClient } from "@azure/data-tables";
import { TenantProfileSchema, type TenantProfile } from "../../domain/tenantProfile.js";
import { EntityStore } from "../entityStore.js";

/** One row per customer tenant, in its own partition: PK = tenant id, RK = profile|name. */
export class TenantProfileRepository {
  readonly store: EntityStore<TenantProfile>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "profile",
      schema: TenantProfileSchema,
      keys: (p) => ({ partitionKey: p.tenantId, rowKey: "profile|name" }),
    });
  }
  async displayName(tenantId: string): Promise<string | undefined> {
    return (await this.store.get(tenantId, "profile|name"))?.value.displayName;
  }
  save(profile: TenantProfile): Promise<void> {
    return this.store.upsert(profile);
  }
}
