/**
 * The arithmetic of tenant shards: which shard a tenant is in, how many shards each live instance holds, and what one
 * instance does on a tick (renew, give back, take). Pure functions: src/outbox/shards/shardKeeper.ts runs them.
 */

/** FNV-1a over the lower-cased tenant id: stable across processes and versions (a tenant never moves by itself). */
export function shardOf(tenantId: string, shards: number): number {
  let hash = 0x811c9dc5;
  const id = tenantId.toLowerCase();
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The most shards one instance holds: ceil(shards / live instances), so the live instances together cover them all. */
export function fairShare(shards: number, liveInstances: number): number {
  return Math.ceil(shards / Math.max(1, liveInstances));
}

/** A lease as a tick sees it: whose it is and until when (no row yet: never leased). */
export interface LeaseView {
  owner: string | undefined;
  until: number;
  /** Its holder had a backlog of the shard's notifications in hand when it wrote the lease (see `planTick`); absent:
   *  not known (its holder had not listed it yet). */
  busy?: boolean;
}

export interface TickView {
  shards: number;
  me: string;
  /** Instances whose heartbeat has not expired (this one counts whatever the table says). */
  live: readonly string[];
  leases: ReadonlyMap<number, LeaseView>;
  now: number;
  /** Our own shards with a backlog in hand now (fresher than what our lease rows say); absent: as the rows say. */
  busy?: ReadonlySet<number>;
}

export interface TickPlan {
  /** Held by us, kept: renew them. */
  renew: number[];
  /** Held by us beyond our fair share (others arrived): stop sending for them and give them back. */
  release: number[];
  /** Free (never leased, lapsed, or given back and its handover over): try to take them, up to our fair share. */
  take: number[];
  /** The most shards we hold after this tick: our share of the busy ones plus our share of the others. */
  target: number;
  /** Of those, the most that are busy. */
  busyTarget: number;
}

/**
 * What one instance does on a tick. Shards are shared in two pools, each fairly: the busy ones (a backlog in hand:
 * a fan-out that takes its tenant seconds or minutes at Teams' 30 a second) and the others. Counting shards alone,
 * one instance could hold four tenants' fan-outs and another none (five busy tenants in 16 shards): the busy one
 * then sends for four tenants on one process's CPU while another sits idle. In each pool it keeps what it holds up
 * to its share (in its own preference order, so the same ones stay), gives back the rest, and takes free shards,
 * busy ones first, until it has its share, starting at an offset of its own so that instances arriving together
 * mostly reach for different shards.
 */
export function planTick(view: TickView): TickPlan {
  const live = new Set([...view.live, view.me]);
  const order = preferenceOrder(view.me, view.shards);
  const isMine = (s: number) => {
    const lease = view.leases.get(s);
    return lease?.owner === view.me && lease.until > view.now;
  };
  const isBusy = (s: number) => (view.busy && isMine(s) ? view.busy.has(s) : view.leases.get(s)?.busy === true);
  const mine = order.filter(isMine);
  // While another instance has not said whether its shards are busy (it has not listed them yet: at start-up), the
  // busy count is not known: keep busy shards first within the plain fair share, and move none for being busy.
  const unknown = order.some((s) => {
    const lease = view.leases.get(s);
    return lease?.owner !== undefined && lease.owner !== view.me && lease.until > view.now && lease.busy === undefined;
  });
  if (unknown) {
    const target = fairShare(view.shards, live.size);
    const kept = [...mine.filter(isBusy), ...mine.filter((s) => !isBusy(s))];
    const free = order.filter((s) => isFree(view.leases.get(s), view.now));
    const take = [...free.filter(isBusy), ...free.filter((s) => !isBusy(s))].slice(0, Math.max(0, target - kept.length));
    return { renew: kept.slice(0, target), release: kept.slice(target), take, target, busyTarget: target };
  }
  const busyCount = order.filter(isBusy).length;
  const busyTarget = busyCount === 0 ? 0 : fairShare(busyCount, live.size);
  const idleTarget = Math.ceil((view.shards - busyCount) / live.size);
  const [mineBusy, mineIdle] = [mine.filter(isBusy), mine.filter((s) => !isBusy(s))];
  const renew = [...mineBusy.slice(0, busyTarget), ...mineIdle.slice(0, idleTarget)];
  const release = [...mineBusy.slice(busyTarget), ...mineIdle.slice(idleTarget)];
  const free = order.filter((s) => isFree(view.leases.get(s), view.now));
  const take = [
    ...free.filter(isBusy).slice(0, Math.max(0, busyTarget - mineBusy.length)),
    ...free.filter((s) => !isBusy(s)).slice(0, Math.max(0, idleTarget - mineIdle.length)),
  ];
  return { renew, release, take, target: busyTarget + idleTarget, busyTarget };
}

/** Never leased, lapsed, or given back and its hand-over over. */
const isFree = (lease: LeaseView | undefined, now: number) => !lease || lease.until <= now;

/** Every shard once, starting at a place derived from the instance id. */
export function preferenceOrder(instanceId: string, shards: number): number[] {
  const start = shardOf(instanceId, shards);
  return Array.from({ length: shards }, (_, i) => (start + i) % shards);
}

/**
 * The earliest moment after `now` at which a lease another instance does not renew runs out (a shard given back,
 * once its hand-over has passed; a stopped instance's lease) or another instance's heartbeat does (the fair share
 * grows): this instance's share may change then. Leases and heartbeats renewed on time (every third of the lease,
 * for a whole lease) are never due within a tick interval, so only a change comes earlier than the regular tick.
 */
export function nextLapse(
  me: string,
  now: number,
  leases: Iterable<LeaseView>,
  beats: Iterable<{ instanceId: string; until: number }>,
): number | undefined {
  let soonest: number | undefined;
  const consider = (owner: string | undefined, until: number) => {
    if (owner !== me && until > now && (soonest === undefined || until < soonest)) soonest = until;
  };
  for (const lease of leases) consider(lease.owner, lease.until);
  for (const beat of beats) consider(beat.instanceId, beat.until);
  return soonest;
}

/** Another instance holds more than its share, of all shards or of busy ones (it gives the surplus back at its next tick). */
export function overShare(
  leases: ReadonlyMap<number, LeaseView>,
  me: string,
  now: number,
  { target, busyTarget }: Pick<TickPlan, "target" | "busyTarget">,
): boolean {
  const held = new Map<string, { all: number; busy: number }>();
  for (const { owner, until, busy } of leases.values()) {
    if (owner === undefined || owner === me || until <= now) continue;
    const count = held.get(owner) ?? { all: 0, busy: 0 };
    held.set(owner, { all: count.all + 1, busy: count.busy + (busy === true ? 1 : 0) });
  }
  return [...held.values()].some((count) => count.all > target || count.busy > busyTarget);
}
