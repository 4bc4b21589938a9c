import type { TableEntity, TransactionAction } from "@azure/data-tables";
import type { EntityStore } from "./entityStore.js";
import { entitySize, TABLE_LIMITS } from "./limits.js";

/** Batches in flight at once: quick on Azurite and on the real service without a burst of hundreds of requests. */
const PARALLEL_BATCHES = 4;

/**
 * Upserts rows of one partition in entity group transactions (the whole directory shares one partition, so up to
 * 100 rows go in one round trip and land together or not at all), a few batches at a time. Every row is
 * turned into its entity first (schema-checked and within the Table service limits), so a row that could
 * not be stored stops before the first write, not in the middle. A failed batch stops the rest; the result says
 * how many were written before it.
 */
export async function upsertInBatches<T>(
  store: EntityStore<T>,
  values: readonly T[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ written: number; batches: number; failure?: { error: unknown } }> {
  const entities = values.map((value) => store.toEntity(value));
  const batches = toBatches(entities);
  const total = entities.length;
  let done = 0;
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (failure === undefined && next < batches.length) {
      const batch = batches[next++]!;
      try {
        await store.client.submitTransaction(batch.map((entity): TransactionAction => ["upsert", entity, "Replace"]));
      } catch (error) {
        failure ??= { error };
        return;
      }
      done += batch.length;
      onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  return failure ? { written: done, batches: batches.length, failure } : { written: done, batches: batches.length };
}

type Entity = TableEntity<Record<string, unknown>>;

/** At most 100 entities and 4 MiB per transaction (the service's limits); a little headroom for the envelope. */
function toBatches(entities: Entity[]): Entity[][] {
  const maxBytes = TABLE_LIMITS.batchBytes - 64 * 1024;
  const batches: Entity[][] = [];
  let current: Entity[] = [];
  let bytes = 0;
  for (const entity of entities) {
    const size = entitySize(entity);
    if (current.length > 0 && (current.length === TABLE_LIMITS.batchEntities || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entity);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
