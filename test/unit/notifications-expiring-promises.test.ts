import { expect } from "chai";
import { ExpiringPromises } from "../../src/outbox/expiringPromises.js";

describe("ExpiringPromises: reads shared for a while", () => {
  it("hands every caller the first read's promise until it expires, then reads again", async () => {
    let reads = 0;
    const cache = new ExpiringPromises<number>(1_000);
    const read = async () => ++reads;
    expect(await Promise.all([cache.get("k", 0, read), cache.get("k", 10, read), cache.get("k", 999, read)])).to.deep.equal([1, 1, 1]);
    expect(await cache.get("k", 1_000, read)).to.equal(2);
  });

  it("drops a failed read, so the next caller reads again", async () => {
    const cache = new ExpiringPromises<string>(1_000);
    let error: unknown;
    await cache.get("k", 0, () => Promise.reject(new Error("storage is down"))).catch((e: unknown) => (error = e));
    expect(String(error)).to.include("storage is down");
    expect(await cache.get("k", 1, async () => "back")).to.equal("back");
  });

  it("reads every time with a TTL of 0, and forgets a key on request", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const off = new ExpiringPromises<number>(0);
    await off.get("k", 0, read);
    await off.get("k", 0, read);
    expect(reads).to.equal(2);
    const on = new ExpiringPromises<number>(1_000);
    await on.get("k", 0, read);
    on.forget("k");
    expect(await on.get("k", 0, read)).to.equal(4);
  });

  it("stays within its bound, dropping expired entries first", async () => {
    let reads = 0;
    const read = async () => ++reads;
    const cache = new ExpiringPromises<number>(100, 2);
    await cache.get("old", 0, read); // 1, expires at 100
    await cache.get("young", 50, read); // 2, expires at 150
    await cache.get("new", 120, read); // full: "old" has expired and goes
    expect(await cache.get("young", 130, read)).to.equal(2, "the live entry is kept");
  });
});
