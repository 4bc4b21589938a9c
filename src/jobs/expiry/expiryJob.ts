import { randomUUID } from "node:crypto";
import type { Decision } from "../../domain/decision.js";
import { expiryWarningDecision, PARTNER_DESK_SCHEDULER } from "../../domain/expiryDecisions.js";
import { endMoments, mostUrgentDue, parseExpiryKey, utcDay, warningDueAt, type LetItEnd } from "../../domain/expiryWarning.js";
import type { Relationship } from "../../domain/relationship.js";
import type { Result } from "../../domain/result.js";
import type { Versioned } from "../../domain/versioned.js";
import type { DueItem, JobOutcome, ScheduledJob } from "../scheduledJob.js";
import { EXPIRY_JOB } from "./expiryIndex.js";

export interface ExpiryJobDeps {
  relationships: { get(tenantId: string, partnerId: string): Promise<Versioned<Relationship> | undefined> };
  expiryWarnings: {
    /** The admins' "Let it end" for this end, if one of them chose it. */
    letItEnd(tenantId: string, partnerId: string, endsAt: string): Promise<Versioned<LetItEnd> | undefined>;
  };
  decisions: { commit(decision: Decision): Promise<Result<{ etags: string[] }>> };
  /** The days before an end the warnings go out (EXPIRY_WARNING_DAYS). */
  thresholds: readonly number[];
}

/**
 * Sends one expiry warning when its entry comes due: only if the relationship still ends then (renewed or extended,
 * the old end gets nothing), only the most urgent of the warnings already due (a late run sends one card, worded for
 * the day it is sent), and only once: the marker row is created in the same decision as the two outbox rows, so
 * a second instance (or a second entry for the same warning) conflicts and sends nothing.
 */
export class ExpiryWarningJob implements ScheduledJob {
  readonly name = EXPIRY_JOB;

  constructor(private readonly deps: ExpiryJobDeps) {}

  async run(item: DueItem, now: Date): Promise<JobOutcome> {
    const key = parseExpiryKey(item.key);
    if (!key) return { kind: "skipped", why: `unreadable key ${item.key}` };
    if (!this.deps.thresholds.includes(key.daysBefore)) return { kind: "skipped", why: "threshold no longer configured" };
    const read = await this.deps.relationships.get(item.tenantId, key.partnerId);
    if (!read) return { kind: "skipped", why: "the relationship is gone" };
    const moment = endMoments(read.value).find((m) => Date.parse(m.endsAt) === Date.parse(key.endsAt));
    if (!moment) return { kind: "skipped", why: "the end moved (renewed or extended) or the relationship ended otherwise" };
    const dueAt = warningDueAt(moment.endsAt, key.daysBefore);
    if (dueAt.getTime() > now.getTime()) return { kind: "retry", at: dueAt.toISOString() };
    const urgent = mostUrgentDue(moment.endsAt, this.deps.thresholds, now);
    if (urgent === undefined) return { kind: "skipped", why: "too late to warn" };
    if (urgent < key.daysBefore) return { kind: "skipped", why: `superseded by the ${urgent}-day warning` };
    const late = utcDay(now) > utcDay(dueAt);
    const letEnd = await this.deps.expiryWarnings.letItEnd(item.tenantId, key.partnerId, moment.endsAt);
    const decision = expiryWarningDecision(
      read.value,
      moment,
      { daysBefore: key.daysBefore, late },
      {
        tenantId: item.tenantId,
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
