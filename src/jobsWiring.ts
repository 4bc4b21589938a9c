import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Decision } from "./domain/decision.js";
import type { Relationship } from "./domain/relationship.js";
import type { Clock } from "./domain/time.js";
import { reviewItemsFor } from "./features/access-review/startReview.js";
import { accessReviewJob } from "./jobs/accessReviewJob.js";
import { ExpiryWarningJob } from "./jobs/expiry/expiryJob.js";
import { expiryItems, relationshipsWritten } from "./jobs/expiry/expiryIndex.js";
import { sweepExpiryIndex } from "./jobs/expiry/expirySweep.js";
import { IndexSweeper, INDEX_SWEEPER_DEFAULTS, type IndexSweeperOptions } from "./jobs/indexSweeper.js";
import { Scheduler, SCHEDULER_DEFAULTS, type SchedulerOptions } from "./jobs/scheduler.js";
import type { Storage } from "./storage/index.js";

/*
 * The composition root's scheduler part: the scheduler (src/jobs/scheduler.ts) with its jobs, and the index writes
 * that follow a commit. Tests and the storage-count test build them the same way.
 */

export interface JobsWiring {
  storage: Pick<Storage, "schedule" | "relationships" | "expiryWarnings" | "decisions" | "accessReviews" | "sweeps">;
  clock: Clock;
  logger: Logger;
}

/** The scheduler as the app runs it, `options` overriding the configured cadence (tests: a named owner, no timer). */
export function createScheduler(config: Pick<Config, "schedule">, wiring: JobsWiring, options: Partial<SchedulerOptions> = {}): Scheduler {
  const { storage } = wiring;
  const thresholds = config.schedule.expiryWarningDays;
  const sweepIntervalMs = options.sweepIntervalMs ?? config.schedule.sweepIntervalMs;
  return new Scheduler(
    {
      index: storage.schedule,
      state: storage.schedule,
      jobs: [
        new ExpiryWarningJob({ ...storage, schedule: storage.schedule, thresholds }),
        accessReviewJob(
          {
            relationships: storage.relationships,
            accessReviews: storage.accessReviews,
            decisions: storage.decisions,
            schedule: { at: (item) => storage.schedule.at(item, wiring.clock.now()) },
          },
          { everyMonths: config.schedule.accessReviewEveryMonths },
        ),
      ],
      clock: wiring.clock,
      logger: wiring.logger,
      sweep: (now) =>
        sweepExpiryIndex(
          {
            relationships: { listInForce: () => storage.sweeps.relationshipsInForce() },
            index: storage.schedule,
            thresholds,
            horizonMs: sweepIntervalMs,
          },
          now,
        ),
    },
    {
      ...SCHEDULER_DEFAULTS,
      owner: Scheduler.ownerId(),
      intervalMs: config.schedule.intervalMs,
      leaseMs: config.schedule.leaseMs,
      sweepIntervalMs,
      ...options,
    },
  );
}

/**
 * The work-index sweep as the app runs it (INDEX_SWEEP_HOURS): the safety net for a pointer lost between a commit and
 * its index write, and the indexing of rows stored before the index existed (at the first start of this version).
 */
export function createIndexSweeper(
  config: Pick<Config, "schedule">,
  wiring: Pick<JobsWiring, "clock" | "logger"> & { storage: Pick<Storage, "schedule" | "sweeps"> },
  options: Partial<IndexSweeperOptions> = {},
): IndexSweeper {
  return new IndexSweeper(
    { state: wiring.storage.schedule, sweep: () => wiring.storage.sweeps.workIndexes(), clock: wiring.clock, logger: wiring.logger },
    { ...INDEX_SWEEPER_DEFAULTS, owner: IndexSweeper.ownerId(), sweepIntervalMs: config.schedule.indexSweepIntervalMs, ...options },
  );
}

/**
 * Indexes what a relationship makes due: its expiry warnings, and, while a partner holds admin roles, the tenant's
 * next access review (every ACCESS_REVIEW_MONTHS). After every stored decision that wrote one (created, accepted,
 * changed, followed from Microsoft), and for the demo seed. One place, in parallel, after the commit: a failed index
 * write is logged, never the decision's failure (the sweep indexes expiry warnings again).
 */
export function expiryIndexer(
  config: Pick<Config, "schedule">,
  wiring: Pick<JobsWiring, "clock" | "logger"> & { storage: Pick<Storage, "schedule"> },
) {
  const index = async (relationships: readonly Relationship[]) => {
    const now = wiring.clock.now();
    try {
      // At once: the user whose decision wrote the relationship waits for these (different partitions, no batch).
      const items = relationships.flatMap((r) => [
        ...expiryItems(r, config.schedule.expiryWarningDays, now),
        // The next period's review only (an idempotent upsert; each review schedules the one after it).
        ...(r.status === "active" && r.roles.length > 0
          ? reviewItemsFor(r.tenantId, now, undefined, config.schedule.accessReviewEveryMonths)
          : []),
      ]);
      await Promise.all(items.map((item) => wiring.storage.schedule.at(item, now)));
    } catch (error) {
      wiring.logger.error({ err: error }, "scheduler: an expiry warning could not be indexed; the next sweep indexes it");
    }
  };
  return {
    afterCommit: (decision: Decision) => index(relationshipsWritten(decision)),
    indexRelationships: index,
  };
}
