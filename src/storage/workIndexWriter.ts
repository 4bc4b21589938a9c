import type { Decision, Write } from "../domain/decision.js";
import { pointersOfWrites } from "../domain/workIndex.js";
import type { WorkIndexRepository } from "./repositories/workIndex.js";

/** What the decision store knows of a commit beyond the decision: which of its rows were new. */
export interface CommitInfo {
  created(w: Write): boolean;
}

/**
 * Keeps the work indexes after writes: awaited after a stored commit (and after the seeder's writes), never part of
 * them. A failed index write is reported to `onFailure` (logged), never the decision's failure: the periodic
 * sweep (src/storage/sweeps/workIndexSweep.ts) writes the pointer again.
 */
export function workIndexWriter(index: Pick<WorkIndexRepository, "record">, onFailure: (error: unknown, tenantId: string) => void) {
  const write = async (tenantId: string, writes: readonly Write[], created: (w: Write) => boolean) => {
    const pointers = pointersOfWrites(writes, created);
    if (pointers.partnerWork.length === 0 && pointers.sync.length === 0) return;
    try {
      await index.record(pointers);
    } catch (error) {
      onFailure(error, tenantId);
    }
  };
  return {
    afterCommit: (decision: Decision, info: CommitInfo) => write(decision.tenantId, decision.writes, (w) => info.created(w)),
    /** The seeder's rows (demo data, test scenes): each indexed as if new (pointers are idempotent). */
    afterSeed: (writes: readonly Write[]) => write("(seeded rows)", writes, () => true),
  };
}
