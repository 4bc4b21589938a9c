import { expect } from "chai";

/** botbuilder's Storage contract, as both MemoryStorage and our Tables provider must honour it. */
export interface StorageUnderTest {
  read(keys: string[]): Promise<Record<string, any>>;
  write(changes: Record<string, any>): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the promise to reject");
}

/**
 * One contract suite, run against every provider (the approach of botbuilder-js's storageBaseTests):
 * if MemoryStorage passes and ours passes, the bot cannot tell them apart.
 */
export function storageContract(name: string, make: () => Promise<StorageUnderTest>, extra?: (get: () => StorageUnderTest) => void): void {
  describe(`botbuilder Storage contract: ${name}`, function () {
    let storage: StorageUnderTest;
    let n = 0;
    const key = (label: string) => `${label}-${++n}-${Date.now()}`;

    before(async function () {
      this.timeout(60_000);
      storage = await make();
    });

    it("returns nothing for keys that were never written", async () => {
      expect(await storage.read([key("missing")])).to.deep.equal({});
    });

    it("reads back what it wrote, with an eTag", async () => {
      const k = key("create");
      await storage.write({ [k]: { count: 1, nested: { list: [1, "two", { three: true }] } } });
      const items = await storage.read([k]);
      expect(items[k].count).to.equal(1);
      expect(items[k].nested).to.deep.equal({ list: [1, "two", { three: true }] });
      expect(items[k].eTag).to.be.a("string").and.not.equal("");
    });

    it("reads several keys at once and leaves out the missing ones", async () => {
      const a = key("a");
      const b = key("b");
      await storage.write({ [a]: { v: "a" }, [b]: { v: "b" } });
      const items = await storage.read([a, b, key("absent")]);
      expect(Object.keys(items).sort()).to.deep.equal([a, b].sort());
      expect(items[b].v).to.equal("b");
    });

    it("updates an item written with the eTag it was read with, and gives it a new eTag", async () => {
      const k = key("update");
      await storage.write({ [k]: { v: 1 } });
      const first = (await storage.read([k]))[k];
      await storage.write({ [k]: { ...first, v: 2 } });
      const second = (await storage.read([k]))[k];
      expect(second.v).to.equal(2);
      expect(second.eTag).to.not.equal(first.eTag);
    });

    it("refuses a write with a stale eTag as a conflict and keeps the newer data", async () => {
      const k = key("stale");
      await storage.write({ [k]: { v: 1 } });
      const first = (await storage.read([k]))[k];
      await storage.write({ [k]: { ...first, v: 2 } });
      const error = await rejection(storage.write({ [k]: { ...first, v: 3 } }));
      expect(error.message).to.match(/eTag conflict/);
      expect((await storage.read([k]))[k].v).to.equal(2);
    });

    it("overwrites whatever is there when the eTag is *", async () => {
      const k = key("star");
      await storage.write({ [k]: { v: 1 } });
      const first = (await storage.read([k]))[k];
      await storage.write({ [k]: { ...first, v: 2 } });
      await storage.write({ [k]: { v: 3, eTag: "*" } });
      expect((await storage.read([k]))[k].v).to.equal(3);
    });

    it("overwrites whatever is there when there is no eTag", async () => {
      const k = key("none");
      await storage.write({ [k]: { v: 1 } });
      await storage.write({ [k]: { v: 4 } });
      expect((await storage.read([k]))[k].v).to.equal(4);
    });

    it("deletes items, and deleting a missing key is not an error", async () => {
      const k = key("delete");
      await storage.write({ [k]: { v: 1 } });
      await storage.delete([k, key("never-there")]);
      expect(await storage.read([k])).to.deep.equal({});
    });

    it("accepts botbuilder's own key shapes, slashes and all", async () => {
      const k = `msteams/conversations/a:1Xy#?\\odd/${key("shape")}`;
      await storage.write({ [k]: { v: "ok" } });
      expect((await storage.read([k]))[k].v).to.equal("ok");
    });

    it("keeps unicode text exactly", async () => {
      const k = key("unicode");
      const text = "Räksmörgås — 合作伙伴 🤝";
      await storage.write({ [k]: { text } });
      expect((await storage.read([k]))[k].text).to.equal(text);
    });

    extra?.(() => storage);
  });
}
