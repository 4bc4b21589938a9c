import type { TableClient } from "@azure/data-tables";
import type { Relationship } from "../../domain/relationship.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** One row per customer tenant x partner: PK = tenant id, RK = rel|<partner id>. */
export class RelationshipRepository {
  private readonly store: EntityStore<Relationship>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.relationship);
  }
  get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(partnerId));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Relationship>>> {
    return this.store.listInPartition(tenantId);
  }
}
