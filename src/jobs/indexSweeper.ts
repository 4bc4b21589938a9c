import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { SchedulerState } from "../domain/schedule.js";
import type { Clock } from "../domain/time.js";
import { StorageOutageBackoff } from "../storage/outageBackoff.js";
import type { SchedulerStateStore } from "./ports.js";

export interface IndexSweeperOptions {
  /** The runner row's name (beside the scheduler's, in the `schedule` table). */
  name: string;
  owner: string;
  /** At most one sweep per this long across all instances (INDEX_SWEEP_HOURS); 0: never. */
  sweepIntervalMs: number;
  /** How often an instance looks whether a sweep is due (one point read). */
  checkEveryMs: number;
  /** The first look after start: soon, so a deployment's first start indexes what is stored (then each interval). */
  firstCheckMs: number;
  /** How long a sweep's lease keeps other instances away (a sweep that outlives it may run twice: harmless). */
  leaseMs: number;
}

export const INDEX_SWEEPER_DEFAULTS: Omit<IndexSweeperOptions, "owner" | "sweepIntervalMs"> = {
  name: "indexSweep",
  checkEveryMs: 15 * 60 * 1000,
  firstCheckMs: 10_000,
  leaseMs: 30 * 60 * 1000,
};

export type SweepReport = { kind: "notDue" } | { kind: "leasedByOther" } | { kind: "swept"; pointers: number };

/**
 * Runs the work-index sweep (src/storage/sweeps) at most once per interval across every instance: the time of the
 * last sweep and a lease are kept in a runner row, written only ETag-conditionally, so of instances that look at
 * once one sweeps and the others see it done. A deployment whose row has no sweep yet (the first start of this
 * version, over data written before the index existed) sweeps at its first look, `firstCheckMs` after start.
 */
export class IndexSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepReport> | undefined;
  private stopped = true;
  private readonly outage: StorageOutageBackoff;

  constructor(
    private readonly deps: { state: SchedulerStateStore; sweep: () => Promise<number>; clock: Clock; logger: Logger },
    private readonly options: IndexSweeperOptions,
  ) {
    this.outage = new StorageOutageBackoff(deps.logger, "indexSweep");
  }

  static ownerId(): string {
    return `index-sweep-${randomUUID()}`;
  }

  start(): void {
    if (!this.stopped || this.options.sweepIntervalMs <= 0) return;
    this.stopped = false;
    this.plan(this.options.firstCheckMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Sweeps now if one is due and no other instance holds the lease (a test's tick, or the timer's). */
  runNow(): Promise<SweepReport> {
    this.running ??= this.look().finally(() => (this.running = undefined));
    return this.running;
  }

  private plan(delayMs: number): void {
    this.timer = setTimeout(() => {
      let failure: unknown;
      this.runNow()
        .catch((error: unknown) => (failure = error ?? new Error("index sweep failed")))
        .finally(() => {
          const waitMs = this.outage.after(failure, this.options.checkEveryMs);
          if (waitMs === undefined) this.deps.logger.error({ err: failure }, "index sweep failed; the next look tries again");
          if (!this.stopped) this.plan(waitMs ?? this.options.checkEveryMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async look(): Promise<SweepReport> {
    const { state, clock } = this.deps;
    const now = clock.now();
    const read = await state.getState(this.options.name);
    const held = read?.value;
    if (held?.lastSweepAt && now.getTime() - Date.parse(held.lastSweepAt) < this.options.sweepIntervalMs) return { kind: "notDue" };
    if (held?.owner && held.owner !== this.options.owner && held.until && Date.parse(held.until) > now.getTime())
      return { kind: "leasedByOther" };
    const until = new Date(now.getTime() + this.options.leaseMs).toISOString();
    const lease = await state.saveState({ ...held, name: this.options.name, owner: this.options.owner, until }, read);
    if (!lease) return { kind: "leasedByOther" };
    const pointers = await this.deps.sweep();
    const done: SchedulerState = { name: this.options.name, lastSweepAt: now.toISOString() };
    await state.saveState(done, lease);
    this.deps.logger.info({ pointers }, "index sweep: the work indexes were written again from the rows");
    return { kind: "swept", pointers };
  }
}
