import type { EntityStore, Versioned } from "../entityStore.js";

/**
 * The one door to a query across every partition of a table (on Azure Tables a scan whose cost grows with all the
 * history stored). Only the periodic sweeps in this folder go through it, each at most once per its interval across
 * instances; test/unit/no-scans.test.ts fails if any other module calls `listEverywhere`. Steady-state readers name a
 * partition: they find their rows through an index (src/domain/workIndex.ts, the scheduler's due index).
 */
export function scanEveryPartition<T>(store: EntityStore<T>, filter?: string): Promise<Array<Versioned<T>>> {
  return store.listEverywhere(filter);
}
