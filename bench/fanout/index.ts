/**
 * 4. Notification fan-out: N notifications to C conversations in T tenants, delivered by the real dispatcher
 * (child process) through a loopback channel that plays Teams: it ENFORCES the rate limits the dispatcher is
 * configured with, by arrival timestamps (every request counts, as the limiter counts every attempt), answers
 * a request that breaks a window with 429, and answers 5% of the others with 429 + Retry-After.
 */
import { loadConfig, type NotificationsConfig } from "../../src/config.js";
import type { Window } from "../../src/outbox/rateLimiter.js";
import { Child, type Memory } from "../lib/child.js";
import { LoopbackConnector, type ChannelAnswer, type ChannelRequest } from "../../test/helpers/loopbackConnector.js";
import { CpuMeter } from "../lib/proc.js";
import { now, sleep } from "../lib/stats.js";
import { seededRandom } from "../../test/helpers/seededRandom.js";
import type { FanoutReady, FanoutStorage, OutboxCounts } from "./worker.js";

export interface FanoutOptions {
  notifications: number;
  conversations: number;
  tenants: number;
  customers: number;
  /** Teams' limits multiplied by this (counts per window), on both sides. */
  scale: number;
  throttledShare: number;
  retryAfterSeconds: number;
  /** Give up waiting after this long (the run is reported as incomplete). */
  timeoutMs: number;
  /**
   * Unset: the dispatcher runs with its default guard band (NOTIFY_GUARD_MS) on the limits the channel enforces.
   * Set (an experiment): NOTIFY_GUARD_MS is this, so 0 means exactly the channel's windows.
   */
  guardMs?: number;
}

export interface FanoutResult {
  options: FanoutOptions;
  /** The limits the channel enforced (and, unless guardMs, the dispatcher's). */
  limits: NotificationsConfig["limits"];
  dispatcherLimits: NotificationsConfig["limits"];
  concurrency: number;
  seedMs: number;
  rowsWritten: number;
  /** dispatcher.start() -> the last notification delivered (as the channel saw it). */
  completionMs: number;
  /** The first send's arrival -> the last delivery. */
  sendSpanMs: number;
  /** Lower bound from the limits for the deliveries alone, and with the attempts the random 429s forced. */
  minimumMs: number;
  minimumWithRetriesMs: number;
  ratio: number;
  ratioWithRetries: number;
  attempts: number;
  delivered: number;
  randomThrottled: number;
  violations: number;
  /** Requests that would break a window shortened by this many ms (how close to the edge the sends are). */
  violationsWithin: Record<string, number>;
  lost: number;
  duplicated: number;
  counts: OutboxCounts;
  /** The dispatcher's Table Storage requests during the run, in all and per notification. */
  storage: FanoutStorage & { perNotification: number };
  complete: boolean;
  memory: { idle: Memory; seeded: Memory; after: Memory };
  /** CPU milliseconds per delivered notification: the dispatcher process, Azurite, the channel (this process). */
  cpu: { dispatcher?: number; azurite?: number; channel?: number; machineBusy?: number; outsideBusy?: number };
}

interface Series {
  times: number[];
}

const SEND = /^(send|reply)$/;

/** Number of entries in sorted `times` greater than `bound`. */
function countAbove(times: readonly number[], bound: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > bound) hi = mid;
    else lo = mid + 1;
  }
  return times.length - lo;
}

/** True if adding a request at `at` (>= every time in the series) makes some window hold more than its limit. */
function breaks(series: Series, at: number, windows: readonly Window[], shortenBy = 0): boolean {
  return windows.some(({ limit, perMs }) => countAbove(series.times, at - (perMs - shortenBy)) + 1 > limit);
}

/**
 * The least time the limits allow between the first and the last of `sends[key]` requests on every key: for one
 * window of L per W, the n-th request can start no sooner than floor((n - 1) / L) * W after the first.
 */
export function theoreticalMinimumMs(perKey: Iterable<number>, windows: readonly Window[]): number {
  let worst = 0;
  for (const n of perKey) for (const { limit, perMs } of windows) worst = Math.max(worst, Math.floor(Math.max(0, n - 1) / limit) * perMs);
  return worst;
}

/** Teams' limits as NOTIFY_* settings, every count multiplied by `scale` (the guard band is NOTIFY_GUARD_MS's). */
export function scaledLimits(scale: number): Record<string, string> {
  const windows = (spec: string) =>
    spec
      .split(",")
      .map((part) => {
        const [count, ms] = part.split("/").map(Number);
        return `${count! * scale}/${ms!}`;
      })
      .join(",");
  return { NOTIFY_CONVERSATION_LIMITS: windows("7/1000,8/2000,60/30000,1800/3600000"), NOTIFY_TENANT_LIMITS: windows("30/1000") };
}

export async function runFanout(
  env: Record<string, string>,
  azuritePid: number | undefined,
  options: FanoutOptions,
  log: (line: string) => void,
): Promise<FanoutResult> {
  const random = seededRandom(429);
  // The channel's limits go through the same parser as the dispatcher's settings, without the dispatcher's guard
  // band: Teams enforces its published windows exactly.
  const enforced = loadConfig({ LOG_LEVEL: "silent", ...scaledLimits(options.scale), NOTIFY_GUARD_MS: "0" }).notifications.limits;
  const conversationsSeries = new Map<string, Series>();
  const tenantsSeries = new Map<string, Series>();
  const deliveredKeys = new Map<string, number>();
  let ready: FanoutReady | undefined;
  let attempts = 0;
  let randomThrottled = 0;
  let violations = 0;
  let firstArrival = Number.NaN;
  let lastDelivery = Number.NaN;
  const arrivals: Array<{ conversationId: string; tenantId: string; at: number; outcome: "delivered" | "throttled" | "overLimit" }> = [];
  const throttle = (): ChannelAnswer => ({
    status: 429,
    headers: { "retry-after": String(options.retryAfterSeconds) },
    body: { error: { code: "TooManyRequests", message: "Too many requests" } },
  });

  const channel = new LoopbackConnector((request: ChannelRequest): ChannelAnswer | undefined => {
    const key = request.activity?.channelData?.partnerDesk?.idempotencyKey;
    if (!SEND.test(request.kind) || typeof key !== "string" || !ready) return undefined;
    const limits = enforced;
    const tenantId = ready.conversations[request.conversationId] ?? String(request.activity?.conversation?.tenantId ?? "unknown");
    const conversation = conversationsSeries.get(request.conversationId) ?? { times: [] };
    const tenant = tenantsSeries.get(tenantId) ?? { times: [] };
    conversationsSeries.set(request.conversationId, conversation);
    tenantsSeries.set(tenantId, tenant);
    const at = request.at;
    attempts++;
    if (Number.isNaN(firstArrival)) firstArrival = at;
    const broken = breaks(conversation, at, limits.perConversation) || breaks(tenant, at, limits.perTenant);
    // Every request counts against the windows, as Teams counts requests and the limiter counts attempts.
    conversation.times.push(at);
    tenant.times.push(at);
    const arrival = {
      conversationId: request.conversationId,
      tenantId,
      at,
      outcome: "delivered" as "delivered" | "throttled" | "overLimit",
    };
    arrivals.push(arrival);
    if (broken) {
      violations++;
      arrival.outcome = "overLimit";
      return throttle();
    }
    if (random() < options.throttledShare) {
      randomThrottled++;
      arrival.outcome = "throttled";
      return throttle();
    }
    deliveredKeys.set(key, (deliveredKeys.get(key) ?? 0) + 1);
    lastDelivery = at;
    return undefined;
  });
  await channel.start();

  const worker = await Child.start("dispatcher", new URL("./worker.ts", import.meta.url), env);
  try {
    const idle = await worker.memory();
    ready = await worker.call<FanoutReady>(
      "setup",
      {
        partners: options.conversations,
        tenants: options.tenants,
        customers: options.customers,
        notifications: options.notifications,
        serviceUrl: channel.serviceUrl,
        env: { ...scaledLimits(options.scale), ...(options.guardMs !== undefined ? { NOTIFY_GUARD_MS: String(options.guardMs) } : {}) },
      },
      300_000,
    );
    log(
      `  seeded ${ready.rowsWritten} rows (partners, conversation references, ${options.notifications} outbox rows) in ${(ready.seedMs / 1000).toFixed(1)} s`,
    );
    const seeded = await worker.memory();

    const meter = new CpuMeter({ dispatcher: worker.pid, azurite: azuritePid, channel: process.pid });
    const started = await worker.call<number>("start");
    const deadline = started + options.timeoutMs;
    let lastLog = now();
    while (deliveredKeys.size < options.notifications && now() < deadline) {
      await sleep(100);
      if (now() - lastLog > 10_000) {
        lastLog = now();
        log(
          `  ${deliveredKeys.size} / ${options.notifications} delivered after ${((now() - started) / 1000).toFixed(0)} s (${attempts} requests, ${randomThrottled} throttled at random, ${violations} over a limit)`,
        );
      }
    }
    const complete = deliveredKeys.size >= options.notifications;
    const measured = meter.stop();
    const cpu: FanoutResult["cpu"] = {};
    for (const key of ["dispatcher", "azurite", "channel"] as const) {
      const value = measured.perProcessMs[key];
      if (value !== undefined) cpu[key] = value / Math.max(1, deliveredKeys.size);
    }
    if (measured.machineBusy !== undefined) cpu.machineBusy = measured.machineBusy;
    if (measured.outsideBusy !== undefined) cpu.outsideBusy = measured.outsideBusy;
    const completionMs = lastDelivery - started;
    // Let the dispatcher record the last deliveries on their rows, then stop it and count the outbox.
    for (let i = 0; i < 100 && (await worker.call<number>("pending", {}, 60_000)) > 0 && now() < deadline + 10_000; i++) await sleep(200);
    await worker.call("stopDispatcher", {}, 60_000);
    const storage = await worker.call<FanoutStorage>("storage", {}, 60_000);
    const counts = await worker.call<OutboxCounts>("counts", {}, 120_000);
    const after = await worker.memory();

    const limits = enforced;
    const perConversation = new Map<string, { deliveries: number; attempts: number }>();
    const perTenant = new Map<string, { deliveries: number; attempts: number }>();
    // Deliveries per key from the seeding plan: notification k goes to conversation k % conversations.
    for (let k = 0; k < options.notifications; k++) {
      const conversationId = `a:fanout-${k % options.conversations}`;
      const tenantId = ready.conversations[conversationId]!;
      const c = perConversation.get(conversationId) ?? { deliveries: 0, attempts: 0 };
      const t = perTenant.get(tenantId) ?? { deliveries: 0, attempts: 0 };
      c.deliveries++;
      t.deliveries++;
      perConversation.set(conversationId, c);
      perTenant.set(tenantId, t);
    }
    // The random 429s force extra attempts that a perfect dispatcher would also have to make (but not the
    // over-limit ones: those a perfect dispatcher would not cause). Count them per key from the arrivals.
    const forcedByConversation = new Map<string, number>();
    const forcedByTenant = new Map<string, number>();
    const minimumOf = (deliveries: Map<string, { deliveries: number }>, forced?: Map<string, number>) =>
      [...deliveries].map(([key, v]) => v.deliveries + (forced?.get(key) ?? 0));
    for (const a of arrivals) {
      if (a.outcome !== "throttled") continue;
      forcedByConversation.set(a.conversationId, (forcedByConversation.get(a.conversationId) ?? 0) + 1);
      forcedByTenant.set(a.tenantId, (forcedByTenant.get(a.tenantId) ?? 0) + 1);
    }
    const minimumMs = Math.max(
      theoreticalMinimumMs(minimumOf(perConversation), limits.perConversation),
      theoreticalMinimumMs(minimumOf(perTenant), limits.perTenant),
    );
    const minimumWithRetriesMs = Math.max(
      theoreticalMinimumMs(minimumOf(perConversation, forcedByConversation), limits.perConversation),
      theoreticalMinimumMs(minimumOf(perTenant, forcedByTenant), limits.perTenant),
    );

    // How close to the window edges the accepted sends are: would they break windows a few ms shorter?
    const violationsWithin: Record<string, number> = {};
    for (const shortenBy of [1, 5, 20]) {
      const conv = new Map<string, Series>();
      const ten = new Map<string, Series>();
      let n = 0;
      for (const a of arrivals) {
        const c = conv.get(a.conversationId) ?? { times: [] };
        const t = ten.get(a.tenantId) ?? { times: [] };
        conv.set(a.conversationId, c);
        ten.set(a.tenantId, t);
        if (breaks(c, a.at, limits.perConversation, shortenBy) || breaks(t, a.at, limits.perTenant, shortenBy)) n++;
        c.times.push(a.at);
        t.times.push(a.at);
      }
      violationsWithin[`${shortenBy} ms`] = n;
    }

    const duplicated = [...deliveredKeys.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    return {
      options,
      limits,
      dispatcherLimits: ready.notifications.limits,
      concurrency: ready.notifications.concurrency,
      seedMs: ready.seedMs,
      rowsWritten: ready.rowsWritten,
      completionMs,
      sendSpanMs: lastDelivery - firstArrival,
      minimumMs,
      minimumWithRetriesMs,
      ratio: completionMs / minimumMs,
      ratioWithRetries: completionMs / minimumWithRetriesMs,
      attempts,
      delivered: deliveredKeys.size,
      randomThrottled,
      violations,
      violationsWithin,
      lost: options.notifications - deliveredKeys.size,
      duplicated,
      counts,
      storage: { ...storage, perNotification: storage.requests / Math.max(1, deliveredKeys.size) },
      complete,
      memory: { idle, seeded, after },
      cpu,
    };
  } finally {
    await worker.stop();
    await channel.stop();
  }
}
