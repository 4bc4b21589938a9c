import { expect } from "chai";
import { LoadingCache } from "../../src/cache/loadingCache.js";

/** A load the test finishes by hand, counting how often it was started. */
function deferredLoads<V>() {
  const pending: Array<{ resolve: (value: V) => void; reject: (error: unknown) => void }> = [];
  return {
    started: () => pending.length,
    load: () => new Promise<V>((resolve, reject) => void pending.push({ resolve, reject })),
    resolve: (i: number, value: V) => pending[i]?.resolve(value),
    reject: (i: number, error: unknown) => pending[i]?.reject(error),
  };
}

describe("LoadingCache (lru-cache underneath)", () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it("shares one load between callers asking while it is in flight", async () => {
    const cache = new LoadingCache<string>({ max: 10, ttlMs: 1000, now: clock });
    const loads = deferredLoads<string>();
    const answers = Promise.all([cache.get("k", loads.load), cache.get("k", loads.load), cache.get("k", loads.load)]);
    loads.resolve(0, "v");
    expect(await answers).to.deep.equal(["v", "v", "v"]);
    expect(loads.started()).to.equal(1);
  });

  it("hands a failed load to its callers and keeps nothing: the next caller loads again", async () => {
    const cache = new LoadingCache<string>({ max: 10, ttlMs: 1000, now: clock });
    const loads = deferredLoads<string>();
    const both = Promise.allSettled([cache.get("k", loads.load), cache.get("k", loads.load)]);
    loads.reject(0, new Error("down"));
    expect((await both).map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(cache.size).to.equal(0);
    const again = cache.get("k", loads.load);
    loads.resolve(1, "v");
    expect(await again).to.equal("v");
  });

  it("counts the TTL from the start of the load, on the injected clock", async () => {
    const cache = new LoadingCache<string>({ max: 10, ttlMs: 1000, now: clock });
    const loads = deferredLoads<string>();
    const first = cache.get("k", loads.load);
    now += 400; // the load takes 400 ms
    loads.resolve(0, "old");
    expect(await first).to.equal("old");
    now += 599;
    expect(await cache.get("k", loads.load)).to.equal("old");
    now += 1; // 1000 ms after the load started
    const second = cache.get("k", loads.load);
    loads.resolve(1, "new");
    expect(await second).to.equal("new");
    expect(loads.started()).to.equal(2);
  });

  it("gives a key deleted during its load the value to its callers, but does not store it", async () => {
    const cache = new LoadingCache<string>({ max: 10, ttlMs: 1000, now: clock });
    const loads = deferredLoads<string>();
    const inFlight = cache.get("k", loads.load);
    cache.delete("k");
    loads.resolve(0, "read before the write");
    expect(await inFlight).to.equal("read before the write");
    const after = cache.get("k", loads.load);
    loads.resolve(1, "read after the write");
    expect(await after).to.equal("read after the write");
  });

  it("keeps nothing with a TTL of 0, yet still shares a load in flight", async () => {
    const cache = new LoadingCache<string>({ max: 10, ttlMs: 0, now: clock });
    const loads = deferredLoads<string>();
    const both = Promise.all([cache.get("k", loads.load), cache.get("k", loads.load)]);
    loads.resolve(0, "v");
    expect(await both).to.deep.equal(["v", "v"]);
    expect(cache.size).to.equal(0);
    const next = cache.get("k", loads.load);
    loads.resolve(1, "w");
    expect(await next).to.equal("w");
    expect(loads.started()).to.equal(2);
  });

  it("without a TTL keeps values until `max` pushes out the least recently used", async () => {
    const cache = new LoadingCache<string>({ max: 2 });
    let loads = 0;
    const load = (value: string) => () => (loads++, Promise.resolve(value));
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    await cache.get("a", load("a")); // a is now the most recently used
    await cache.get("c", load("c")); // pushes out b
    expect(cache.size).to.equal(2);
    expect(loads).to.equal(3);
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    expect(loads).to.equal(4);
  });
});
