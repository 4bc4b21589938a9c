/**
 * One channel emulator for several outbox processes: a loopback Bot Connector port per process (so it knows who
 * sent each request) over ONE state, so Teams' limits are enforced across all of them, as Teams enforces them per
 * app. Like section 4's channel it answers a request that breaks a window (per app per tenant, per conversation;
 * every request counts) with 429, and a share of the others with 429 + Retry-After at random. Every request is
 * recorded with its sender and arrival time; the figures are computed from the records afterwards
 * (arithmetic.ts), so they do not depend on the order the answers were decided in.
 */
import { LoopbackConnector, type ChannelAnswer, type ChannelRequest } from "../../test/helpers/loopbackConnector.js";
import { seededRandom } from "../../test/helpers/seededRandom.js";
import type { Window } from "../../src/outbox/rateLimiter.js";

export interface Arrival {
  /** 1-based process number. */
  sender: number;
  conversationId: string;
  tenantId: string;
  key: string;
  at: number;
  outcome: "delivered" | "throttled" | "overLimit";
}

export interface ChannelOptions {
  limits: { perConversation: Window[]; perTenant: Window[] };
  throttledShare: number;
  retryAfterSeconds: number;
}

/** Number of entries of sorted `times` that are <= `bound`. */
function countUpTo(times: readonly number[], bound: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Times of the requests on one key, kept sorted (answers may be decided slightly out of arrival order). */
class Series {
  private times: number[] = [];

  /** True if a request at `at` makes some window (t - W, t] hold more than its limit; records it either way. */
  addBreaks(at: number, windows: readonly Window[]): boolean {
    const i = countUpTo(this.times, at);
    this.times.splice(i, 0, at);
    const longest = Math.max(...windows.map((w) => w.perMs));
    // Older than any window (with a second's slack for late answers): no longer needed.
    const old = countUpTo(this.times, at - longest - 1000);
    if (old > 1000) this.times = this.times.slice(old);
    const upToAt = countUpTo(this.times, at);
    return windows.some(({ limit, perMs }) => upToAt - countUpTo(this.times, at - perMs) > limit);
  }
}

const SEND = /^(send|reply)$/;

export class SharedChannel {
  readonly arrivals: Arrival[] = [];
  /** Delivery key -> deliveries. */
  readonly delivered = new Map<string, number>();
  lastDeliveryAt = Number.NaN;
  private readonly ports: LoopbackConnector[] = [];
  private readonly conversationSeries = new Map<string, Series>();
  private readonly tenantSeries = new Map<string, Series>();
  private readonly random = seededRandom(429);
  private conversations: Record<string, string> = {};

  constructor(private readonly options: ChannelOptions) {}

  /** Starts a port per process; returns their service URLs (process n sends to urls[n - 1]). */
  async start(processes: number): Promise<string[]> {
    for (let n = 1; n <= processes; n++) this.ports.push(await new LoopbackConnector((request) => this.answer(n, request)).start());
    return this.ports.map((p) => p.serviceUrl);
  }

  /** Which tenant each conversation is in (known once seeded); requests before that are answered 200, unrecorded. */
  knowConversations(conversations: Record<string, string>): void {
    this.conversations = conversations;
  }

  async stop(): Promise<void> {
    await Promise.all(this.ports.map((p) => p.stop()));
  }

  private answer(sender: number, request: ChannelRequest): ChannelAnswer | undefined {
    const key: unknown = request.activity?.channelData?.partnerDesk?.idempotencyKey;
    if (!SEND.test(request.kind) || typeof key !== "string") return undefined;
    const tenantId = this.conversations[request.conversationId] ?? String(request.activity?.conversation?.tenantId ?? "unknown");
    const conversation = this.seriesOf(this.conversationSeries, request.conversationId);
    const tenant = this.seriesOf(this.tenantSeries, tenantId);
    // Both windows record the request: every request counts, as Teams counts requests.
    const overConversation = conversation.addBreaks(request.at, this.options.limits.perConversation);
    const overTenant = tenant.addBreaks(request.at, this.options.limits.perTenant);
    const arrival: Arrival = { sender, conversationId: request.conversationId, tenantId, key, at: request.at, outcome: "delivered" };
    this.arrivals.push(arrival);
    if (overConversation || overTenant) {
      arrival.outcome = "overLimit";
      return this.throttle();
    }
    if (this.random() < this.options.throttledShare) {
      arrival.outcome = "throttled";
      return this.throttle();
    }
    this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
    if (!(request.at <= this.lastDeliveryAt)) this.lastDeliveryAt = request.at;
    return undefined;
  }

  private seriesOf(map: Map<string, Series>, key: string): Series {
    let series = map.get(key);
    if (!series) map.set(key, (series = new Series()));
    return series;
  }

  private throttle(): ChannelAnswer {
    return {
      status: 429,
      headers: { "retry-after": String(this.options.retryAfterSeconds) },
      body: { error: { code: "TooManyRequests", message: "Too many requests" } },
    };
  }
}
