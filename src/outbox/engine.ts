import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { StorageOutageBackoff } from "../storage/outageBackoff.js";
import { withoutStorageDeadline } from "../storage/timeouts.js";
import { Claims } from "./claims.js";
import { PassScheduler } from "./passScheduler.js";
import type { OutboxReport, OutboxStore, ProactiveSender, Recipients, RenderNotification, SendLimiter, ShardLifecycle } from "./ports.js";
import type { RetryOptions } from "./retryPolicy.js";
import { waitingForWhom, type NowReachable } from "./shards/waiting.js";

/**
 * A delivery tenant with at least this many notifications in the pass's hands has a backlog (a second of Teams'
 * per-tenant limit): its shard counts as busy, and instances share busy shards fairly (shareArithmetic.ts). A
 * notification or two now and then is no reason to move a shard.
 */
const BACKLOG_ROWS = 30;

export interface OutboxEngineOptions {
  /** How often the outbox is scanned when nothing wakes the engine sooner. */
  pollIntervalMs: number;
  /** How long a claimed notification is left alone by other instances. */
  leaseMs: number;
  /** Notifications worked on at once (sends to one conversation still wait for each other in the limiter). */
  concurrency: number;
  retry: RetryOptions;
  /**
   * Within one pass, a conversation reference read for one notification is reused for the next ones to the
   * same person for this long (a pass delivering many notifications to one conversation reads it once); 0 reads
   * it for every notification. A new pass always reads afresh. Default 5 s.
   */
  referenceCacheMs?: number;
  /**
   * A claim takes up to this many rows of one partition at once (the row being delivered and the next ones of
   * the same tenant in the listing whose recipients can be reached), in one entity group transaction, each
   * conditional on its ETag. 1 claims every row on its own. Default 10.
   */
  claimBatch?: number;
}

export interface OutboxEngineDeps {
  /** The outbox rows in storage: listed, claimed, saved, dead-lettered. */
  rows: OutboxStore;
  recipients: Recipients;
  render: RenderNotification;
  sender: ProactiveSender;
  limiter: SendLimiter;
  logger: Logger;
  now?: () => Date;
  /** The tenant shards this instance holds (started and stopped with the engine); absent: one instance, no shards. */
  shards?: ShardLifecycle;
  /** The safety-net sweep (src/outbox/shards/sweep.ts), run beside a pass when due; resolves to how many it indexed. */
  sweep?: () => Promise<number | undefined>;
}

/**
 * notStarted: nothing runs on its own (NOTIFY_ENABLED=false means no background writes), but `runOnce` works.
 * running: passes on wake-ups, retry timers and the poll. stopped: no new work; a pass in flight winds down.
 */
type EngineState = "notStarted" | "running" | "stopped";

/**
 * Delivers the outbox. Each notification is claimed with a lease (an ETag-conditional write, so two
 * instances never work on the same one), rendered per recipient, sent within Teams' rate limits, and every
 * delivery is recorded on the row before the next, so a restart skips whoever already has it. Throttling
 * and transient failures are retried later with backoff (Retry-After honoured); after the last try the
 * notification is dead-lettered with an audit event; a conversation Teams calls gone is marked stale and the
 * notification waits until that user is reachable again.
 *
 * This class only decides when a pass runs; PassScheduler runs it (claims.ts, delivery.ts do the parts).
 */
export class OutboxEngine {
  readonly instanceId = `dispatcher-${randomUUID().slice(0, 8)}`;
  private state: EngineState = "notStarted";
  private timer: NodeJS.Timeout | undefined;
  private currentPass: Promise<OutboxReport> | undefined;
  /** A wake-up came during a pass: run another one right after it (the new rows may not have been listed). */
  private passAfterThis = false;
  private readonly passes: PassScheduler;
  private readonly logger: Logger;
  private readonly backoff: StorageOutageBackoff;
  private readonly shards: ShardLifecycle | undefined;
  private readonly rows: OutboxStore;

  constructor(
    deps: OutboxEngineDeps,
    private readonly options: OutboxEngineOptions,
  ) {
    this.logger = deps.logger;
    this.shards = deps.shards;
    this.rows = deps.rows;
    deps.shards?.onTaken?.((shards) => this.shardsTaken(shards));
    this.backoff = new StorageOutageBackoff(deps.logger, "outbox");
    const now = deps.now ?? (() => new Date());
    const stopping = () => this.state === "stopped";
    const claims = new Claims(deps.rows, { owner: this.instanceId, leaseMs: options.leaseMs, claimBatch: options.claimBatch ?? 10, now });
    this.passes = new PassScheduler(
      {
        rows: deps.rows,
        recipients: deps.recipients,
        claims,
        delivery: {
          rows: deps.rows,
          render: deps.render,
          limiter: deps.limiter,
          sender: deps.sender,
          retry: options.retry,
          now,
          stopping,
        },
        logger: deps.logger,
        owner: this.instanceId,
        now,
        stopping,
        passAfter: (delayMs) => this.wakeAfter(delayMs),
        ...(deps.shards ? { shards: deps.shards } : {}),
        ...(deps.sweep ? { sweep: deps.sweep } : {}),
      },
      {
        concurrency: options.concurrency,
        leaseMs: options.leaseMs,
        referenceCacheMs: options.referenceCacheMs ?? 5_000,
        holdForRetryMs: options.pollIntervalMs,
      },
    );
    const passes = this.passes;
    deps.shards?.reportBacklogs?.(() => {
      const inHand = passes.inHand();
      return inHand && [...inHand].filter(([, rows]) => rows >= BACKLOG_ROWS).map(([tenant]) => tenant);
    });
  }

  start(): void {
    this.state = "running";
    this.shards?.start();
    this.schedule(0);
  }

  /** Something was queued or someone became reachable: run a pass soon instead of at the next poll. */
  wake(): void {
    // A wake-up follows a write that storage answered, so it also ends a backoff: the pass runs now.
    if (this.state !== "running") return;
    if (!this.currentPass) return this.schedule(0);
    this.passAfterThis = true;
    // A pass waiting for a retry ends now: the next one lists what woke us (and takes the retry up when due).
    this.passes.interruptHold();
  }

  /**
   * Someone became reachable (the conversation book says so): what was parked for their group is due again (one
   * RowKey range in their delivery tenant's shard), and a pass runs soon. Outside any turn's storage budget.
   */
  async reachable(who: NowReachable): Promise<void> {
    const waitingFor = waitingForWhom(who);
    if (waitingFor && this.rows.unparkFor) {
      const unparkFor = this.rows.unparkFor.bind(this.rows);
      const unparked = await withoutStorageDeadline(() => unparkFor(waitingFor, who.deliveryTenant));
      if (unparked > 0) this.logger.debug({ waitingFor, unparked }, "outbox: parked notifications are due again");
    }
    this.wake();
  }

  /**
   * The shard keeper took shards (a lapsed or given-back lease): their rows join the pass in progress, or a pass runs
   * for them now. Otherwise they would wait for the end of a pass that may be busy for a minute with other tenants.
   */
  private shardsTaken(shards: number[]): void {
    if (this.state !== "running") return;
    if (!this.currentPass) return this.wake();
    // Taken by the tick that prepares a pass (every pass ensures one): that pass's listing covers them.
    if (this.passes.listsNext) return;
    const rows = this.rows;
    void withoutStorageDeadline(() => rows.listPending(shards)).then(
      (listed) => {
        if (!this.passes.takeUp(listed)) this.wake();
      },
      (error: unknown) => {
        this.logger.warn({ err: error, shards }, "outbox: the shards just taken could not be listed; the next pass lists them");
        this.wake();
      },
    );
  }

  /** Stops taking new work, lets sends in flight finish and be recorded, and releases what it holds. */
  async stop(): Promise<void> {
    this.state = "stopped";
    this.passes.interruptHold();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.currentPass?.catch(() => undefined);
    // Nothing is sent any more: the shards are free for the other instances at once.
    await this.shards?.stop();
  }

  /** The tenant shards this instance may send for now (all of them, as undefined, without shards). */
  heldShards(): number[] | undefined {
    return this.shards?.sendable();
  }

  /** One pass over every due notification. Concurrent calls share the pass in progress. */
  runOnce(): Promise<OutboxReport> {
    return this.pass(false);
  }

  /** A pass the engine starts itself waits at start-up until shards settle; one asked for (`runOnce`) does not. */
  private pass(settleFirst: boolean): Promise<OutboxReport> {
    if (this.currentPass) return this.currentPass;
    const pass = this.passes.run(settleFirst).finally(() => {
      this.currentPass = undefined;
      // A wake-up during this pass is answered now, whoever started the pass: left for the timer's pass to
      // notice, it was answered late after a direct runOnce, and then once too often.
      if (this.passAfterThis) {
        this.passAfterThis = false;
        this.schedule(0);
      }
    });
    this.currentPass = pass;
    return pass;
  }

  /** A retry released to storage is due then: a pass must take it up even if nothing else wakes us. */
  private wakeAfter(delayMs: number): void {
    if (this.state !== "running") return;
    const timer = withoutStorageDeadline(() => setTimeout(() => this.wake(), delayMs + 5));
    timer.unref?.();
  }

  private schedule(delayMs: number): void {
    if (this.state !== "running") return;
    if (this.timer) clearTimeout(this.timer);
    // A wake-up may come from a turn: the pass must not run on that turn's storage budget.
    this.timer = withoutStorageDeadline(() => setTimeout(() => this.runTimedPass(), delayMs));
    this.timer.unref?.();
  }

  private runTimedPass(): void {
    this.timer = undefined;
    let failure: unknown;
    void this.pass(true)
      .catch((error: unknown) => (failure = error ?? new Error("outbox pass failed")))
      .finally(() => {
        const waitMs = this.backoff.after(failure, this.options.pollIntervalMs);
        if (waitMs === undefined) this.logger.error({ err: failure }, "outbox pass failed");
        // Unless the pass itself asked for the next one at once (a wake-up came during it), wait for the poll.
        if (!this.timer) this.schedule(waitMs ?? this.options.pollIntervalMs);
      });
  }
}
