import { expect } from "chai";
import { seededRandom } from "../helpers/seededRandom.js";
import {
  RateLimiter,
  TEAMS_LIMITS,
  divideLimits,
  maxInAnyWindow,
  realClock,
  type Clock,
  type RateLimits,
  type Window,
} from "../../src/outbox/rateLimiter.js";

/**
 * Virtual time: `sleep` registers a timer, and time jumps to the earliest timer once everything runnable has
 * run (one timer per macrotask, so each woken caller finishes its synchronous work before the next wakes).
 */
class ManualClock implements Clock {
  private time: number;
  private readonly timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;
  private scheduled = false;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, resolve });
      this.schedule();
    });
  }

  /** Moves time forward while nobody is sleeping (idle periods between tests steps). */
  advance(ms: number): void {
    this.time += ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.fire());
  }

  private fire(): void {
    this.scheduled = false;
    let next = 0;
    for (let i = 1; i < this.timers.length; i++) {
      const a = this.timers[i]!;
      const b = this.timers[next]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) next = i;
    }
    const [timer] = this.timers.splice(next, 1);
    if (!timer) return;
    this.time = Math.max(this.time, timer.at);
    timer.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}

interface Send {
  tenant: string;
  conversation: string;
  arrival: number;
}

interface Sent extends Send {
  index: number;
  at: number;
}

/** Starts every send concurrently (each waits for its arrival time, then acquires) and records when each was let through. */
async function runSends(limiter: RateLimiter, clock: ManualClock, sends: Send[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  await Promise.all(
    sends.map(async (send, index) => {
      if (send.arrival > clock.now()) await clock.sleep(send.arrival - clock.now());
      await limiter.acquire(send.tenant, send.conversation);
      sent.push({ ...send, index, at: clock.now() });
    }),
  );
  return sent;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Asserts every window of every conversation and tenant held, and that each conversation was served in call order. */
function expectWithinLimits(sent: Sent[], limits: RateLimits): void {
  const check = (groups: Map<string, Sent[]>, windows: Window[], what: string) => {
    for (const [key, group] of groups) {
      const times = group.map((s) => s.at);
      for (const { limit, perMs } of windows) {
        expect(maxInAnyWindow(times, perMs), `${what} ${key}: ${limit} per ${perMs} ms`).to.be.at.most(limit);
      }
    }
  };
  check(
    groupBy(sent, (s) => `${s.tenant}/${s.conversation}`),
    limits.perConversation,
    "conversation",
  );
  check(
    groupBy(sent, (s) => s.tenant),
    limits.perTenant,
    "tenant",
  );
  for (const [key, group] of groupBy(sent, (s) => `${s.tenant}/${s.conversation}`)) {
    const byCall = [...group].sort((a, b) => a.index - b.index);
    // Same-time sends resolve in call order; later calls never get earlier slots.
    for (let i = 1; i < byCall.length; i++) {
      if (byCall[i]!.arrival >= byCall[i - 1]!.arrival) {
        expect(byCall[i]!.at, `conversation ${key} keeps call order`).to.be.at.least(byCall[i - 1]!.at);
      }
    }
  }
  for (const s of sent) expect(s.at).to.be.at.least(s.arrival);
}

describe("notifications: rate limiter", () => {
  describe("maxInAnyWindow", () => {
    it("is 0 for no timestamps", () => {
      expect(maxInAnyWindow([], 1000)).to.equal(0);
    });

    it("counts timestamps in a half-open window [t, t + perMs)", () => {
      expect(maxInAnyWindow([0, 999], 1000)).to.equal(2);
      expect(maxInAnyWindow([0, 1000], 1000)).to.equal(1);
      expect(maxInAnyWindow([0, 999, 1000], 1000)).to.equal(2);
      expect(maxInAnyWindow([0, 0, 0], 1)).to.equal(3);
    });

    it("finds the densest window anywhere, whatever the input order, without reordering the input", () => {
      const input = [5000, 10, 4200, 4999, 20, 4100, 30];
      expect(maxInAnyWindow(input, 1000)).to.equal(4); // 4100, 4200, 4999, 5000
      expect(maxInAnyWindow(input, 100)).to.equal(3); // 10, 20, 30
      expect(maxInAnyWindow(input, 10_000)).to.equal(7);
      expect(input).to.deep.equal([5000, 10, 4200, 4999, 20, 4100, 30]);
    });

    it("agrees with a brute-force count on random arrays", () => {
      const random = seededRandom(7);
      for (let round = 0; round < 200; round++) {
        const times = Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 500));
        const perMs = 1 + Math.floor(random() * 100);
        let expected = 0;
        for (let t = -perMs; t <= 500; t++) expected = Math.max(expected, times.filter((x) => x >= t && x < t + perMs).length);
        expect(maxInAnyWindow(times, perMs), JSON.stringify({ times, perMs })).to.equal(expected);
      }
    });
  });

  describe("limits", () => {
    it("carries Microsoft's figures for proactive messages", () => {
      expect(TEAMS_LIMITS.perConversation).to.deep.equal([
        { limit: 7, perMs: 1000 },
        { limit: 8, perMs: 2000 },
        { limit: 60, perMs: 30_000 },
        { limit: 1800, perMs: 3_600_000 },
      ]);
      expect(TEAMS_LIMITS.perTenant).to.deep.equal([{ limit: 30, perMs: 1000 }]);
    });

    it("splits the limits between instances, rounding down but never to zero", () => {
      const half = divideLimits(TEAMS_LIMITS, 2);
      expect(half.perConversation.map((w) => w.limit)).to.deep.equal([3, 4, 30, 900]);
      expect(half.perTenant.map((w) => w.limit)).to.deep.equal([15]);
      expect(divideLimits(TEAMS_LIMITS, 10).perConversation[0]!.limit).to.equal(1);
      expect(() => divideLimits(TEAMS_LIMITS, 0)).to.throw(RangeError);
    });

    it("refuses a window with a non-positive limit or length", () => {
      expect(() => new RateLimiter({ perConversation: [{ limit: 0, perMs: 1000 }], perTenant: [] })).to.throw(RangeError);
      expect(() => new RateLimiter({ perConversation: [], perTenant: [{ limit: 1, perMs: 0 }] })).to.throw(RangeError);
      expect(() => new RateLimiter({ perConversation: [{ limit: 1.5, perMs: 10 }], perTenant: [] })).to.throw(RangeError);
    });
  });

  describe("delayFor", () => {
    it("is 0 while a conversation is free", () => {
      const clock = new ManualClock(5000);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      expect(limiter.delayFor("t1", "c1")).to.equal(0);
    });

    it("is exactly the time until the 1-second window frees up, and records nothing", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      for (let i = 0; i < 7; i++) await limiter.acquire("t1", "c1");
      expect(clock.now()).to.equal(0);
      expect(limiter.delayFor("t1", "c1")).to.equal(1000);
      expect(limiter.delayFor("t1", "c1")).to.equal(1000);
      clock.advance(400);
      expect(limiter.delayFor("t1", "c1")).to.equal(600);
      expect(limiter.delayFor("t1", "c1", 999)).to.equal(1);
      expect(limiter.delayFor("t1", "c1", 1000)).to.equal(0);
    });

    it("is exactly the time until the 2-second window frees up after the 8th send", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      for (let i = 0; i < 8; i++) await limiter.acquire("t1", "c1");
      expect(clock.now()).to.equal(1000); // the 8th waited for the 1-second window
      expect(limiter.delayFor("t1", "c1")).to.equal(1000); // 8 sends in [0, 2000)
      clock.advance(1000);
      expect(limiter.delayFor("t1", "c1")).to.equal(0);
    });

    it("is exactly the time until the tenant's window frees up when the tenant is the bottleneck", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      for (let c = 0; c < 5; c++) for (let i = 0; i < 6; i++) await limiter.acquire("t1", `c${c}`);
      expect(clock.now()).to.equal(0);
      expect(limiter.delayFor("t1", "c-new")).to.equal(1000);
      expect(limiter.delayFor("t1", "c0")).to.equal(1000);
      expect(limiter.delayFor("t2", "c-new")).to.equal(0);
    });
  });

  describe("acquire", () => {
    it("lets a burst of 7 through at once and holds the 8th for a second", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const sent = await runSends(
        limiter,
        clock,
        Array.from({ length: 9 }, () => ({ tenant: "t1", conversation: "c1", arrival: 0 })),
      );
      expect(sent.map((s) => s.at)).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
    });

    it("schedules one busy conversation exactly like a naive millisecond-by-millisecond greedy sender", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const sent = await runSends(
        limiter,
        clock,
        Array.from({ length: 130 }, () => ({ tenant: "t1", conversation: "c1", arrival: 0 })),
      );
      const expected: number[] = [];
      let t = 0;
      const fits = (at: number) =>
        TEAMS_LIMITS.perConversation.every(({ limit, perMs }) => expected.filter((s) => at - s < perMs).length < limit);
      while (expected.length < 130) {
        while (!fits(t)) t++;
        expected.push(t);
      }
      expect(sent.map((s) => s.at)).to.deep.equal(expected);
      expect(expected.at(-1)).to.be.greaterThan(60_000); // the 30-second window was reached too
    });

    it("keeps a conversation to 1800 per hour", async function () {
      this.timeout(60_000);
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const sent = await runSends(
        limiter,
        clock,
        Array.from({ length: 1802 }, () => ({ tenant: "t1", conversation: "c1", arrival: 0 })),
      );
      const times = sent.map((s) => s.at).sort((a, b) => a - b);
      expect(maxInAnyWindow(times, 3_600_000)).to.equal(1800);
      expect(times[1800]).to.equal(3_600_000); // the first send's hour is over
      expectWithinLimits(sent, TEAMS_LIMITS);
    });

    it("does not slow one conversation down because another is saturated", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const sends: Send[] = [
        ...Array.from({ length: 20 }, () => ({ tenant: "t1", conversation: "busy", arrival: 0 })),
        ...Array.from({ length: 7 }, () => ({ tenant: "t1", conversation: "quiet", arrival: 0 })),
        { tenant: "t1", conversation: "late", arrival: 1500 },
      ];
      const sent = await runSends(limiter, clock, sends);
      expect(sent.filter((s) => s.conversation === "quiet").map((s) => s.at)).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
      expect(sent.find((s) => s.conversation === "late")!.at).to.equal(1500);
      expect(Math.max(...sent.filter((s) => s.conversation === "busy").map((s) => s.at))).to.equal(4000); // 7, 1, 7, 1, 4
    });

    it("shares the tenant's 30 per second between its conversations, but not with other tenants", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const sends: Send[] = [
        ...Array.from({ length: 40 }, (_, i) => ({ tenant: "t1", conversation: `c${i}`, arrival: 0 })),
        ...Array.from({ length: 5 }, (_, i) => ({ tenant: "t2", conversation: `c${i}`, arrival: 0 })),
      ];
      const sent = await runSends(limiter, clock, sends);
      const t1 = sent.filter((s) => s.tenant === "t1").map((s) => s.at);
      expect(t1.filter((at) => at === 0)).to.have.length(30);
      expect(t1.filter((at) => at === 1000)).to.have.length(10);
      expect(sent.filter((s) => s.tenant === "t2").every((s) => s.at === 0)).to.equal(true);
    });

    it("fills a tenant slot left free before another conversation's future reservation", async () => {
      const limits: RateLimits = { perConversation: [{ limit: 1, perMs: 10_000 }], perTenant: [{ limit: 2, perMs: 1000 }] };
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(limits, clock);
      const sent = await runSends(limiter, clock, [
        { tenant: "t", conversation: "a", arrival: 0 },
        { tenant: "t", conversation: "a", arrival: 0 }, // reserved at 10 000
        { tenant: "t", conversation: "b", arrival: 9500 }, // fits beside a's future slot
        { tenant: "t", conversation: "c", arrival: 9600 }, // the tenant window around 10 000 is full
      ]);
      expect(sent.sort((x, y) => x.index - y.index).map((s) => s.at)).to.deep.equal([0, 10_000, 9500, 10_500]);
      expectWithinLimits(sent, limits);
    });

    it("never exceeds any window across 2,000 concurrent sends to many conversations in several tenants", async function () {
      this.timeout(60_000);
      const random = seededRandom(2024);
      const clock = new ManualClock(1_700_000_000_000);
      const start = clock.now();
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      const tenants = ["contoso", "fabrikam", "northwind"];
      const sends: Send[] = Array.from({ length: 2000 }, () => {
        const tenant = tenants[Math.floor(random() * tenants.length)]!;
        // a few hot conversations get most of the traffic, so the 30-second and tenant windows are reached
        const conversation = random() < 0.5 ? `hot-${Math.floor(random() * 2)}` : `c-${Math.floor(random() * 40)}`;
        const arrival = start + (random() < 0.6 ? 0 : Math.floor(random() * 120_000));
        return { tenant, conversation, arrival };
      });
      const sent = await runSends(limiter, clock, sends);
      expect(sent).to.have.length(2000);
      expectWithinLimits(sent, TEAMS_LIMITS);
      for (const tenant of tenants) {
        const times = sent.filter((s) => s.tenant === tenant).map((s) => s.at);
        expect(maxInAnyWindow(times, 1000), tenant).to.equal(30); // the tenant limit was actually reached
      }
      const hot = sent.filter((s) => s.tenant === "contoso" && s.conversation === "hot-0").map((s) => s.at);
      expect(maxInAnyWindow(hot, 30_000)).to.equal(60);
    });

    it("holds every window for random limits, arrival times and mixes of conversations", async function () {
      this.timeout(60_000);
      for (let seed = 1; seed <= 25; seed++) {
        const random = seededRandom(seed);
        const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
        const limits: RateLimits = {
          perConversation: [
            { limit: int(1, 4), perMs: int(5, 100) },
            { limit: int(4, 12), perMs: int(100, 600) },
          ],
          perTenant: [{ limit: int(2, 10), perMs: int(10, 300) }],
        };
        const clock = new ManualClock(0);
        const limiter = new RateLimiter(limits, clock);
        const sends: Send[] = Array.from({ length: 300 }, () => ({
          tenant: `t${int(0, 2)}`,
          conversation: `c${int(0, 6)}`,
          arrival: random() < 0.3 ? 0 : int(0, 3000),
        }));
        const sent = await runSends(limiter, clock, sends);
        expect(sent, `seed ${seed}`).to.have.length(300);
        expectWithinLimits(sent, limits);
      }
    });
  });

  describe("timers that fire late", () => {
    /** The limiter's own sleeps end late now and then (a busy event loop, a descheduled process); arrivals do not. */
    const lateTimers = (clock: ManualClock, random: () => number, maxLateMs: number): Clock => ({
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms + (random() < 0.3 ? Math.floor(random() * maxLateMs) : 0)),
    });

    it("counts a send when it is let through, so a late wake-up never brings two sends closer than a window allows", async function () {
      this.timeout(60_000);
      for (let seed = 1; seed <= 20; seed++) {
        const random = seededRandom(seed);
        const clock = new ManualClock(0);
        const limiter = new RateLimiter(TEAMS_LIMITS, lateTimers(clock, random, 80));
        // Two tenants over their 30 per second, a few conversations over their 7 per second.
        const sends: Send[] = Array.from({ length: 400 }, (_, i) => ({
          tenant: `t${i % 2}`,
          conversation: random() < 0.3 ? `hot-${i % 3}` : `c${Math.floor(random() * 60)}`,
          arrival: random() < 0.5 ? 0 : Math.floor(random() * 5000),
        }));
        const sent = await runSends(limiter, clock, sends);
        expect(sent, `seed ${seed}`).to.have.length(400);
        expectWithinLimits(sent, TEAMS_LIMITS);
      }
    });

    it("loses little to them: a saturated tenant still gets close to its limit", async () => {
      const random = seededRandom(7);
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, lateTimers(clock, random, 20));
      const sent = await runSends(
        limiter,
        clock,
        Array.from({ length: 300 }, (_, i) => ({ tenant: "t", conversation: `c${i % 60}`, arrival: 0 })),
      );
      expectWithinLimits(sent, TEAMS_LIMITS);
      // 300 sends at 30 per second: 9 s without late timers.
      expect(Math.max(...sent.map((s) => s.at))).to.be.below(9_000 + 10 * 20);
    });
  });

  describe("requests that take long", () => {
    const limits: RateLimits = { perConversation: [{ limit: 1, perMs: 1025 }], perTenant: [{ limit: 30, perMs: 1025 }], guardMs: 25 };

    it("counts a send whose request took longer than the guard band from its end minus the guard band", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(limits, clock);
      const departure = await limiter.acquire("t", "c");
      clock.advance(100); // Teams may have counted it as late as now
      departure.done();
      departure.done(); // once is enough
      expect(limiter.delayFor("t", "c")).to.equal(75 + 1025 - 100);
    });

    it("leaves a send that was answered within the guard band counted from when it left", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(limits, clock);
      const departure = await limiter.acquire("t", "c");
      clock.advance(20);
      departure.done();
      expect(limiter.delayFor("t", "c")).to.equal(1025 - 20);
    });

    it("without a guard band, counts every send from the end of its request", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter({ ...limits, guardMs: 0 }, clock);
      const departure = await limiter.acquire("t", "c");
      clock.advance(3);
      departure.done();
      expect(limiter.delayFor("t", "c")).to.equal(1025);
    });

    it("keeps every window measured on arrival when requests take up to a window to arrive", async function () {
      this.timeout(60_000);
      for (let seed = 1; seed <= 10; seed++) {
        const random = seededRandom(seed);
        const clock = new ManualClock(0);
        const tight: RateLimits = {
          perConversation: TEAMS_LIMITS.perConversation.map((w) => ({ ...w, perMs: w.perMs + 25 })),
          perTenant: [{ limit: 30, perMs: 1025 }],
          guardMs: 25,
        };
        const limiter = new RateLimiter(tight, clock);
        const arrivals: Array<{ tenant: string; conversation: string; at: number }> = [];
        await Promise.all(
          Array.from({ length: 300 }, async (_, i) => {
            const tenant = `t${i % 2}`;
            const conversation = `c${i % 25}`;
            const departure = await limiter.acquire(tenant, conversation);
            // A request reaches Teams some time before its answer comes back: usually fast, now and then very slow.
            const transit = random() < 0.1 ? Math.floor(random() * 400) : Math.floor(random() * 5);
            const answer = transit + Math.floor(random() * 50);
            arrivals.push({ tenant, conversation, at: clock.now() + transit });
            await clock.sleep(answer);
            departure.done();
          }),
        );
        for (const [key, group] of groupBy(arrivals, (a) => a.tenant))
          expect(
            maxInAnyWindow(
              group.map((a) => a.at),
              1000,
            ),
            `seed ${seed} tenant ${key}`,
          ).to.be.at.most(30);
        for (const [key, group] of groupBy(arrivals, (a) => `${a.tenant}/${a.conversation}`)) {
          for (const { limit, perMs } of TEAMS_LIMITS.perConversation)
            expect(
              maxInAnyWindow(
                group.map((a) => a.at),
                perMs,
              ),
              `seed ${seed} ${key}`,
            ).to.be.at.most(limit);
        }
      }
    });

    it("refuses a negative guard band", () => {
      expect(() => new RateLimiter({ ...limits, guardMs: -1 })).to.throw(RangeError);
    });
  });

  describe("prune", () => {
    it("forgets conversations and tenants idle longer than their longest window, and keeps the others", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      await limiter.acquire("t1", "old");
      clock.advance(3_000_000);
      await limiter.acquire("t2", "recent");
      expect(limiter.size).to.deep.equal({ conversations: 2, tenants: 2 });

      clock.advance(600_000); // "old" idle exactly one hour: it can no longer share a window with a new send
      limiter.prune();
      expect(limiter.size).to.deep.equal({ conversations: 1, tenants: 0 });
      expect(limiter.delayFor("t2", "recent")).to.equal(0);

      clock.advance(3_000_000);
      limiter.prune();
      expect(limiter.size).to.deep.equal({ conversations: 0, tenants: 0 });
    });

    it("does not forget what still limits a conversation", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      for (let i = 0; i < 7; i++) await limiter.acquire("t1", "c1");
      limiter.prune(500);
      expect(limiter.delayFor("t1", "c1", 500)).to.equal(500);
    });

    it("happens on its own once an hour, so memory stays bounded without a caller remembering to prune", async () => {
      const clock = new ManualClock(0);
      const limiter = new RateLimiter(TEAMS_LIMITS, clock);
      for (let i = 0; i < 50; i++) await limiter.acquire("t1", `c${i}`);
      clock.advance(3_600_000);
      await limiter.acquire("t1", "next");
      expect(limiter.size).to.deep.equal({ conversations: 1, tenants: 1 });
    });
  });

  describe("real clock", () => {
    it("never wakes before the requested time", async () => {
      for (const ms of [1, 5, 12.5]) {
        const before = realClock.now();
        await realClock.sleep(ms);
        expect(realClock.now() - before).to.be.at.least(ms);
      }
    });

    it("spaces real sends by the window", async () => {
      const limiter = new RateLimiter({ perConversation: [{ limit: 2, perMs: 40 }], perTenant: [] });
      const times: number[] = [];
      await Promise.all(
        [0, 1, 2, 3].map(async () => {
          await limiter.acquire("t1", "c1");
          times.push(realClock.now());
        }),
      );
      expect(maxInAnyWindow(times, 40)).to.be.at.most(2);
    });
  });
});
