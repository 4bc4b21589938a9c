import { expect } from "chai";
import type { OutboxDueEntry, OutboxWaitingEntry } from "../../src/domain/outboxShards.js";
import { shardOf } from "../../src/outbox/shards/shareArithmetic.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

const SHARDS = 16;
const PARTNER_TENANT = "5e5e5e5e-0000-4000-8000-000000000001";
const CUSTOMER = "7a7a7a7a-0000-4000-8000-00000000000a";

const due = (id: string, deliveryTenant = PARTNER_TENANT, shards = SHARDS): OutboxDueEntry => ({
  shard: shardOf(deliveryTenant, shards),
  deliveryTenant,
  tenantId: CUSTOMER,
  id,
  createdAt: "2026-12-04T10:00:00.000Z",
});
const parked = (entry: OutboxDueEntry, waitingFor = "partner|partner-1"): OutboxWaitingEntry => ({ ...entry, waitingFor });
const ids = (entries: ReadonlyArray<{ id: string }>) => entries.map((e) => e.id).sort();

describe("parked notifications in the outbox index (Azurite)", function () {
  this.timeout(20_000);
  let storage: Storage;

  beforeEach(async () => {
    storage = openStorage((await freshTables()).tables);
  });

  it("parks a due entry beside the due ones of its shard, where a listing of due entries does not see it", async () => {
    const [a, b] = [due("n-a"), due("n-b")];
    await storage.outboxShards.indexDue([a, b]);
    await storage.outboxShards.park(parked(a));
    expect(ids(await storage.outboxShards.dueIn(a.shard))).to.deep.equal(["n-b"]);
    expect(ids(await storage.outboxShards.waitingIn(a.shard))).to.deep.equal(["n-a"]);
    expect(ids(await storage.outboxShards.waitingFor("partner|partner-1", a.shard))).to.deep.equal(["n-a"]);
    expect(await storage.outboxShards.waitingFor("partner|partner-2", a.shard)).to.deep.equal([]);
  });

  it("parks an entry whose due row is gone already (a sweep or another pass removed it)", async () => {
    const a = due("n-a");
    await storage.outboxShards.park(parked(a));
    expect(ids(await storage.outboxShards.waitingIn(a.shard))).to.deep.equal(["n-a"]);
    expect(await storage.outboxShards.dueIn(a.shard)).to.deep.equal([]);
  });

  it("unparks what waited for one group only, back among the due entries", async () => {
    const [a, b] = [due("n-a"), due("n-b")];
    await storage.outboxShards.indexDue([a, b]);
    await storage.outboxShards.park(parked(a));
    await storage.outboxShards.park(parked(b, `admins|${CUSTOMER}`));
    await storage.outboxShards.unpark(await storage.outboxShards.waitingFor("partner|partner-1", a.shard), SHARDS);
    expect(ids(await storage.outboxShards.dueIn(a.shard))).to.deep.equal(["n-a"]);
    expect(ids(await storage.outboxShards.waitingIn(a.shard))).to.deep.equal(["n-b"]);
  });

  it("unparks into the shard the delivery tenant has now, when the count of shards changed since", async () => {
    const tenants = Array.from({ length: 40 }, (_, i) => `5e5e5e5e-0000-4000-8000-${String(i).padStart(12, "0")}`);
    // A delivery tenant whose shard differs between 16 and 4 shards.
    const moved = tenants.find((t) => shardOf(t, SHARDS) !== shardOf(t, 4))!;
    const a = due("n-a", moved, SHARDS);
    await storage.outboxShards.park(parked(a));
    await storage.outboxShards.unpark(await storage.outboxShards.waitingFor("partner|partner-1", a.shard), 4);
    expect(ids(await storage.outboxShards.dueIn(shardOf(moved, 4)))).to.deep.equal(["n-a"]);
    expect(await storage.outboxShards.waitingIn(a.shard)).to.deep.equal([]);
    expect(await storage.outboxShards.dueIn(a.shard)).to.deep.equal([]);
  });
});
