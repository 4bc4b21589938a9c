import type { TableClient } from "@azure/data-tables";
import { RelationshipSchema, type Relationship } from "../../domain/relationship.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** One row per customer tenant x partner: PK = tenant id, RK = rel|<partner id>. */
export class RelationshipRepository {
  readonly store: EntityStore<Relationship>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "rel",
      schema: RelationshipSchema,
      keys: (r) => ({ partitionKey: r.tenantId, rowKey: `rel|${r.partnerId}` }),
    });
  }
  get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(partnerId));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Relationship>>> {
    return this.store.listInPartition(tenantId);
  }
}
