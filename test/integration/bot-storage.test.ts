import { expect } from "chai";
import { MemoryStorage, type Storage } from "botbuilder";
import { StorageConflictError } from "../../src/storage/errors.js";
import { TableBotStorage } from "../../src/storage/tableBotStorage.js";
import { freshTables } from "../helpers/azurite.js";
import { storageContract } from "../helpers/storageContract.js";

storageContract("MemoryStorage (the reference)", async () => new MemoryStorage());

storageContract(
  "TableBotStorage on Azurite",
  async () => {
    const { tables } = await freshTables();
    const storage: Storage = new TableBotStorage(tables.client("botState"));
    return storage;
  },
  (get) => {
    it("names the conflict: a stale eTag is a StorageConflictError", async () => {
      const storage = get();
      await storage.write({ named: { v: 1 } });
      const first = (await storage.read(["named"]))["named"];
      await storage.write({ named: { ...first, v: 2 } });
      let error: unknown;
      try {
        await storage.write({ named: { ...first, v: 3 } });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(StorageConflictError);
    });

    it("stores an item larger than one table property (32K characters) by splitting it", async () => {
      const storage = get();
      const big = "x".repeat(100_000);
      await storage.write({ big: { big } });
      expect((await storage.read(["big"]))["big"].big).to.have.length(100_000);
    });

    it("refuses an item too large for a table row with a clear error instead of a service failure", async () => {
      const storage = get();
      let error: unknown;
      try {
        await storage.write({ huge: { huge: "x".repeat(600_000) } });
      } catch (e) {
        error = e;
      }
      expect((error as Error).message).to.match(/at most/);
    });
  },
);
