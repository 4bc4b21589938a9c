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
}

export interface TickView {
  shards: number;
  me: string;
  /** Instances whose heartbeat has not expired (this one counts whatever the table says). */
  live: readonly string[];
  leases: ReadonlyMap<number, LeaseView>;
  now: number;
}

export interface TickPlan {
  /** Held by us, kept: renew them. */
  renew: number[];
  /** Held by us beyond our fair share (others arrived): stop sending for them and give them back. */
  release: number[];
  /** Free (never leased, lapsed, or given back and its handover over): try to take them, up to our fair share. */
  take: number[];
  target: number;
}

/**
 * What one instance does on a tick. It keeps what it holds up to its fair share (the lowest-numbered of its own
 * preference order first, so the same ones stay), gives back the rest, and takes free shards until it has its share,
 * starting at an offset of its own so that instances arriving together mostly reach for different shards.
 */
export function planTick(view: TickView): TickPlan {
  const live = new Set([...view.live, view.me]);
  const target = fairShare(view.shards, live.size);
  const order = preferenceOrder(view.me, view.shards);
  const mine = order.filter((s) => {
    const lease = view.leases.get(s);
    return lease?.owner === view.me && lease.until > view.now;
  });
  const renew = mine.slice(0, target);
  const release = mine.slice(target);
  const free = order.filter((s) => {
    const lease = view.leases.get(s);
    return !lease || lease.until <= view.now;
  });
  const take = free.slice(0, Math.max(0, target - renew.length));
  return { renew, release, take, target };
}

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

/** Another instance holds more than `target` shards (it gives the surplus back at its next tick). */
export function overShare(leases: ReadonlyMap<number, LeaseView>, me: string, now: number, target: number): boolean {
  const held = new Map<string, number>();
  for (const { owner, until } of leases.values())
    if (owner !== undefined && owner !== me && until > now) held.set(owner, (held.get(owner) ?? 0) + 1);
  return [...held.values()].some((count) => count > target);
}
