import { expect } from "chai";
import { connectionStringFor } from "../../src/storage/azurite.js";
import { isStorageUnavailable } from "../../src/storage/errors.js";
import { createTableClients } from "../../src/storage/tables.js";
import { StorageTimeoutError, withStorageDeadline, type StorageTimeouts } from "../../src/storage/timeouts.js";
import { HangingStorageProxy } from "../helpers/hangingStorage.js";

/**
 * The two bounds of src/storage/timeouts.ts against an endpoint that accepts and never answers. Each attempt opens a
 * connection the endpoint holds, so the count of held connections is the count of tries: the assertions are on
 * how many tries were made and how the request failed, never on how long it took.
 */
describe("storage timeouts: a hanging endpoint is cut off per try and per action", function () {
  this.timeout(20_000);
  let endpoint: HangingStorageProxy;

  beforeEach(async () => {
    // Nothing behind it: in hang mode the upstream is never dialled.
    endpoint = await new HangingStorageProxy({ host: "127.0.0.1", port: 9 }).start();
    endpoint.hang();
  });
  afterEach(async () => endpoint.stop());

  const clientWith = (timeouts: StorageTimeouts) =>
    createTableClients({ kind: "connectionString", connectionString: connectionStringFor("127.0.0.1", endpoint.port) }, "t", {
      timeouts,
    }).client("tenant");

  const failureOf = async (work: Promise<unknown>): Promise<unknown> => {
    try {
      await work;
    } catch (error) {
      return error;
    }
    throw new Error("the request against a hanging endpoint succeeded");
  };

  it("retries a try that got no answer (the SDK's two retries), then reports storage as unavailable", async () => {
    const error = await failureOf(clientWith({ tryTimeoutMs: 100, actionBudgetMs: 10_000 }).getEntity("p", "r"));
    expect(endpoint.hungConnections).to.equal(3, "one try and two retries, each cut off by the per-try timeout");
    expect(isStorageUnavailable(error)).to.equal(true, String(error));
  });

  it("keeps the retries inside the budget: a budget shorter than one try leaves no room for a retry", async () => {
    const error = await failureOf(clientWith({ tryTimeoutMs: 5_000, actionBudgetMs: 200 }).getEntity("p", "r"));
    expect(endpoint.hungConnections).to.equal(1);
    expect(error).to.be.instanceOf(StorageTimeoutError);
    expect(isStorageUnavailable(error)).to.equal(true);
  });

  it("shares one budget among all the requests of an action: once it is spent, the next request is not even sent", async () => {
    const table = clientWith({ tryTimeoutMs: 5_000, actionBudgetMs: 60_000 });
    const [first, second] = await withStorageDeadline(200, async () => [
      await failureOf(table.getEntity("p", "r1")),
      await failureOf(table.getEntity("p", "r2")),
    ]);
    expect(first).to.be.instanceOf(StorageTimeoutError);
    expect(second).to.be.instanceOf(StorageTimeoutError);
    expect((second as Error).message).to.include("budget was spent");
    expect(endpoint.hungConnections).to.equal(1, "the second request never reached the endpoint");
  });

  it("gives a request outside a turn the background timeout per try, and a turn's request the turn's", async () => {
    const table = clientWith({ tryTimeoutMs: 5_000, actionBudgetMs: 300, backgroundTryTimeoutMs: 100, backgroundBudgetMs: 10_000 });
    const background = await failureOf(table.getEntity("p", "r"));
    expect(endpoint.hungConnections).to.equal(3, "outside a turn: one try and two retries, each cut off after 100 ms");
    expect(isStorageUnavailable(background)).to.equal(true, String(background));
    const inTurn = await withStorageDeadline(300, () => failureOf(table.getEntity("p", "r")));
    expect(endpoint.hungConnections).to.equal(4, "in a turn the 300 ms budget is spent within the first (5 s) try");
    expect(inTurn).to.be.instanceOf(StorageTimeoutError);
  });

  it("bounds a request outside a turn by the background budget, not the action's", async () => {
    const error = await failureOf(
      clientWith({ tryTimeoutMs: 50, actionBudgetMs: 100, backgroundTryTimeoutMs: 5_000, backgroundBudgetMs: 300 }).getEntity("p", "r"),
    );
    expect(endpoint.hungConnections).to.equal(1, "the background try (5 s) outlasts the background budget: no retry");
    expect(error).to.be.instanceOf(StorageTimeoutError);
    expect((error as Error).message).to.match(/within 3\d\d ms/);
  });

  it("keeps an outer, earlier deadline when an inner one is opened", async () => {
    const table = clientWith({ tryTimeoutMs: 5_000, actionBudgetMs: 60_000 });
    const error = await withStorageDeadline(150, () => withStorageDeadline(60_000, () => failureOf(table.getEntity("p", "r"))));
    expect(error).to.be.instanceOf(StorageTimeoutError);
  });
});
