import { expect } from "chai";
import { createTableClients, ensureTables } from "../../src/storage/tables.js";
import { isStorageOutcomeUnknown, withStorageDeadline } from "../../src/storage/timeouts.js";
import { sharedAzurite } from "../helpers/azurite.js";
import { HangingStorageProxy } from "../helpers/hangingStorage.js";

/**
 * Writes answered late by a busy storage (Azurite behind a proxy that holds write answers back): in a turn the
 * user must hear in time, so the write is cut off and its outcome is unknown; outside a turn (the outbox's delivery
 * marks, lease renewals) nobody waits, and the background bounds let the answer arrive, so nothing is left unknown
 * and nothing is written twice.
 */
describe("storage: writes outside a turn wait for a late answer", function () {
  this.timeout(20_000);
  let proxy: HangingStorageProxy;

  before(async () => {
    const azurite = await sharedAzurite();
    proxy = await new HangingStorageProxy({ host: "127.0.0.1", port: azurite.port }).start();
  });
  after(async () => proxy.stop());

  const table = async () => {
    const azurite = await sharedAzurite();
    const tables = createTableClients(
      { kind: "connectionString", connectionString: proxy.connectionString(azurite.connectionString) },
      `bg${Date.now() % 1e9}`,
      {
        timeouts: { tryTimeoutMs: 100, actionBudgetMs: 200, backgroundTryTimeoutMs: 3_000, backgroundBudgetMs: 6_000 },
      },
    );
    await ensureTables(tables);
    return tables.client("tenant");
  };

  it("confirms a write answered 400 ms late outside a turn; the same write in a turn is 'outcome unknown'", async () => {
    const client = await table();
    proxy.answerWritesLate(400);
    await client.upsertEntity({ partitionKey: "p", rowKey: "background", n: 1 }, "Replace");
    const inTurn = await withStorageDeadline(200, () =>
      client.upsertEntity({ partitionKey: "p", rowKey: "turn", n: 1 }, "Replace").then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(isStorageOutcomeUnknown(inTurn)).to.equal(true, String(inTurn));
    proxy.recover();
    expect((await client.getEntity<{ n: number }>("p", "background")).n).to.equal(1);
  });
});
