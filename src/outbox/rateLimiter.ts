/**
 * Exact sliding-window rate limiting for proactive Teams sends.
 *
 * Teams measures "N requests in any window of W" per bot per conversation and per app per tenant. A token
 * bucket refilled at the average rate would allow a burst above "7 in any 1 s", so this limiter keeps the
 * timestamps of recent sends per key and admits a send only if every window that would contain it stays
 * within its limit.
 *
 * The limits are per process. When several dispatcher instances send for the same bot, each must get a
 * share of the budget (see `divideLimits`), or the instances together exceed what Teams allows and
 * everybody collects 429s.
 */
import { setTimeout as delay } from "node:timers/promises";
import { departureDelay, firstIndexAbove, insertSorted, nextCandidate, removeSorted, type Window } from "./slidingWindows.js";

export { maxInAnyWindow, type Window } from "./slidingWindows.js";

export interface RateLimits {
  perConversation: Window[];
  perTenant: Window[];
  /**
   * The guard band already added to every window above (NOTIFY_GUARD_MS): how long a request may take to reach
   * Teams after it leaves without coming closer to the sends after it than Teams allows. A send whose request
   * takes longer is counted from its end (Departure.done) minus this. Default 0.
   */
  guardMs?: number;
}

/** A send let through by `acquire`. */
export interface Departure {
  /**
   * The request is over (answered or failed). Teams counts a send when it arrives, which is some time before
   * this: if that may be more than the guard band after it left, the send is counted from now minus the guard
   * band, so the sends after it keep their distance from when it may have arrived. Not calling it leaves the
   * send counted from when it left.
   */
  done(): void;
}

const SECOND = 1000;

/** Microsoft's published limits: per bot per conversation, and all requests of one app in one tenant. */
export const TEAMS_LIMITS: RateLimits = {
  perConversation: [
    { limit: 7, perMs: 1 * SECOND },
    { limit: 8, perMs: 2 * SECOND },
    { limit: 60, perMs: 30 * SECOND },
    { limit: 1800, perMs: 3600 * SECOND },
  ],
  perTenant: [{ limit: 30, perMs: 1 * SECOND }],
};

export interface Clock {
  /** Milliseconds on a clock that never goes backwards. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * A monotonic clock: `Date.now()` can jump back when the system clock is corrected, which would let a burst
 * through. Node's timers work in whole milliseconds and may fire a fraction of a millisecond early, so
 * `sleep` re-checks and never returns before the requested time has passed.
 */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  async sleep(ms: number): Promise<void> {
    const end = realClock.now() + ms;
    for (let left = ms; left > 0; left = end - realClock.now()) {
      await delay(Math.ceil(left));
    }
  },
};

/**
 * Splits limits between `instances` processes sending for the same bot, rounding down (at least 1 per
 * window), so that the instances together never exceed the original limits.
 */
export function divideLimits(limits: RateLimits, instances: number): RateLimits {
  if (!Number.isInteger(instances) || instances < 1) {
    throw new RangeError(`instances must be a positive integer, got ${instances}`);
  }
  const divide = (windows: Window[]): Window[] =>
    windows.map(({ limit, perMs }) => ({ limit: Math.max(1, Math.floor(limit / instances)), perMs }));
  return {
    perConversation: divide(limits.perConversation),
    perTenant: divide(limits.perTenant),
    ...(limits.guardMs !== undefined ? { guardMs: limits.guardMs } : {}),
  };
}

/** Timestamps (sorted ascending) of sends made or reserved for one key. */
interface Series {
  times: number[];
  /** Conversations only: resolves when the latest caller has been let through (callers leave in call order). */
  tail?: Promise<void>;
  /** Conversations only: callers not yet let through. */
  waiting?: number;
}

export class RateLimiter {
  private readonly conversations = new Map<string, Series>();
  private readonly tenants = new Map<string, Series>();
  private readonly longestConversationWindow: number;
  private readonly longestTenantWindow: number;
  private readonly longestWindow: number;
  private readonly guardMs: number;
  private lastSweep: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: Clock = realClock,
  ) {
    for (const window of [...limits.perConversation, ...limits.perTenant]) {
      if (!Number.isInteger(window.limit) || window.limit < 1 || !Number.isFinite(window.perMs) || window.perMs <= 0) {
        throw new RangeError(`invalid rate limit window ${JSON.stringify(window)}: limit must be a positive integer, perMs positive`);
      }
    }
    this.longestConversationWindow = Math.max(0, ...limits.perConversation.map((w) => w.perMs));
    this.longestTenantWindow = Math.max(0, ...limits.perTenant.map((w) => w.perMs));
    this.longestWindow = Math.max(this.longestConversationWindow, this.longestTenantWindow);
    if (limits.guardMs !== undefined && !(Number.isFinite(limits.guardMs) && limits.guardMs >= 0))
      throw new RangeError(`invalid guard band ${limits.guardMs}: must be 0 or more milliseconds`);
    this.guardMs = limits.guardMs ?? 0;
    this.lastSweep = clock.now();
  }

  /**
   * Waits until a send to this conversation in this tenant is allowed under every window, then records it.
   *
   * The slot is chosen and recorded synchronously, before the first `await`, so concurrent callers each see
   * the others' reservations and can never jointly exceed a window. Sends to one conversation are granted in
   * call order (a conversation's slots never go backwards), which keeps its messages in order; different
   * conversations only wait for each other through the tenant's windows.
   *
   * A reserved slot stays spent even if the caller gives up on the send: that errs on the safe side.
   *
   * A caller that has to wait is counted when it is let through, not when its slot was due: a timer fires late
   * when the event loop is busy or the process was descheduled, and a send leaving late would otherwise come
   * closer than a window allows to the sends that were spaced from its slot. So on waking it checks every window
   * against the sends already let through (and those whose slot has passed), moves its timestamp to the time it
   * actually leaves, and waits again if that is too close; a send spaced from its old slot does the same check
   * when it wakes. A conversation's callers still leave in call order.
   */
  async acquire(tenantId: string, conversationId: string): Promise<Departure> {
    let now = this.clock.now();
    if (now - this.lastSweep >= this.longestWindow) this.prune(now);
    const key = conversationKey(tenantId, conversationId);
    const conversation = this.series(this.conversations, key, now, this.longestConversationWindow);
    const tenant = this.series(this.tenants, tenantId, now, this.longestTenantWindow);
    let at = this.earliestSlot(conversation, tenant, now);
    conversation.times.push(at); // never earlier than the conversation's last slot, so still sorted
    insertSorted(tenant.times, at);
    if (at <= now && !conversation.waiting) return this.departure(key, tenantId, at); // free now, nobody of this conversation ahead

    const previous = conversation.tail;
    let leave!: () => void;
    conversation.tail = new Promise<void>((resolve) => (leave = resolve));
    conversation.waiting = (conversation.waiting ?? 0) + 1;
    try {
      if (at > now) await this.clock.sleep(at - now);
      await previous;
      for (;;) {
        now = this.clock.now();
        removeSorted(conversation.times, at);
        removeSorted(tenant.times, at);
        const wait = Math.max(
          departureDelay(conversation.times, now, this.limits.perConversation),
          departureDelay(tenant.times, now, this.limits.perTenant),
        );
        at = now + Math.max(0, wait);
        insertSorted(conversation.times, at);
        insertSorted(tenant.times, at);
        if (wait <= 0) return this.departure(key, tenantId, at);
        await this.clock.sleep(wait);
      }
    } finally {
      conversation.waiting -= 1;
      leave();
    }
  }

  /** The handle for a send that left at `left`: `done` moves its timestamp if its request took longer than the guard band. */
  private departure(conversationKey: string, tenantId: string, left: number): Departure {
    let over = false;
    return {
      done: () => {
        if (over) return;
        over = true;
        const now = this.clock.now();
        const counted = now - this.guardMs;
        if (counted <= left) return;
        // The series are looked up again: a request that outlived the longest window may have seen its own pruned.
        const keys: Array<[Map<string, Series>, string, number]> = [
          [this.conversations, conversationKey, this.longestConversationWindow],
          [this.tenants, tenantId, this.longestTenantWindow],
        ];
        for (const [map, key, longest] of keys) {
          const series = this.series(map, key, now, longest);
          removeSorted(series.times, left);
          insertSorted(series.times, counted);
        }
      },
    };
  }

  /** How long acquire would wait right now (0 = free), without recording anything. */
  delayFor(tenantId: string, conversationId: string, now: number = this.clock.now()): number {
    const conversation = this.conversations.get(conversationKey(tenantId, conversationId)) ?? { times: [] };
    const tenant = this.tenants.get(tenantId) ?? { times: [] };
    return this.earliestSlot(conversation, tenant, now) - now;
  }

  /** Forget conversations idle longer than the longest window (memory stays bounded). */
  prune(now: number = this.clock.now()): void {
    this.lastSweep = now;
    pruneMap(this.conversations, now, this.longestConversationWindow);
    pruneMap(this.tenants, now, this.longestTenantWindow);
  }

  /** Number of conversations and tenants currently tracked (for metrics and tests). */
  get size(): { conversations: number; tenants: number } {
    return { conversations: this.conversations.size, tenants: this.tenants.size };
  }

  private series(map: Map<string, Series>, key: string, now: number, longest: number): Series {
    let series = map.get(key);
    if (!series) {
      series = { times: [] };
      map.set(key, series);
    } else {
      trim(series, now, longest);
    }
    return series;
  }

  /**
   * The earliest time >= now (and >= the conversation's last slot) that fits every window of both keys.
   * Starting at the last slot is not needed for correctness (slots are only ever taken, so every time before
   * it is still blocked), but it states the ordering guarantee and skips the search over those times.
   */
  private earliestSlot(conversation: Series, tenant: Series, now: number): number {
    let at = Math.max(now, conversation.times.at(-1) ?? now);
    for (;;) {
      const later = Math.max(
        nextCandidate(conversation.times, at, this.limits.perConversation) ?? at,
        nextCandidate(tenant.times, at, this.limits.perTenant) ?? at,
      );
      if (later === at) return at;
      at = later;
    }
  }
}

function conversationKey(tenantId: string, conversationId: string): string {
  // Conversation ids are unique per service, but keying by tenant too keeps a forged or colliding id
  // in one tenant from consuming another tenant's budget.
  return `${tenantId}\u0000${conversationId}`;
}

/** Drops timestamps that can no longer share a window with any send at or after `now`. */
function trim(series: Series, now: number, longest: number): void {
  const expired = firstIndexAbove(series.times, now - longest);
  if (expired > 0) series.times.splice(0, expired);
}

function pruneMap(map: Map<string, Series>, now: number, longest: number): void {
  for (const [key, series] of map) {
    trim(series, now, longest);
    if (series.times.length === 0) map.delete(key);
  }
}
