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

  it("keeps an outer, earlier deadline when an inner one is opened", async () => {
    const table = clientWith({ tryTimeoutMs: 5_000, actionBudgetMs: 60_000 });
    const error = await withStorageDeadline(150, () => withStorageDeadline(60_000, () => failureOf(table.getEntity("p", "r"))));
    expect(error).to.be.instanceOf(StorageTimeoutError);
  });
});
