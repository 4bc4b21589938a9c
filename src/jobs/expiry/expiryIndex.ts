import type { Decision } from "../../domain/decision.js";
import { endMoments, expiryKey, LATE_LIMIT_DAYS, warningDueAt } from "../../domain/expiryWarning.js";
import type { Relationship } from "../../domain/relationship.js";
import type { DueItem } from "../scheduledJob.js";

export const EXPIRY_JOB = "expiryWarning";
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The due-index entries of a relationship's expiry warnings: one per end (the relationship's, and roles ending at
 * another time) and threshold. Ends already past the late limit get none; a relationship no longer in force none.
 */
export function expiryItems(r: Relationship, thresholds: readonly number[], now: Date): DueItem[] {
  return endMoments(r)
    .filter((m) => Date.parse(m.endsAt) + (LATE_LIMIT_DAYS + 1) * DAY_MS > now.getTime())
    .flatMap((m) =>
      thresholds.map((daysBefore) => ({
        job: EXPIRY_JOB,
        tenantId: r.tenantId,
        key: expiryKey({ partnerId: r.partnerId, endsAt: m.endsAt, daysBefore }),
        dueAt: warningDueAt(m.endsAt, daysBefore).toISOString(),
      })),
    );
}

/** The relationships a stored decision wrote: each gets its warnings (re)indexed after the commit. */
export const relationshipsWritten = (decision: Decision): Relationship[] =>
  decision.writes.flatMap((w) => (w.kind === "relationship" ? [w.value] : []));
