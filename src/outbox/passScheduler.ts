import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { hasWork, needsNoSend, PassAudience } from "./audience.js";
import type { Claims } from "./claims.js";
import { deliver, type DeliveryDeps } from "./delivery.js";
import { Outcomes, type PassState } from "./outcomes.js";
import { limitKeyOf, PassQueue, type PassItem } from "./passQueue.js";
import { dueAt, isFree, type TakeRule } from "./takeable.js";
import type { OutboxReport, OutboxRow, OutboxStore, Recipients, ShardLifecycle } from "./ports.js";

export interface PassOptions {
  /** Notifications worked on at once (sends to one conversation still wait for each other in the limiter). */
  concurrency: number;
  /** How long a claimed notification is left alone by other instances. */
  leaseMs: number;
  /** How long, within one pass, a conversation reference read once is reused (0: read it for every notification). */
  referenceCacheMs: number;
  /**
   * A pass with nothing left but a retry due within this long waits for it instead of ending (see `nextOrHold`);
   * 0 never waits. The engine uses its poll interval: a pass that ended would not be
   * followed by the next one much sooner, so waiting holds back nothing the poll would have found earlier.
   */
  holdForRetryMs?: number;
}

export interface PassDeps {
  rows: OutboxStore;
  recipients: Recipients;
  claims: Claims;
  /** Renders, sends and records (its `stopping` is the engine's). */
  delivery: DeliveryDeps;
  logger: Logger;
  /** Lease owner and audit actor: this engine. */
  owner: string;
  now: () => Date;
  /** The engine is stopping: take up nothing new, keep no retry under the lease. */
  stopping: () => boolean;
  /** Asks for a pass once a released retry is due (a pass ending sooner does not take it up). */
  passAfter: (delayMs: number) => void;
  /** The tenant shards (absent: a single instance that delivers everything listed). */
  shards?: Pick<ShardLifecycle, "ensureTicked" | "backlogsChanged" | "settled">;
  /** The safety-net sweep when it is due, beside a pass: resolves to how many notifications it indexed (or undefined). */
  sweep?: () => Promise<number | undefined>;
}

/** One pass's state: what is left to take up, who each row goes to, and what it did so far. */
interface Pass extends PassState {
  /** Its workers, including any started again for rows added while it runs; `working` are those still taking rows. */
  workers: Array<Promise<void>>;
  working: number;
  /** Listed, not sending yet: shares are settling after start (ShardKeeper.settled). */
  waiting: boolean;
  /** A worker waiting for a retry (`nextOrHold`); aborting ends the wait. */
  hold?: AbortController;
}

/**
 * Runs passes over the due outbox rows: workers take rows, secure their lease, deliver, and hand every outcome to
 * `Outcomes` (its writes, counters, retry timers). A pass over many rows lasts long: a retry it schedules is taken up again
 * within it once due (before new rows). A worker with nothing due now ends, unless what is left is a retry due within
 * `holdForRetryMs`: one worker waits for it, and a wake-up (new work) ends that wait. A retry left when the pass ends
 * is released and its timer asks for the pass that takes it up.
 */
export class PassScheduler {
  /** The pass in progress; one preparing (its listing covers what it holds by then); rows taken up while it lists. */
  private current: Pass | undefined;
  private beforeListing = false;
  private early: OutboxRow[] | undefined;
  private readonly takeRule: TakeRule;
  private readonly outcomes: Outcomes;

  constructor(
    private readonly deps: PassDeps,
    private readonly options: PassOptions,
  ) {
    this.takeRule = { owner: deps.owner, mayDeliver: (n) => deps.rows.mayDeliver?.(n) === true };
    this.outcomes = new Outcomes(deps, options);
  }

  async run(settleFirst = false): Promise<OutboxReport> {
    // Only with shards is there something to prepare: a single instance lists at once, as it always did.
    if (this.deps.shards) {
      this.beforeListing = true;
      try {
        await this.deps.shards.ensureTicked();
      } finally {
        this.beforeListing = false;
      }
    }
    const early: OutboxRow[] = (this.early = []);
    const listingStarted = Date.now();
    const listed = await this.deps.rows.listPending().finally(() => (this.early = undefined));
    this.deps.logger.debug({ listed: listed.length, ms: Date.now() - listingStarted }, "outbox pass listed");
    const sweeping = this.sweepBeside();
    const pass: Pass = {
      queue: new PassQueue(this.due(listed), limitKeyOf(this.deps.rows)),
      audience: new PassAudience(this.deps.recipients, this.deps.rows, this.options.referenceCacheMs),
      report: { delivered: 0, retried: 0, stale: 0, dead: 0, waiting: 0 },
      workers: [],
      working: 0,
      waiting: true,
    };
    this.current = pass;
    pass.queue.add(this.due(early));
    try {
      this.deps.shards?.backlogsChanged?.();
      if (settleFirst) await this.deps.shards?.settled?.();
      pass.waiting = false;
      this.startWorkers(pass);
      // Workers started again while we wait (rows added by `takeUp`) are waited for too.
      for (let waited = 0; waited < pass.workers.length;) {
        const more = pass.workers.slice(waited);
        waited = pass.workers.length;
        await Promise.all(more);
      }
    } finally {
      this.current = undefined;
    }
    await this.outcomes.releaseLeftOver(pass.queue);
    await sweeping;
    return pass.report;
  }
  /** Rows of the running pass not done yet, per delivery tenant; undefined while a pass prepares (not known yet). */
  inHand = (): ReadonlyMap<string, number> | undefined =>
    this.beforeListing || this.early ? undefined : (this.current?.queue.inHand() ?? new Map());
  /** A shard taken now is listed by the pass about to list (its shard tick is part of its preparation). */
  get listsNext(): boolean {
    return this.beforeListing;
  }
  /**
   * Rows of shards taken while a pass runs (src/outbox/shards) join it at once, not at its end (with thousands of
   * rows held back by Teams' limits, a minute away). False when no pass takes rows any more (ask for the next one).
   */
  takeUp(rows: readonly OutboxRow[]): boolean {
    const pass = this.current;
    if (this.early && !this.deps.stopping()) this.early.push(...rows);
    else if (!pass || this.deps.stopping()) return false;
    else if (pass.queue.add(this.due(rows)) > 0) {
      this.deps.shards?.backlogsChanged?.();
      this.startWorkers(pass);
    }
    return true;
  }
  /** Workers up to the concurrency: each takes rows until none is left to take now. */
  private startWorkers(pass: Pass): void {
    if (pass.waiting) return;
    // Counted before any starts: a worker with nothing to take ends at once, before the next one would be counted.
    const missing = Math.max(1, this.options.concurrency) - pass.working;
    for (let i = 0; i < missing; i++) {
      pass.working++;
      pass.workers.push(
        (async () => {
          try {
            for (let item = await this.nextOrHold(pass); item; item = await this.nextOrHold(pass)) {
              try {
                await this.work(item, pass);
              } catch (error) {
                this.deps.logger.error({ err: error, notificationId: item.row.value.id }, "could not deliver notification");
              } finally {
                pass.queue.done(item);
              }
            }
          } finally {
            pass.working--;
          }
        })(),
      );
    }
  }

  /**
   * The safety-net sweep, if due, beside the pass: it reads every partition (seconds with thousands pending) and must
   * not hold back what the index names. The pass it asks for takes up what it indexed; a failure is only logged.
   */
  private async sweepBeside(): Promise<void> {
    try {
      if (((await this.deps.sweep?.()) ?? 0) > 0) this.deps.passAfter(0);
    } catch (error) {
      this.deps.logger.error({ err: error }, "outbox: the sweep failed; it is tried again after OUTBOX_SWEEP_MINUTES");
    }
  }

  /** Pending rows whose time has come and that are free for us (takeable.ts). */
  private due(listed: readonly OutboxRow[]): OutboxRow[] {
    const now = this.deps.now().getTime();
    const due = listed.filter(({ value }) => dueAt(value) <= now && isFree(value, now, this.takeRule));
    if (due.length > 0) this.deps.logger.debug({ due: due.length }, "outbox pass");
    return due;
  }

  private next(pass: Pass): PassItem | undefined {
    return this.deps.stopping() ? undefined : pass.queue.take(this.deps.now().getTime());
  }

  /**
   * The next row; if none is due now but a retry is due within `holdForRetryMs`, one worker waits for it (the
   * others end) and starts the workers again. Ending the pass instead released the row and listed everything again
   * when it came due: after a fan-out, that listing clears thousands of index entries, and the last throttled sends
   * went out seconds after their Retry-After (measured: a 2.2 s listing for 7 rows, at the end of every fan-out). A retry released to
   * storage (its lease was running out) is claimed again on its ETag, as within any pass.
   * Waits once per call: a clock that does not move (tests) cannot keep a worker waiting.
   */
  private async nextOrHold(pass: Pass): Promise<PassItem | undefined> {
    const item = this.next(pass);
    if (item || pass.hold || this.deps.stopping()) return item;
    const waitMs = (pass.queue.firstDeferredDue() ?? Infinity) - this.deps.now().getTime();
    if (!(waitMs <= (this.options.holdForRetryMs ?? 0))) return undefined;
    const hold = (pass.hold = new AbortController());
    try {
      await sleep(Math.max(0, waitMs), undefined, { signal: hold.signal });
    } catch {
      return undefined; // interrupted (`interruptHold`): the pass ends and its retry is left to the next one
    } finally {
      pass.hold = undefined;
    }
    this.startWorkers(pass);
    return this.next(pass);
  }

  /** New work or stopping: a worker waiting for a retry stops waiting, so the pass can end and the next one list. */
  interruptHold(): void {
    this.current?.hold?.abort();
  }

  private async work(item: PassItem, pass: Pass): Promise<void> {
    if (this.deps.rows.mayDeliver?.(item.row.value) === false) {
      // The shard was given back since the listing: its holder delivers the row (ours is released; nothing read or
      // parked here). If we take the shard again during this pass, its listing brings the row back (passOver).
      pass.queue.passOver(item);
      if (item.underOurLease) await this.deps.claims.release(item.row);
      return;
    }
    // Read-only first: a notification nobody can receive yet costs no write (and no lease churn).
    const targets = await pass.audience.targets(item.row.value);
    if (!hasWork(item.row.value, targets)) return this.outcomes.apply({ kind: "nobodyReachable", item, targets: targets.length }, pass);
    // Nothing to send (e.g. a refresh of invitation cards nobody received): one conditional write, no claim first.
    if (needsNoSend(item.row.value, targets)) {
      await this.deps.rows.completeUnclaimed(item.row, this.deps.now().toISOString());
      return;
    }
    const row = await this.deps.claims.secure(item, pass);
    if (!row) return; // another instance has it
    await this.outcomes.apply(await deliver(row, targets, this.deps.delivery), pass, row.value.id);
  }
}
