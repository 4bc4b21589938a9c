import { expect } from "chai";
import { countDuplicates, minimumSpanMs, overLimitByKey, overLimitIndices, theoreticalMinimum } from "../../bench/scaleout/arithmetic.js";
import { TEAMS_LIMITS } from "../../src/outbox/rateLimiter.js";

/** A brute-force count: for each request, how many requests (itself included, earlier ones in order) lie in (t - W, t]. */
function bruteOverLimit(times: number[], windows: Array<{ limit: number; perMs: number }>): number {
  let over = 0;
  for (let i = 0; i < times.length; i++) {
    const broken = windows.some(({ limit, perMs }) => times.slice(0, i + 1).filter((t) => t > times[i]! - perMs).length > limit);
    if (broken) over++;
  }
  return over;
}

describe("bench scale-out arithmetic", () => {
  it("counts a request over a limit only when its window holds more than the limit", () => {
    const thirty = Array.from({ length: 30 }, (_, i) => i * 10); // 30 requests within 290 ms
    expect(overLimitIndices(thirty, TEAMS_LIMITS.perTenant).size, "30 in a second is allowed").to.equal(0);
    expect(overLimitIndices([...thirty, 999], TEAMS_LIMITS.perTenant).size, "the 31st within 1 s is over").to.equal(1);
    // (t - W, t]: a request exactly one window after the first no longer sees the first.
    expect(overLimitIndices([...thirty, 1000], TEAMS_LIMITS.perTenant).size).to.equal(0);
    // Three processes each keeping 30/s on their own: 90 in a second, 60 of them over.
    const three = [0, 1, 2].flatMap((p) => Array.from({ length: 30 }, (_, i) => i * 33 + p)).sort((a, b) => a - b);
    expect(overLimitIndices(three, TEAMS_LIMITS.perTenant).size).to.equal(60);
  });

  it("agrees with a brute-force count on the per-conversation windows, equal times included", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const times = Array.from({ length: 80 }, () => Math.floor(random() * 4000)).sort((a, b) => a - b);
      expect(overLimitIndices(times, TEAMS_LIMITS.perConversation).size).to.equal(bruteOverLimit(times, TEAMS_LIMITS.perConversation));
    }
  });

  it("counts per key, whatever order the arrivals were recorded in", () => {
    const arrivals = [
      ...Array.from({ length: 9 }, (_, i) => ({ key: "a", at: 900 - i * 100 })), // 9 in 800 ms, recorded backwards
      ...Array.from({ length: 7 }, (_, i) => ({ key: "b", at: i })),
    ];
    const byKey = overLimitByKey(arrivals, [{ limit: 7, perMs: 1000 }]);
    expect(Object.fromEntries(byKey)).to.deep.equal({ a: 2 });
  });

  it("derives the theoretical minimum from the limits: 10,000 to 5 balanced tenants is floor(1,999 / 30) s", () => {
    expect(minimumSpanMs([2000], TEAMS_LIMITS.perTenant)).to.equal(66_000);
    expect(minimumSpanMs([1, 30], TEAMS_LIMITS.perTenant), "30 fit in the first window").to.equal(0);
    expect(minimumSpanMs([31], TEAMS_LIMITS.perTenant)).to.equal(1000);
    const perTenant = new Map(Array.from({ length: 5 }, (_, t) => [`t${t}`, 2000]));
    const perConversation = new Map(Array.from({ length: 2000 }, (_, c) => [`c${c}`, 5]));
    const minimum = theoreticalMinimum(perTenant, perConversation, TEAMS_LIMITS);
    expect(minimum.ms).to.equal(66_000);
    expect(minimum.formula).to.include("10,000 / (5 × 30/1 s) ≈ 66.7 s");
    // A conversation with 120 notifications is bound by 60 per 30 s: floor(119 / 60) × 30 s, more than its 8 per 2 s allow.
    const busy = theoreticalMinimum(new Map([["t", 120]]), new Map([["c", 120]]), TEAMS_LIMITS);
    expect(busy.ms).to.equal(Math.max(30_000, Math.floor(119 / 8) * 2000));
  });

  it("counts duplicates, and attributes to a crash only those whose first delivery was the killed process's before the kill", () => {
    const deliveries = [
      { key: "n1:u", at: 10, sender: 1 },
      { key: "n2:u", at: 90, sender: 2 }, // killed process, just before the kill at 100
      { key: "n2:u", at: 150, sender: 1 }, // redelivered by a survivor: the crash window
      { key: "n3:u", at: 20, sender: 1 },
      { key: "n3:u", at: 30, sender: 3 }, // two survivors: no crash explains it
      { key: "n4:u", at: 50, sender: 2 },
      { key: "n4:u", at: 60, sender: 2 }, // the killed process twice, before the kill: not the crash's
    ];
    const none = countDuplicates(deliveries);
    expect(none).to.include({ duplicated: 3, inCrashWindow: 0, unexplained: 3 });
    const crash = countDuplicates(deliveries, { sender: 2, at: 100 });
    expect(crash).to.include({ duplicated: 3, inCrashWindow: 1, unexplained: 2, crashWindowMs: 10 });
    expect(crash.examples).to.have.members(["n2:u", "n3:u", "n4:u"]);
  });
});
