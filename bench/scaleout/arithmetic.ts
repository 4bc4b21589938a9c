/**
 * The scale-out section's arithmetic, kept apart from the processes so that a unit test can check every figure the
 * benchmark prints (test/unit/bench-scaleout-arithmetic.test.ts): the theoretical minimum the limits allow, requests
 * over a limit by exact sliding windows, and duplicated deliveries with the ones a crash explains.
 */
import type { Window } from "../../src/outbox/rateLimiter.js";

/**
 * Indices of the requests (times in arrival order, ascending) that break a window: with them, some window of `perMs`
 * ending at their arrival holds more than `limit` requests. Every request counts, the refused ones too, as Teams
 * counts requests. A window is (t - perMs, t], as the outbox's RateLimiter counts it; equal times count in order.
 */
export function overLimitIndices(times: readonly number[], windows: readonly Window[]): Set<number> {
  const over = new Set<number>();
  for (const { limit, perMs } of windows) {
    let oldest = 0;
    for (let i = 0; i < times.length; i++) {
      while (times[oldest]! <= times[i]! - perMs) oldest++;
      if (i - oldest + 1 > limit) over.add(i);
    }
  }
  return over;
}

/** Requests over a limit per key (a tenant, a conversation): arrivals in any order, sorted by time here. */
export function overLimitByKey(arrivals: ReadonlyArray<{ key: string; at: number }>, windows: readonly Window[]): Map<string, number> {
  const times = new Map<string, number[]>();
  for (const { key, at } of arrivals) {
    const list = times.get(key) ?? [];
    list.push(at);
    times.set(key, list);
  }
  const out = new Map<string, number>();
  for (const [key, list] of times) {
    const over = overLimitIndices(
      list.sort((a, b) => a - b),
      windows,
    ).size;
    if (over > 0) out.set(key, over);
  }
  return out;
}

/**
 * The least time the limits allow between the first and the last of n requests on one key: with L per W, the n-th
 * request can arrive no sooner than floor((n - 1) / L) * W after the first. Over keys and windows: the largest.
 */
export function minimumSpanMs(countsPerKey: Iterable<number>, windows: readonly Window[]): number {
  let worst = 0;
  for (const n of countsPerKey)
    for (const { limit, perMs } of windows) worst = Math.max(worst, Math.floor(Math.max(0, n - 1) / limit) * perMs);
  return worst;
}

export interface TheoreticalMinimum {
  ms: number;
  /** How it was derived, with the numbers of this run, for the report. */
  formula: string;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The theoretical minimum completion time of delivering `perTenant` / `perConversation` requests within `limits`:
 * the tenant bound and the conversation bound, whichever is larger. Instances add no capacity: Teams' limits are
 * per app, not per process.
 */
export function theoreticalMinimum(
  perTenant: ReadonlyMap<string, number>,
  perConversation: ReadonlyMap<string, number>,
  limits: { perTenant: readonly Window[]; perConversation: readonly Window[] },
): TheoreticalMinimum {
  const tenantMs = minimumSpanMs(perTenant.values(), limits.perTenant);
  const conversationMs = minimumSpanMs(perConversation.values(), limits.perConversation);
  const busiestTenant = Math.max(0, ...perTenant.values());
  const busiestConversation = Math.max(0, ...perConversation.values());
  const total = [...perTenant.values()].reduce((a, b) => a + b, 0);
  const tenantWindow = limits.perTenant[0];
  const rate = tenantWindow ? `${tenantWindow.limit}/${tenantWindow.perMs / 1000} s` : "n/a";
  const balanced = tenantWindow ? (total / (perTenant.size * tenantWindow.limit)) * (tenantWindow.perMs / 1000) : Number.NaN;
  const ms = Math.max(tenantMs, conversationMs);
  const formula =
    `max over tenants and their windows of floor((n - 1) / L) × W: busiest tenant n = ${count(busiestTenant)} at ${rate} → ${(tenantMs / 1000).toFixed(1)} s ` +
    `(balanced: ${count(total)} / (${perTenant.size} × ${rate}) ≈ ${balanced.toFixed(1)} s); ` +
    `per conversation, busiest n = ${count(busiestConversation)} → ${(conversationMs / 1000).toFixed(1)} s; minimum ${(ms / 1000).toFixed(1)} s`;
  return { ms, formula };
}

export interface Delivery {
  /** notification id : recipient user id (the idempotency key the engine sends). */
  key: string;
  at: number;
  /** Which process sent it (1-based). */
  sender: number;
}

export interface Duplicates {
  /** Deliveries beyond the first of each key. */
  duplicated: number;
  /** Of those: the first delivery came from the killed process at or before the kill, the repeat after it from another. */
  inCrashWindow: number;
  /** Duplicates a crash does not explain (must be 0). */
  unexplained: number;
  /** The longest time between such a first delivery and the kill: how far back the crash window reached. */
  crashWindowMs: number;
  /** Keys delivered more than once, for the report (the first few). */
  examples: string[];
}

/** Duplicated deliveries (same notification and recipient delivered twice), attributed to a crash if one explains them. */
export function countDuplicates(deliveries: readonly Delivery[], killed?: { sender: number; at: number }): Duplicates {
  const byKey = new Map<string, Delivery[]>();
  for (const d of deliveries) {
    const list = byKey.get(d.key) ?? [];
    list.push(d);
    byKey.set(d.key, list);
  }
  const out: Duplicates = { duplicated: 0, inCrashWindow: 0, unexplained: 0, crashWindowMs: 0, examples: [] };
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.at - b.at);
    const first = list[0]!;
    if (out.examples.length < 5) out.examples.push(key);
    for (const repeat of list.slice(1)) {
      out.duplicated++;
      const explained =
        killed !== undefined &&
        first.sender === killed.sender &&
        first.at <= killed.at &&
        repeat.sender !== killed.sender &&
        repeat.at > killed.at;
      if (explained) {
        out.inCrashWindow++;
        out.crashWindowMs = Math.max(out.crashWindowMs, killed.at - first.at);
      } else out.unexplained++;
    }
  }
  return out;
}
