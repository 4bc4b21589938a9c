import type { Logger } from "pino";
import type { ShardLease } from "../../domain/outboxShards.js";
import type { Versioned } from "../../domain/versioned.js";
import { StorageOutageBackoff } from "../../storage/outageBackoff.js";
import { withoutStorageDeadline } from "../../storage/timeouts.js";
import type { ShardLifecycle } from "../ports.js";
import type { ShardLeaseStore, ShardOwnership } from "./ports.js";
import { Backlogs, Gate } from "./backlogs.js";
import { nextLapse, overShare, planTick, shardOf, type LeaseView, type TickPlan } from "./shareArithmetic.js";

export interface ShardKeeperOptions {
  /** This instance in lease and heartbeat rows (OUTBOX_INSTANCE_ID). */
  instanceId: string;
  /** OUTBOX_SHARDS. */
  shards: number;
  /** How long a lease (and a heartbeat) lasts unless renewed (OUTBOX_SHARD_LEASE_SECONDS). */
  leaseMs: number;
}

/** Heartbeats of instances gone this long are deleted (ids are hostname+pid: every restart leaves one). */
const FORGET_BEATS_AFTER_LEASES = 10;
/** A tick due to a lapse comes this long after it (the lease must have run out by our clock), and never sooner than... */
const LAPSE_MARGIN_MS = 25;
/** ...this long after the last tick. */
const MIN_TICK_GAP_MS = 250;
/**
 * After the first tick, and while another instance holds more than its share (it gives the surplus back at its next
 * tick), the next tick comes this soon: instances started together see each other, and take what is given back,
 * within a second or two rather than a tick interval or two.
 */
const SETTLING_TICK_MS = 1_000;
/** A tick's rounds of taking free shards when another instance won some of them (see tickOnce). */
const TAKE_ROUNDS = 3;

/**
 * Holds this instance's tenant shards. A tick (every third of the lease) renews the heartbeat, reads every lease
 * and heartbeat (two partition queries), and then renews, gives back and takes leases as `planTick` says, each
 * write conditional on the ETag read, so two instances never both hold a shard.
 *
 * Sending for a shard stops when less than a third of its lease is left (a renewal is then overdue: storage is
 * away, or this process stalled), so a shard whose lease lapses was quiet for at least a third of the lease before
 * another instance can take it. A shard given back is free for others that same third after its last send (`sending`)
 * ended, at once if it never sent: the new holder's empty rate limiter cannot crowd Teams' 1 s and 2 s windows.
 */
export class ShardKeeper implements ShardOwnership, ShardLifecycle {
  private readonly held = new Map<number, Versioned<ShardLease>>();
  private lastTickAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking: Promise<TickPlan> | undefined;
  private readonly backoff: StorageOutageBackoff;
  private takenListener: ((shards: number[]) => void) | undefined;
  /** When a lease or heartbeat of another instance seen at the last tick runs out (nextLapse). */
  private lapseAt: number | undefined;
  /** The last tick was the first, or saw another instance holding more than its share: shares are settling. */
  private settling = true;
  /** Sends under way per shard (`sending`), and when the last one ended: see `freeAt`. */
  private readonly inFlight = new Map<number, number>();
  private readonly lastSendEnded = new Map<number, number>();
  private readonly backlogs: Backlogs;
  readonly shards: number;
  readonly instanceId: string;
  /** When the first tick succeeded; passes wait for the settling tick a second later (`settled`). */
  private firstTickAt: number | undefined;
  private readonly startGate = new Gate();
  /** A timer is set and not fired (`plan`), else a tick asked for comes right after the one under way (`tickSoon`). */
  private armed = false;
  private tickSoon = false;

  constructor(
    private readonly leaseRows: ShardLeaseStore,
    private readonly options: ShardKeeperOptions,
    private readonly deps: { now: () => Date; logger: Logger },
  ) {
    this.backoff = new StorageOutageBackoff(deps.logger, "outbox shards", options.leaseMs);
    this.backlogs = new Backlogs(options.shards);
    ({ shards: this.shards, instanceId: this.instanceId } = options);
  }

  /** Between ticks: a third of the lease, so one missed renewal still leaves a third before sending stops. */
  get renewEveryMs(): number {
    return Math.max(1, Math.floor(this.options.leaseMs / 3));
  }

  /**
   * From the last tick to the next: a third of the lease, or sooner when a lease or heartbeat seen then runs out
   * before that. A shard given back is taken when its hand-over ends, and a dead instance's shards when its leases
   * lapse, not up to a tick interval later (with 9 s leases, 3 s more of a tenant's notifications held back).
   */
  nextTickInMs(): number {
    if (this.tickSoon) return MIN_TICK_GAP_MS;
    const regular = this.settling ? Math.min(SETTLING_TICK_MS, this.renewEveryMs) : this.renewEveryMs;
    // The settling tick comes a second after the first, whatever tick came between (a backlog changed).
    const settlingAt = this.startGate.isOpen ? Infinity : (this.firstTickAt ?? 0) + SETTLING_TICK_MS;
    const soonest = Math.min(this.lapseAt ?? Infinity, settlingAt) - this.deps.now().getTime();
    return Math.min(regular, Math.max(MIN_TICK_GAP_MS, soonest + LAPSE_MARGIN_MS));
  }

  onTaken(listener: (shards: number[]) => void): void {
    this.takenListener = listener;
  }

  /** Where the engine says which delivery tenants have a backlog in hand: their shards are written as busy. */
  reportBacklogs(source: () => Iterable<string> | undefined): void {
    this.backlogs.reportFrom(source);
  }

  /** A pass listed or took up rows: if our busy shards changed, tick now, so others share them on what is true now. */
  backlogsChanged(): void {
    if (!this.running || !this.backlogs.changed()) return;
    if (!this.armed) {
      this.tickSoon = true;
      return;
    }
    clearTimeout(this.timer);
    this.plan(0);
  }

  /**
   * Resolves at the settling tick (a second after the first; at once if not running, or a tick failed): the first
   * instance holds every shard until then, and a send before it would make each tenant it gives back wait a hand-over.
   */
  settled(): Promise<void> {
    return this.running ? this.startGate.wait() : Promise.resolve();
  }

  sendable(): number[] {
    const now = this.deps.now().getTime();
    return [...this.held.values()]
      .filter((l) => Date.parse(l.value.until) - now > this.options.leaseMs / 3)
      .map((l) => l.value.shard)
      .sort((a, b) => a - b);
  }

  holdsTenant(tenantId: string): boolean {
    return this.sendable().includes(shardOf(tenantId, this.options.shards));
  }

  sending(tenantId: string): () => void {
    const shard = shardOf(tenantId, this.options.shards);
    this.inFlight.set(shard, (this.inFlight.get(shard) ?? 0) + 1);
    let over = false;
    return () => {
      if (over) return;
      over = true;
      const left = (this.inFlight.get(shard) ?? 1) - 1;
      if (left > 0) this.inFlight.set(shard, left);
      else this.inFlight.delete(shard);
      this.lastSendEnded.set(shard, this.deps.now().getTime());
    };
  }

  /** Ticks now and then every `renewEveryMs` until stopped. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.plan(0);
  }

  /** Stops ticking, gives every lease back (free at once: the engine has stopped sending) and expires the heartbeat. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.startGate.open();
    await this.ticking?.catch(() => undefined);
    // Never ticked (NOTIFY_ENABLED=false, no pass ever ran): nothing to give back, and no background write.
    if (this.lastTickAt === undefined) return;
    const now = this.deps.now();
    const held = [...this.held.values()];
    this.held.clear();
    await Promise.all([
      ...held.map((l) => this.leaseRows.writeLease({ ...l.value, owner: undefined, until: now.toISOString() }, l).catch(() => undefined)),
      this.leaseRows
        .beat({ instanceId: this.options.instanceId, until: now.toISOString(), shards: this.options.shards })
        .catch(() => undefined),
    ]);
  }

  async ensureTicked(): Promise<void> {
    const now = this.deps.now().getTime();
    if (this.lastTickAt === undefined || now - this.lastTickAt >= this.renewEveryMs) await this.tick();
  }

  /** One tick; concurrent calls share it. */
  tick(): Promise<TickPlan> {
    this.ticking ??= this.tickOnce().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private plan(delayMs: number): void {
    if (!this.running) return;
    this.armed = true;
    this.timer = withoutStorageDeadline(() =>
      setTimeout(() => {
        this.armed = false;
        this.tickSoon = false;
        let failure: unknown;
        this.tick()
          .catch((error: unknown) => (failure = error ?? new Error("shard tick failed")))
          .finally(() => {
            const waitMs = this.backoff.after(failure, failure === undefined ? this.nextTickInMs() : this.renewEveryMs);
            if (waitMs === undefined) this.deps.logger.error({ err: failure }, "outbox shards: the tick failed");
            if (failure !== undefined) this.startGate.open();
            this.plan(waitMs ?? this.renewEveryMs);
          });
      }, delayMs),
    );
    this.timer.unref?.();
  }

  private async tickOnce(): Promise<TickPlan> {
    const store = this.leaseRows;
    const { instanceId: me, shards, leaseMs } = this.options;
    const now = this.deps.now().getTime();
    await store.beat({ instanceId: me, until: new Date(now + leaseMs).toISOString(), shards });
    const [beats, firstLeases] = await Promise.all([store.beats(), store.leases()]);
    const live = beats.filter((b) => Date.parse(b.value.until) > now);
    this.forgetLongGone(beats.filter((b) => Date.parse(b.value.until) <= now - FORGET_BEATS_AFTER_LEASES * leaseMs));
    this.warnOnMixedCounts(live.map((b) => b.value.shards));
    const until = new Date(now + leaseMs).toISOString();
    const busy = this.backlogs.now();
    // Ours and given back: as our backlog says; taken: as its row says, until our own listing of it is in hand.
    const busyOf = (shard: number, row: Versioned<ShardLease> | undefined) => {
      const known = busy && row?.value.owner === me ? busy.has(shard) : row?.value.busy;
      return known === undefined ? {} : { busy: known };
    };
    // Given back: free for others a third of the lease after its last send (sends under way end first, and the new
    // holder's empty rate limiter cannot crowd Teams' 1 s and 2 s windows); at once if it never sent.
    const freeAt = (shard: number) =>
      new Date(
        this.inFlight.has(shard) ? now + leaseMs / 3 : Math.max(now, (this.lastSendEnded.get(shard) ?? -Infinity) + leaseMs / 3),
      ).toISOString();
    const taken: number[] = [];
    let plan: TickPlan = { renew: [], release: [], take: [], target: 0, busyTarget: 0 };
    // Instances that start together reach for some of the same free shards, and each conditional write has one
    // winner: a loser reads the leases again and takes others at once, rather than a tick (a third of the lease) later.
    for (let round = 0, leases = firstLeases; round < TAKE_ROUNDS; round++, leases = await store.leases()) {
      const rows = new Map(leases.filter((l) => l.value.shard < shards).map((l) => [l.value.shard, l]));
      // A lease we thought ours that someone else wrote meanwhile is theirs.
      for (const [shard, mine] of this.held) if (rows.get(shard)?.etag !== mine.etag) this.held.delete(shard);
      const views = new Map<number, LeaseView>(
        [...rows].map(([s, l]) => [
          s,
          { owner: l.value.owner, until: Date.parse(l.value.until), ...(l.value.busy === undefined ? {} : { busy: l.value.busy }) },
        ]),
      );
      const next = planTick({ shards, me, live: live.map((b) => b.value.instanceId), leases: views, now, ...(busy ? { busy } : {}) });
      this.settling = this.lastTickAt === undefined || overShare(views, me, now, next);
      this.lapseAt = nextLapse(
        me,
        now,
        views.values(),
        beats.map((b) => ({ instanceId: b.value.instanceId, until: Date.parse(b.value.until) })),
      );
      plan = round === 0 ? next : { ...next, release: [...plan.release, ...next.release], take: [...plan.take, ...next.take] };
      // No send can start for a shard once it is out of `held` (so none is under way unless counted by `sending`).
      for (const shard of next.release) this.held.delete(shard);
      await Promise.all([
        ...next.release.map((shard) =>
          store.writeLease({ shard, owner: undefined, until: freeAt(shard), shards, ...busyOf(shard, rows.get(shard)) }, rows.get(shard)),
        ),
        ...[...(round === 0 ? next.renew : []), ...next.take].map(async (shard) => {
          const row = rows.get(shard);
          const written = await store.writeLease({ shard, owner: me, until, shards, ...busyOf(shard, row) }, row);
          if (written) this.held.set(shard, written);
          else this.held.delete(shard);
        }),
      ]);
      taken.push(...next.take.filter((shard) => this.held.has(shard)));
      if (next.take.every((shard) => this.held.has(shard)) || this.held.size >= next.target) break;
    }
    this.lastTickAt = now;
    this.backlogs.written(busy);
    this.firstTickAt ??= now;
    if (now - this.firstTickAt >= SETTLING_TICK_MS - LAPSE_MARGIN_MS) this.startGate.open();
    if (taken.length > 0) this.takenListener?.(taken);
    const { target, busyTarget, release: released, take: took } = plan;
    if (released.length > 0 || took.length > 0)
      this.deps.logger.info(
        { instanceId: me, live: live.length, target, busyTarget, released, took, holds: this.sendable() },
        "outbox shards rebalanced",
      );
    return plan;
  }

  private forgetLongGone(gone: ReadonlyArray<Parameters<ShardLeaseStore["removeBeat"]>[0]>): void {
    for (const beat of gone) void this.leaseRows.removeBeat(beat).catch(() => undefined);
  }

  private warnOnMixedCounts(counts: readonly number[]): void {
    const other = counts.find((c) => c !== this.options.shards);
    if (other !== undefined)
      this.deps.logger.warn(
        { shards: this.options.shards, other },
        "outbox shards: live instances disagree on OUTBOX_SHARDS; stop them all before changing it (README, Instances and shards)",
      );
  }
}
