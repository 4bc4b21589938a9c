import type { Decision } from "../../domain/decision.js";
import { endMoments, expiryKey, LATE_LIMIT_DAYS, mostUrgentDue, warningDueAt } from "../../domain/expiryWarning.js";
import type { Relationship } from "../../domain/relationship.js";
import type { DueItem } from "../scheduledJob.js";

export const EXPIRY_JOB = "expiryWarning";
const DAY_MS = 24 * 60 * 60 * 1000;

/** One warning's entry in the due index. */
export const expiryItem = (r: Pick<Relationship, "tenantId" | "partnerId">, endsAt: string, daysBefore: number): DueItem => ({
  job: EXPIRY_JOB,
  tenantId: r.tenantId,
  key: expiryKey({ partnerId: r.partnerId, endsAt, daysBefore }),
  dueAt: warningDueAt(endsAt, daysBefore).toISOString(),
});

/** The threshold whose warning comes due next after `now` (the largest not yet due), if any is left. */
export function nextThresholdAfter(endsAt: string, thresholds: readonly number[], now: Date): number | undefined {
  const later = thresholds.filter((t) => warningDueAt(endsAt, t).getTime() > now.getTime());
  return later.length > 0 ? Math.max(...later) : undefined;
}

/**
 * The due-index entries a relationship needs after a commit: one per end (the relationship's, and roles ending at
 * another time), never one per threshold. It is the most urgent warning already due (sent late, if it was not sent
 * yet) or else the next one to come; each warning's run indexes the one after it (ExpiryWarningJob), so a chain
 * per end carries the rest. One row on the user's turn instead of one per threshold; the sweep is the net for a
 * broken chain. Ends already past the late limit get none; a relationship no longer in force none.
 */
export function expiryItems(r: Relationship, thresholds: readonly number[], now: Date): DueItem[] {
  return endMoments(r)
    .filter((m) => Date.parse(m.endsAt) + (LATE_LIMIT_DAYS + 1) * DAY_MS > now.getTime())
    .flatMap((m) => {
      const head = mostUrgentDue(m.endsAt, thresholds, now) ?? nextThresholdAfter(m.endsAt, thresholds, now);
      return head === undefined ? [] : [expiryItem(r, m.endsAt, head)];
    });
}

/** The relationships a stored decision wrote: each gets its warnings (re)indexed after the commit. */
export const relationshipsWritten = (decision: Decision): Relationship[] =>
  decision.writes.flatMap((w) => (w.kind === "relationship" ? [w.value] : []));
