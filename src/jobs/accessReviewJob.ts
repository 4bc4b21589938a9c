import { randomUUID } from "node:crypto";
import { remind, REVIEW_ERRORS } from "../domain/accessReview.js";
import {
  ACCESS_REVIEW_JOB,
  DEFAULT_REVIEW_EVERY_MONTHS,
  reviewItemsFor,
  SCHEDULER_ACTOR,
  startAccessReview,
  type ReviewStartPorts,
} from "../features/access-review/startReview.js";
import type { DueItem, JobOutcome, ScheduledJob } from "./scheduledJob.js";

/** A conflict (someone decided on the review meanwhile) is tried again this much later. */
const RETRY_AFTER_MS = 60_000;

/**
 * The access review's scheduled work (src/jobs/scheduledJob.ts): `review|<period>` starts the period's review for
 * the tenant (and schedules the next period's, whatever happens, so the chain never breaks); `remind|<review id>`
 * reminds the admins of a review still unfinished, once. Both are exactly-once in the tenant's partition: the
 * review is named by its period, and the reminder is recorded on the review it changes (ETag-conditional).
 */
export function accessReviewJob(ports: ReviewStartPorts, options: { everyMonths?: number } = {}): ScheduledJob {
  const everyMonths = options.everyMonths ?? DEFAULT_REVIEW_EVERY_MONTHS;
  return {
    name: ACCESS_REVIEW_JOB,
    async run(item: DueItem, now: Date): Promise<JobOutcome> {
      const [kind, subject] = splitKey(item.key);
      if (kind === "review") {
        const started = await startAccessReview(ports, item.tenantId, "scheduled", {
          now,
          actor: SCHEDULER_ACTOR,
          correlationId: `schedule-${item.key}`,
          everyMonths,
        });
        for (const next of reviewItemsFor(item.tenantId, now, undefined, everyMonths)) await ports.schedule.at(next);
        if (!started.ok) return { kind: "skipped", why: started.code };
        return started.value.started ? { kind: "done" } : { kind: "skipped", why: `review ${started.value.review.id} is open or done` };
      }
      if (kind === "remind") {
        const read = await ports.accessReviews.get(item.tenantId, subject);
        if (!read) return { kind: "skipped", why: `review ${subject} is gone` };
        const reminded = remind(read.value, {
          tenantId: item.tenantId,
          actor: SCHEDULER_ACTOR,
          now: now.toISOString(),
          correlationId: `schedule-${item.key}`,
          newId: () => randomUUID(),
        });
        if (!reminded.ok)
          return { kind: "skipped", why: reminded.code === REVIEW_ERRORS.alreadyReminded ? "already reminded" : reminded.code };
        const committed = await ports.decisions.commit(reminded.value.decision, [read]);
        if (committed.ok) return { kind: "done" };
        // Someone decided on the review meanwhile: it is read again, and reminded, a little later.
        return { kind: "retry", at: new Date(now.getTime() + RETRY_AFTER_MS).toISOString() };
      }
      return { kind: "skipped", why: `unknown key ${item.key}` };
    },
  };
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf("|");
  return at < 0 ? [key, ""] : [key.slice(0, at), key.slice(at + 1)];
}
