import { endMoments, mostUrgentDue, warningDueAt } from "../../domain/expiryWarning.js";
import type { Relationship } from "../../domain/relationship.js";
import type { DueIndex } from "../ports.js";
import type { DueItem } from "../scheduledJob.js";
import { expiryItem } from "./expiryIndex.js";

export interface ExpirySweepDeps {
  relationships: { listInForce(): Promise<Relationship[]> };
  index: Pick<DueIndex, "atMany">;
  thresholds: readonly number[];
  /** Entries due up to this long after the sweep are written; later ones wait for a later sweep. */
  horizonMs: number;
}

/**
 * The safety net for a crash between a relationship's commit and its index write: every relationship in force is
 * read (a scan: hence at most once per SCHEDULE_SWEEP_HOURS, across instances), and the warnings it may still need
 * are indexed again: the most urgent one already due for each end (the others would be superseded), and those due
 * before the next sweep. Writing an entry that exists, or one whose warning was sent, costs an upsert and a marker
 * read; nothing is sent twice.
 */
export async function sweepExpiryIndex(deps: ExpirySweepDeps, now: Date): Promise<number> {
  const horizon = now.getTime() + deps.horizonMs;
  const items = (await deps.relationships.listInForce()).flatMap((r) => sweepItems(r, deps.thresholds, now, horizon));
  await deps.index.atMany(items, now);
  return items.length;
}

function sweepItems(r: Relationship, thresholds: readonly number[], now: Date, horizon: number): DueItem[] {
  return endMoments(r).flatMap((m) => {
    const urgent = mostUrgentDue(m.endsAt, thresholds, now);
    const wanted = thresholds.filter(
      (t) => t === urgent || (warningDueAt(m.endsAt, t).getTime() > now.getTime() && warningDueAt(m.endsAt, t).getTime() <= horizon),
    );
    return wanted.map((daysBefore) => expiryItem(r, m.endsAt, daysBefore));
  });
}
