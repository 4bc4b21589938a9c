import type { TableClient } from "@azure/data-tables";
import type { Write } from "../domain/decision.js";
import type { Versioned } from "../domain/versioned.js";
import { EntityStore, PartitionTransaction, type RowMapping } from "./entityStore.js";
import { TABLE_LIMITS } from "./limits.js";
import { ROWS } from "./rowMappings.js";

/**
 * Rows written without a business decision behind them: the demo's data, and tests that set the scene (or play
 * "someone else changed it meanwhile"). Never used on a user's turn: decisions go through DecisionStore.
 */
export class Seeder {
  /** @param afterWrite awaited after rows were written (their work-index pointers); it never throws. */
  constructor(
    private readonly tenantTable: TableClient,
    private readonly afterWrite: (writes: readonly Write[]) => Promise<void> = async () => undefined,
  ) {}

  /** A new row; one that exists already is a StorageConflictError. */
  async create(w: Write): Promise<Versioned<unknown>> {
    const stored = await this.storeOf(w).create(w.value);
    await this.afterWrite([w]);
    return stored;
  }

  /** Replaces the row if its ETag still matches; otherwise StorageConflictError. */
  async update(w: Write, etag: string): Promise<Versioned<unknown>> {
    const stored = await this.storeOf(w).update(w.value, etag);
    await this.afterWrite([w]);
    return stored;
  }

  /** Many new rows, 100 per entity group transaction per tenant: a large scene set in few round trips. */
  async createAll(writes: readonly Write[]): Promise<void> {
    const byTenant = new Map<string, Write[]>();
    for (const w of writes) {
      // The row's own partition (a customer's tenant, or a partner's for its connection), as the mapping keys it.
      const partition = this.storeOf(w).mapping.keys(w.value).partitionKey;
      byTenant.set(partition, [...(byTenant.get(partition) ?? []), w]);
    }
    for (const [tenantId, rows] of byTenant) {
      for (let i = 0; i < rows.length; i += TABLE_LIMITS.batchEntities) {
        const tx = new PartitionTransaction(this.tenantTable, tenantId);
        for (const w of rows.slice(i, i + TABLE_LIMITS.batchEntities)) tx.create(this.storeOf(w), w.value);
        await tx.commit();
      }
    }
    await this.afterWrite(writes);
  }

  /** Creates or replaces, whatever is there. */
  async upsert(w: Write): Promise<void> {
    await this.storeOf(w).upsert(w.value);
    await this.afterWrite([w]);
  }

  /** Removes the row of this value if its ETag still matches (the demo's reset); otherwise StorageConflictError. */
  delete(w: Write, etag: string): Promise<void> {
    const store = this.storeOf(w);
    return store.delete(store.mapping.keys(w.value), etag);
  }

  private storeOf(w: Write): EntityStore<Write["value"]> {
    // The mapping of a kind stores values of that kind; TypeScript cannot follow the pairing through the index.
    const mapping = ROWS[w.kind] as RowMapping<Write["value"]>;
    return new EntityStore(this.tenantTable, mapping);
  }
}
