import { randomUUID } from "node:crypto";
import { REMINDER_AFTER_DAYS, REVIEW_ERRORS, startReview, type AccessReview, type ReviewTrigger } from "../../domain/accessReview.js";
import { DECISION_ERRORS } from "../../domain/decision.js";
import type { DecisionContext } from "../../domain/decisionRows.js";
import { fail, ok, type Result } from "../../domain/result.js";
import { addDays } from "../../domain/time.js";
import type { DueItem } from "../../jobs/scheduledJob.js";
import type { Ports } from "../ports.js";

/** The scheduled job's name: its due items' RowKeys start with it. */
export const ACCESS_REVIEW_JOB = "accessReview";
/** Reviews run every quarter unless configured otherwise. */
export const DEFAULT_REVIEW_EVERY_MONTHS = 3;

/** Who starts a review: an admin on demand, or Partner Desk itself on the schedule. */
export const SCHEDULER_ACTOR = { userId: "partner-desk", name: "Partner Desk" } as const;

export type ReviewStartPorts = Pick<Ports, "relationships" | "accessReviews" | "decisions" | "schedule">;

export interface ReviewStartBy {
  now: Date;
  actor: { userId: string; name: string };
  correlationId: string;
  /** Months between scheduled reviews (3: every quarter). */
  everyMonths?: number;
}

/** The review that is open now (at most one is), or the one that was just started. */
export interface ReviewStart {
  review: AccessReview;
  started: boolean;
}

/** The first day (UTC) of the review period `at` falls in, "YYYY-MM": the name of that period's scheduled review. */
export function periodOf(at: Date, everyMonths = DEFAULT_REVIEW_EVERY_MONTHS): string {
  const month = Math.floor(at.getUTCMonth() / everyMonths) * everyMonths;
  return `${at.getUTCFullYear()}-${String(month + 1).padStart(2, "0")}`;
}

/** The first moment of the next period: when the next scheduled review is due. */
export function nextPeriodStart(at: Date, everyMonths = DEFAULT_REVIEW_EVERY_MONTHS): Date {
  const month = Math.floor(at.getUTCMonth() / everyMonths) * everyMonths + everyMonths;
  return new Date(Date.UTC(at.getUTCFullYear(), month, 1));
}

/**
 * What to put on the schedule for a tenant: the next period's review, and, for a review just started and not yet
 * reminded, its reminder 14 days later. Keys are stable, so scheduling the same thing twice is one row.
 */
export function reviewItemsFor(tenantId: string, now: Date, started?: AccessReview, everyMonths = DEFAULT_REVIEW_EVERY_MONTHS): DueItem[] {
  const next = nextPeriodStart(now, everyMonths);
  const items: DueItem[] = [{ job: ACCESS_REVIEW_JOB, tenantId, key: `review|${periodOf(next, everyMonths)}`, dueAt: next.toISOString() }];
  if (started && started.status === "open" && !started.remindedAt)
    items.push({
      job: ACCESS_REVIEW_JOB,
      tenantId,
      key: `remind|${started.id}`,
      dueAt: addDays(started.startedAt, REMINDER_AFTER_DAYS),
    });
  return items;
}

/**
 * Starts the tenant's access review, unless one is open already (then that one is the answer: admins work on one
 * review at a time). A scheduled review is named by its period, so two instances running the same due item start
 * it once (the second commit conflicts and finds the first one's). What it makes due is scheduled after the commit.
 */
export async function startAccessReview(
  ports: ReviewStartPorts,
  tenantId: string,
  trigger: ReviewTrigger,
  by: ReviewStartBy,
): Promise<Result<ReviewStart>> {
  const everyMonths = by.everyMonths ?? DEFAULT_REVIEW_EVERY_MONTHS;
  const [reviews, relationships] = await Promise.all([
    ports.accessReviews.listForTenant(tenantId),
    ports.relationships.listForTenant(tenantId),
  ]);
  const open = reviews.find((r) => r.value.status === "open");
  if (open) return ok({ review: open.value, started: false });
  const id =
    trigger === "scheduled" ? `review-${periodOf(by.now, everyMonths)}` : `review-${compactTime(by.now)}-${randomUUID().slice(0, 8)}`;
  const already = reviews.find((r) => r.value.id === id);
  if (already) return ok({ review: already.value, started: false });
  const ctx: DecisionContext = {
    tenantId,
    actor: by.actor,
    now: by.now.toISOString(),
    correlationId: by.correlationId,
    newId: () => randomUUID(),
  };
  const planned = startReview(
    relationships.map((r) => r.value),
    ctx,
    { id, trigger },
  );
  if (!planned.ok) return planned;
  const committed = await ports.decisions.commit(planned.value.decision, []);
  if (!committed.ok) {
    if (committed.code !== DECISION_ERRORS.conflict) return committed;
    // Someone else started it meanwhile: theirs is the review.
    const theirs = await ports.accessReviews.get(tenantId, id);
    return theirs ? ok({ review: theirs.value, started: false }) : fail(REVIEW_ERRORS.notOpen, "the review could not be started");
  }
  for (const item of reviewItemsFor(tenantId, by.now, planned.value.review, everyMonths)) await ports.schedule.at(item);
  return ok({ review: planned.value.review, started: true });
}

const compactTime = (at: Date): string => at.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");
