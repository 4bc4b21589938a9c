import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { StorageOutageBackoff } from "../storage/outageBackoff.js";
import { utcDay } from "../domain/expiryWarning.js";
import type { ScheduleEntry, SchedulerState } from "../domain/schedule.js";
import type { Clock } from "../domain/time.js";
import type { Versioned } from "../domain/versioned.js";
import type { DueIndex, SchedulerStateStore } from "./ports.js";
import type { JobOutcome, ScheduledJob } from "./scheduledJob.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const nextDay = (day: string): string => utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS));
const previousDay = (day: string): string => utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS));

export interface SchedulerDeps {
  index: DueIndex;
  state: SchedulerStateStore;
  jobs: readonly ScheduledJob[];
  clock: Clock;
  logger: Logger;
  /**
   * The safety net for a crash between a commit and its index write: re-indexes what may have been missed, and
   * resolves to how many entries it wrote. It may scan, so it runs at most once per `sweepIntervalMs` across all
   * instances (the time of the last sweep is kept in the lease row).
   */
  sweep?: (now: Date) => Promise<number>;
}

export interface SchedulerOptions {
  /** The lease row's name: one runner per name across all instances. */
  name: string;
  /** This instance, as the lease names it. */
  owner: string;
  /** Between passes (real time: only the cadence; what is due is decided by the clock). 0: only `runNow()`. */
  intervalMs: number;
  /** How long a lease keeps other instances away; renewed while a pass runs, taken over after a crash. */
  leaseMs: number;
  /** At most one sweep per this long; 0: never. */
  sweepIntervalMs: number;
  /** A day counts as completed only this long after it ended, so an index write racing midnight is not skipped. */
  settleMs: number;
}

export const SCHEDULER_DEFAULTS: Omit<SchedulerOptions, "owner"> = {
  name: "scheduler",
  intervalMs: 300_000,
  leaseMs: 120_000,
  sweepIntervalMs: 24 * 60 * 60 * 1000,
  settleMs: 15 * 60 * 1000,
};

/** The lease this pass holds and the progress it has made, renewed as it goes. */
interface Held {
  lease: Versioned<SchedulerState>;
  progress: SchedulerState;
}

export type PassReport =
  | { kind: "leasedByOther"; owner: string | undefined }
  | { kind: "ran"; days: string[]; done: number; skipped: number; retried: number; failed: number; swept: number | undefined };

/**
 * Runs scheduled jobs from the bot process, beside the outbox. Each pass takes the lease (an ETag-conditional write
 * of the runner's row; whoever loses waits for the next pass), reads the due index day by day, from the day after
 * the last completed one up to today (a day missed while the bot was down still runs), and hands every due entry
 * to its job. A finished entry leaves the index; a day whose entries are all finished is completed and never read
 * again. The lease only saves duplicate work: each job's effect is made once by its own marker row.
 */
export class Scheduler {
  private readonly jobs: ReadonlyMap<string, ScheduledJob>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassReport> | undefined;
  private stopped = true;

  private readonly outage: StorageOutageBackoff;

  constructor(
    private readonly deps: SchedulerDeps,
    private readonly options: SchedulerOptions,
  ) {
    this.jobs = new Map(deps.jobs.map((job) => [job.name, job]));
    this.outage = new StorageOutageBackoff(deps.logger, "scheduler");
  }

  static ownerId(): string {
    return `scheduler-${randomUUID()}`;
  }

  start(): void {
    if (!this.stopped || this.options.intervalMs <= 0) return;
    this.stopped = false;
    // The first pass after one interval, not at start: a restart loop does not hammer the lease row.
    this.plan(this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now (a test's tick, or the timer's); a pass already under way in this instance is shared. */
  runNow(): Promise<PassReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private plan(delayMs: number): void {
    this.timer = setTimeout(() => {
      let failure: unknown;
      this.runNow()
        .catch((error: unknown) => (failure = error ?? new Error("scheduler pass failed")))
        .finally(() => {
          const waitMs = this.outage.after(failure, this.options.intervalMs);
          if (waitMs === undefined) this.deps.logger.error({ err: failure }, "scheduler: the pass failed; the next one tries again");
          if (!this.stopped) this.plan(waitMs ?? this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<PassReport> {
    const { clock, state } = this.deps;
    const now = clock.now();
    const read = await state.getState(this.options.name);
    const holder = read?.value;
    if (holder?.owner && holder.owner !== this.options.owner && holder.until && Date.parse(holder.until) > now.getTime())
      return { kind: "leasedByOther", owner: holder.owner };
    const lease = await state.saveState(this.leased(holder, now), read);
    if (!lease) return { kind: "leasedByOther", owner: undefined };

    const report = {
      kind: "ran" as const,
      days: [] as string[],
      done: 0,
      skipped: 0,
      retried: 0,
      failed: 0,
      swept: undefined as number | undefined,
    };
    // The deployment's first pass starts with today: nothing can be due in the index before it was first written.
    let progress: SchedulerState = { ...lease.value, lastCompletedDay: lease.value.lastCompletedDay ?? previousDay(utcDay(now)) };
    if (this.deps.sweep && this.sweepDue(progress, now)) {
      try {
        report.swept = await this.deps.sweep(now);
        progress = { ...progress, lastSweepAt: now.toISOString() };
      } catch (error) {
        this.deps.logger.error({ err: error }, "scheduler: the sweep failed; the next pass tries it again");
      }
    }
    const today = utcDay(now);
    const held = { lease, progress };
    let completedSoFar = true;
    for (let day = nextDay(progress.lastCompletedDay ?? today); day <= today; day = nextDay(day)) {
      report.days.push(day);
      const finished = await this.runDay(day, now, report, held);
      if (finished === "lostLease") return report; // taken over: the new holder carries on from the last completed day
      const settled = Date.parse(`${day}T00:00:00.000Z`) + DAY_MS + this.options.settleMs <= now.getTime();
      completedSoFar &&= finished && settled;
      if (completedSoFar) held.progress = { ...held.progress, lastCompletedDay: day };
    }
    await state.saveState({ ...held.progress, name: this.options.name, owner: undefined, until: undefined }, held.lease);
    return report;
  }

  /** Runs every entry of a day that is due by `now`; true when none is left in it, "lostLease" when it stopped. */
  private async runDay(day: string, now: Date, report: Extract<PassReport, { kind: "ran" }>, held: Held): Promise<boolean | "lostLease"> {
    const entries = (await this.deps.index.dueOn(day)).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    let finished = true;
    for (const entry of entries) {
      // Kept before each entry: a long day outlasts one lease, and a holder that lost it stops (the marker rows make
      // an entry both ran harmless; the lease keeps that rare).
      const renewed = await this.renewed(held.lease, held.progress);
      if (!renewed) return "lostLease";
      held.lease = renewed;
      if (Date.parse(entry.dueAt) > now.getTime()) {
        finished = false;
        continue;
      }
      const outcome = await this.runEntry(entry, now);
      if (!outcome) {
        report.failed++;
        finished = false;
      } else if (outcome.kind === "retry") {
        report.retried++;
        const { day: _day, ...item } = entry;
        await this.deps.index.at({ ...item, dueAt: outcome.at }, now);
        // Retried within the same day, the entry was rewritten in place: the day is not finished.
        if (utcDay(new Date(Math.max(Date.parse(outcome.at), now.getTime()))) === day) finished = false;
        else await this.deps.index.remove(entry);
      } else {
        report[outcome.kind]++;
        await this.deps.index.remove(entry);
      }
    }
    return finished;
  }

  /** The job's outcome, or undefined when it failed (logged; the entry stays and the next pass tries it again). */
  private async runEntry(entry: ScheduleEntry, now: Date): Promise<JobOutcome | undefined> {
    const job = this.jobs.get(entry.job);
    const { job: name, tenantId, key, dueAt } = entry;
    if (!job) {
      // Maybe a newer version's job, indexed by an instance already upgraded: left for it.
      this.deps.logger.warn({ job: name, tenantId, key }, "scheduler: no such job in this version; the entry is left in the index");
      return undefined;
    }
    try {
      const outcome = await job.run({ job: name, tenantId, key, dueAt }, now);
      this.deps.logger.debug({ job: name, tenantId, key, outcome }, "scheduler: job ran");
      return outcome;
    } catch (error) {
      this.deps.logger.error({ err: error, job: name, tenantId, key }, "scheduler: the job failed; it is tried again next pass");
      return undefined;
    }
  }

  private leased(holder: SchedulerState | undefined, now: Date): SchedulerState {
    return {
      ...holder,
      name: this.options.name,
      owner: this.options.owner,
      until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
    };
  }

  /** The lease extended (with the progress so far) once half of it is gone; undefined when another instance took it. */
  private async renewed(lease: Versioned<SchedulerState>, progress: SchedulerState): Promise<Versioned<SchedulerState> | undefined> {
    const now = this.deps.clock.now();
    if (Date.parse(lease.value.until ?? "") - now.getTime() > this.options.leaseMs / 2) return lease;
    return this.deps.state.saveState(this.leased(progress, now), lease);
  }

  private sweepDue(progress: SchedulerState, now: Date): boolean {
    if (this.options.sweepIntervalMs <= 0) return false;
    return !progress.lastSweepAt || now.getTime() - Date.parse(progress.lastSweepAt) >= this.options.sweepIntervalMs;
  }
}
