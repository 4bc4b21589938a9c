import { randomUUID } from "node:crypto";
import type { Decision } from "../../domain/decision.js";
import { expiryWarningDecision, PARTNER_DESK_SCHEDULER } from "../../domain/expiryDecisions.js";
import {
  endMoments,
  mostUrgentDue,
  parseExpiryKey,
  utcDay,
  warningDueAt,
  type EndMoment,
  type LetItEnd,
} from "../../domain/expiryWarning.js";
import type { Relationship } from "../../domain/relationship.js";
import type { Result } from "../../domain/result.js";
import type { Versioned } from "../../domain/versioned.js";
import type { DueItem, JobOutcome, ScheduledJob } from "../scheduledJob.js";
import type { DueIndex } from "../ports.js";
import { EXPIRY_JOB, expiryItem, nextThresholdAfter } from "./expiryIndex.js";

export interface ExpiryJobDeps {
  relationships: { get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined> };
  expiryWarnings: {
    /** The admins' "Let it end" for this end, if one of them chose it. */
    letItEnd(tenantId: string, partnerId: string, endsAt: string): Promise<Versioned<LetItEnd> | undefined>;
  };
  decisions: { commit(decision: Decision): Promise<Result<{ etags: string[] }>> };
  /** Where the next warning of the same end is indexed, once this one has run (the chain per end). */
  schedule: Pick<DueIndex, "at">;
  /** The days before an end the warnings go out (EXPIRY_WARNING_DAYS). */
  thresholds: readonly number[];
}

/**
 * Sends one expiry warning when its entry comes due: only if the relationship still ends then (renewed or extended,
 * the old end gets nothing), only the most urgent of the warnings already due (a late run sends one card, worded for
 * the day it is sent), and only once: the marker row is created in the same decision as the two outbox rows, so
 * a second instance (or a second entry for the same warning) conflicts and sends nothing. Then it indexes the next
 * warning of that end: a commit indexes only the head of each end's chain (expiryItems).
 */
export class ExpiryWarningJob implements ScheduledJob {
  readonly name = EXPIRY_JOB;

  constructor(private readonly deps: ExpiryJobDeps) {}

  async run(item: DueItem, now: Date): Promise<JobOutcome> {
    const key = parseExpiryKey(item.key);
    if (!key) return { kind: "skipped", why: `unreadable key ${item.key}` };
    const read = await this.deps.relationships.get(item.tenantId, key.partnerId);
    if (!read) return { kind: "skipped", why: "the relationship is gone" };
    const moment = endMoments(read.value).find((m) => Date.parse(m.endsAt) === Date.parse(key.endsAt));
    // The commit that moved the end indexed the new end's chain; this one ends here.
    if (!moment) return { kind: "skipped", why: "the end moved (renewed or extended) or the relationship ended otherwise" };
    const outcome = await this.warn(read.value, moment, key.daysBefore, now);
    if (outcome.kind !== "retry") {
      // Before the entry leaves the index (the scheduler removes it after this returns): a failure here fails the
      // run, the entry stays, and the next pass (its marker now conflicting) indexes the next warning again.
      const next = nextThresholdAfter(moment.endsAt, this.deps.thresholds, now);
      if (next !== undefined) await this.deps.schedule.at(expiryItem(read.value, moment.endsAt, next), now);
    }
    return outcome;
  }

  private async warn(r: Relationship, moment: EndMoment, daysBefore: number, now: Date): Promise<JobOutcome> {
    const configured = this.deps.thresholds.includes(daysBefore);
    const dueAt = warningDueAt(moment.endsAt, daysBefore);
    if (configured && dueAt.getTime() > now.getTime()) return { kind: "retry", at: dueAt.toISOString() };
    // The most urgent warning due now is the one sent, whichever entry came due: a run after days down sends one
    // late card (not the 30-day one), and an entry of a threshold no longer configured still leads to the right one.
    const urgent = mostUrgentDue(moment.endsAt, this.deps.thresholds, now);
    if (urgent === undefined) return { kind: "skipped", why: configured ? "too late to warn" : "threshold no longer configured" };
    const late = utcDay(now) > utcDay(warningDueAt(moment.endsAt, urgent));
    const letEnd = await this.deps.expiryWarnings.letItEnd(r.tenantId, r.partnerId, moment.endsAt);
    const decision = expiryWarningDecision(
      r,
      moment,
      { daysBefore: urgent, late },
      {
        tenantId: r.tenantId,
        actor: PARTNER_DESK_SCHEDULER,
        now: now.toISOString(),
        correlationId: `expiry-${randomUUID()}`,
        newId: () => randomUUID(),
      },
      { adminsLetItEnd: letEnd !== undefined },
    );
    // No read of the marker first: creating it is the check (a warning already sent conflicts and writes nothing),
    // so the common case costs one request less.
    const committed = await this.deps.decisions.commit(decision);
    return committed.ok ? { kind: "done" } : { kind: "skipped", why: "already sent" };
  }
}
