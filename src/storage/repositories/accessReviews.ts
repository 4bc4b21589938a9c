import type { TableClient } from "@azure/data-tables";
import type { AccessReview } from "../../domain/accessReview.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** A customer tenant's access reviews: PK = tenant id, RK = review|<id>; a tenant has a few a year. */
export class AccessReviewRepository {
  private readonly store: EntityStore<AccessReview>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.accessReview);
  }
  get(tenantId: string, id: string): Promise<Versioned<AccessReview> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<AccessReview>>> {
    return this.store.listInPartition(tenantId);
  }
}
