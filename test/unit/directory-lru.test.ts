import { expect } from "chai";
import { LruCache } from "../../src/directory/lru.js";

describe("LRU cache", () => {
  it("evicts the least recently used entry, where reading an entry makes it recent", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).to.equal(1);
    cache.set("c", 3);
    expect(cache.get("b")).to.equal(undefined);
    expect(cache.get("a")).to.equal(1);
    expect(cache.get("c")).to.equal(3);
    expect(cache.size).to.equal(2);
  });

  it("replaces the value of a key set again without growing", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 2);
    expect(cache.get("a")).to.equal(2);
    expect(cache.size).to.equal(1);
  });

  it("keeps the total weight within its budget and never keeps an entry heavier than the budget", () => {
    const cache = new LruCache<string, number[]>(10, (list) => list.length, 5);
    cache.set("a", [1, 2]);
    cache.set("b", [1, 2]);
    cache.set("c", [1, 2]);
    expect(cache.get("a")).to.equal(undefined);
    expect(cache.size).to.equal(2);
    cache.set("b", [1]);
    cache.set("d", [1, 2]);
    expect([cache.get("b"), cache.get("c"), cache.get("d")].map((v) => v?.length)).to.deep.equal([1, 2, 2]);
    cache.set("huge", [1, 2, 3, 4, 5, 6]);
    expect(cache.get("huge")).to.equal(undefined);
    expect(cache.size).to.equal(3);
  });

  it("refuses a capacity below one", () => {
    expect(() => new LruCache(0)).to.throw();
  });
});
