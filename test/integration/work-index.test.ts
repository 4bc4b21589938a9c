import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { pino } from "pino";
import { connectPartner, disconnectPartner } from "../../src/domain/connectionDecisions.js";
import type { ContactRequest } from "../../src/domain/contactRequest.js";
import { write, type Write } from "../../src/domain/decision.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ok } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import { createGdapSyncEngine } from "../../src/gdapSyncWiring.js";
import { createIndexSweeper } from "../../src/jobsWiring.js";
import { loadConfig } from "../../src/config.js";
import { EntityStore } from "../../src/storage/entityStore.js";
import { openStorage, type Storage, type TablePipelinePolicies } from "../../src/storage/index.js";
import { ROWS } from "../../src/storage/rowMappings.js";
import { createTableClients } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";

/**
 * No scans in steady state (issue 14): a partner contact's home and the GDAP status sync find their rows through
 * the work indexes written after each commit, and the index sweep repairs a pointer lost between the two writes.
 */

const PARTNER = "idx-partner";
const OTHER = "idx-other";
const CUSTOMERS = [1, 2, 3].map((n) => `c0ffee00-0000-4000-8000-00000000010${n}`);

/** Every request the storage clients send: method, table and, for a query, its filter (null for a point read). */
interface Sent {
  method: string;
  table: string;
  filter: string | null;
}

function recorder(): { policies: TablePipelinePolicies; sent: Sent[]; failIndexes: { on: boolean } } {
  const sent: Sent[] = [];
  const failIndexes = { on: false };
  const policies: TablePipelinePolicies = [
    {
      position: "perCall",
      policy: {
        name: "recordTableRequests",
        sendRequest: (request, next) => {
          const url = new URL(request.url);
          const table = decodeURIComponent(url.pathname.split("/").pop() ?? "").replace(/\(.*$/, "");
          if (failIndexes.on && table.endsWith("indexes")) return Promise.reject(new Error("the index table is away"));
          const pointRead = /\(PartitionKey=/.test(decodeURIComponent(url.pathname));
          sent.push({ method: request.method, table, filter: pointRead ? null : url.searchParams.get("$filter") });
          return next(request);
        },
      },
    },
  ];
  return { policies, sent, failIndexes };
}

/** The reads among them that name no partition: a query whose filter does not pin the PartitionKey. */
const scansAmong = (sent: readonly Sent[]) =>
  sent.filter((s) => s.method === "GET" && s.filter !== null && !/PartitionKey eq/.test(s.filter));

const context = (tenantId: string, n = 0): DecisionContext => ({
  tenantId,
  actor: { userId: "admin-1", name: "Ada Admin" },
  now: new Date(Date.UTC(2026, 10, 1, 10, n)).toISOString(),
  correlationId: `test-${randomUUID()}`,
  newId: () => randomUUID(),
});

const request = (tenantId: string, partnerIds: string[], minute: number): ContactRequest => ({
  id: `CR-${randomUUID().slice(0, 8)}`,
  tenantId,
  partnerIds,
  businessNeeds: "Move mailboxes",
  requester: { userId: "admin-1", name: "Ada Admin" },
  createdAt: new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString(),
});
const invitation = (tenantId: string, partnerId: string, minute: number): Invitation => ({
  id: randomUUID(),
  tenantId,
  partnerId,
  partnerName: partnerId,
  relationshipTypes: ["reseller"],
  roles: [],
  durationDays: 180,
  message: "",
  status: "pending",
  createdAt: new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString(),
  expiresAt: "2027-05-01T10:00:00.000Z",
});
const relationship = (tenantId: string, partnerId: string): Relationship => ({
  tenantId,
  partnerId,
  partnerName: partnerId,
  types: ["resellerAndDelegatedAdministrator"],
  roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-11-01T00:00:00.000Z" }],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: "2026-11-01T00:00:00.000Z",
  endsAt: "2027-11-01T00:00:00.000Z",
});

/** What the partner's home listed before the index: every customer's partition read, as PartnerWorkRepository did. */
async function scanned(storage: Storage, partnerId: string) {
  const everywhere = async <T>(store: EntityStore<T>) => {
    const out: T[] = [];
    const filter = `RowKey ge '${store.mapping.kind}|' and RowKey lt '${store.mapping.kind}}'`;
    for await (const e of store.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(store.fromEntity(e).value);
    return out;
  };
  const tenant = storage.tables.client("tenant");
  const newest = <T extends { createdAt: string }>(a: T, b: T) => b.createdAt.localeCompare(a.createdAt);
  return {
    requests: (await everywhere(new EntityStore(tenant, ROWS.contactRequest))).filter((r) => r.partnerIds.includes(partnerId)).sort(newest),
    invitations: (await everywhere(new EntityStore(tenant, ROWS.invitation))).filter((i) => i.partnerId === partnerId).sort(newest),
    relationships: (await everywhere(new EntityStore(tenant, ROWS.relationship))).filter((r) => r.partnerId === partnerId),
  };
}

const home = async (storage: Storage, partnerId: string) => ({
  requests: await storage.partnerWork.contactRequestsFor(partnerId, 100),
  invitations: await storage.partnerWork.invitationsFrom(partnerId, 100),
  relationships: await storage.partnerWork.relationshipsOf(partnerId),
});

describe("work indexes on Azurite: a partner's home and the status sync read named partitions", function () {
  this.timeout(60_000);
  let storage: Storage;
  let sent: Sent[];
  let failIndexes: { on: boolean };
  const indexFailures: string[] = [];
  const commit = async (tenantId: string, writes: Write[]) => {
    const result = await storage.decisions.commit({ tenantId, writes });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
  };

  before(async () => {
    const { prefix, connectionString } = await freshTables();
    const recorded = recorder();
    ({ sent, failIndexes } = recorded);
    const tables = createTableClients({ kind: "connectionString", connectionString }, prefix, { additionalPolicies: recorded.policies });
    storage = openStorage(tables, { onIndexFailure: (_error, tenantId) => void indexFailures.push(tenantId) });
    // Three customers, each with requests, invitations and relationships of the partner and of another one.
    for (const [i, tenantId] of CUSTOMERS.entries()) {
      await commit(tenantId, [write.contactRequest(request(tenantId, [PARTNER, OTHER], i))]);
      await commit(tenantId, [write.contactRequest(request(tenantId, [OTHER], 10 + i))]);
      await commit(tenantId, [write.invitation(invitation(tenantId, i === 1 ? OTHER : PARTNER, 20 + i))]);
      await commit(tenantId, [write.relationship(relationship(tenantId, i === 2 ? OTHER : PARTNER))]);
    }
    await commit(CUSTOMERS[0]!, [write.invitation(invitation(CUSTOMERS[0]!, PARTNER, 40))]);
  });

  it("lists on a partner's home exactly what a scan of every customer's partition listed, newest first", async () => {
    for (const partnerId of [PARTNER, OTHER]) {
      const listed = await home(storage, partnerId);
      expect(listed, partnerId).to.deep.equal(await scanned(storage, partnerId));
      expect(new Set([...listed.requests, ...listed.invitations].map((r) => r.tenantId)).size, partnerId).to.be.greaterThan(1);
    }
    const listed = await home(storage, PARTNER);
    expect(listed.requests).to.have.length(3);
    expect(listed.invitations.map((i) => i.createdAt)).to.deep.equal([
      "2026-11-01T09:40:00.000Z",
      "2026-11-01T09:22:00.000Z",
      "2026-11-01T09:20:00.000Z",
    ]);
    expect(listed.relationships.map((r) => r.tenantId)).to.deep.equal([CUSTOMERS[0], CUSTOMERS[1]]);
  });

  it("reads a partner's home with queries that each name a partition, and stops at the rows it shows", async () => {
    sent.length = 0;
    const two = await storage.partnerWork.invitationsFrom(PARTNER, 2);
    expect(two.map((i) => i.createdAt)).to.deep.equal(["2026-11-01T09:40:00.000Z", "2026-11-01T09:22:00.000Z"]);
    await home(storage, PARTNER);
    expect(sent.length).to.be.greaterThan(0);
    expect(scansAmong(sent)).to.deep.equal([]);
    // Two invitations shown: one query of the partner's index partition and two point reads, however many it has.
    expect(sent.slice(0, 3).map((s) => [s.table.replace(/^t[0-9a-f]+/, ""), s.filter === null ? "point" : "query"])).to.deep.equal([
      ["indexes", "query"],
      ["tenant", "point"],
      ["tenant", "point"],
    ]);
  });

  it("keeps a decision whose index write failed, and the index sweep brings the missing row back to the home", async () => {
    const late = invitation(CUSTOMERS[2]!, PARTNER, 50);
    failIndexes.on = true;
    try {
      await commit(CUSTOMERS[2]!, [write.invitation(late)]);
    } finally {
      failIndexes.on = false;
    }
    expect(indexFailures).to.deep.equal([CUSTOMERS[2]]);
    expect((await storage.invitations.get(CUSTOMERS[2]!, late.id))?.value).to.deep.equal(late);
    expect((await home(storage, PARTNER)).invitations.map((i) => i.id)).to.not.include(late.id);

    const clock = { now: () => new Date() };
    const config = loadConfig({ TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true", INDEX_SWEEP_HOURS: "24" });
    const sweeper = createIndexSweeper(config, { storage, clock, logger: pino({ level: "silent" }) });
    const report = await sweeper.runNow();
    expect(report).to.deep.equal({ kind: "swept", pointers: 1 });
    const listed = await home(storage, PARTNER);
    expect(listed.invitations[0]?.id).to.equal(late.id);
    expect(listed).to.deep.equal(await scanned(storage, PARTNER));
  });

  it("sweeps at most once per INDEX_SWEEP_HOURS across instances, and again once the interval has passed", async () => {
    let now = new Date("2027-01-01T00:00:00.000Z");
    const clock = { now: () => now };
    const config = loadConfig({ TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true", INDEX_SWEEP_HOURS: "6" });
    const wiring = { storage, clock, logger: pino({ level: "silent" }) };
    const [one, two] = [
      createIndexSweeper(config, wiring, { name: "sweepTest" }),
      createIndexSweeper(config, wiring, { name: "sweepTest" }),
    ];
    expect(await one.runNow()).to.deep.equal({ kind: "swept", pointers: 0 });
    expect(await two.runNow()).to.deep.equal({ kind: "notDue" });
    now = new Date("2027-01-01T05:59:00.000Z");
    expect(await two.runNow()).to.deep.equal({ kind: "notDue" });
    now = new Date("2027-01-01T06:00:00.000Z");
    expect(await two.runNow()).to.deep.equal({ kind: "swept", pointers: 0 });
  });

  describe("the GDAP status sync", () => {
    const partnerTenant = (n: number) => `d0d0d0d0-0000-4000-8000-00000000020${n}`;
    const engine = () =>
      createGdapSyncEngine(
        { gdapSync: { intervalMs: 0, jitter: 0.2 }, allowedTenants: null },
        {
          storage,
          directory: { get: async () => undefined },
          microsoft: { listRelationships: async () => ok([]) },
          logger: pino({ level: "silent" }),
          clock: { now: () => new Date() },
        },
      );

    before(async () => {
      for (const n of [1, 2, 3]) {
        const connected = connectPartner(undefined, { partnerId: `sync-${n}`, relationships: 0 }, context(partnerTenant(n)));
        await commit(partnerTenant(n), [...connected.decision.writes]);
      }
    });

    it("runs its passes with queries that each name a partition: one of the index, then each partner's own rows", async () => {
      expect((await engine().runOnce()).synced).to.equal(3);
      sent.length = 0;
      // A steady pass: every partner was just checked (by this or another instance), so each is skipped.
      const idle = await engine().runOnce(60_000);
      expect(idle).to.deep.equal({ partners: 3, synced: 0, skipped: 3, failed: 0 });
      expect(scansAmong(sent)).to.deep.equal([]);
      expect(sent.filter((s) => s.filter !== null).map((s) => s.table.replace(/^t[0-9a-f]+/, ""))).to.deep.equal(["indexes"]);
      expect(sent.filter((s) => s.filter === null)).to.have.length(6); // each partner's connection and sync state
      sent.length = 0;
      expect((await engine().runOnce()).synced).to.equal(3);
      expect(scansAmong(sent)).to.deep.equal([]);
    });

    it("stops following a partner that disconnected, and follows it again when it reconnects", async () => {
      const read = await storage.connections.get(partnerTenant(2), "sync-2");
      const disconnected = disconnectPartner(read!.value, context(partnerTenant(2), 1));
      if (!disconnected.ok) throw new Error(disconnected.message);
      expect((await storage.decisions.commit(disconnected.value.decision, [read])).ok).to.equal(true);
      expect((await storage.connections.listConnected()).map((c) => c.partnerId)).to.deep.equal(["sync-1", "sync-3"]);
      sent.length = 0;
      expect((await storage.connections.listConnected()).map((c) => c.partnerId)).to.deep.equal(["sync-1", "sync-3"]);
      expect(sent.filter((s) => s.method === "GET")).to.have.length(3); // the pointer was dropped: two point reads

      const again = await storage.connections.get(partnerTenant(2), "sync-2");
      const reconnected = connectPartner(again!.value, { partnerId: "sync-2", relationships: 0 }, context(partnerTenant(2), 2));
      expect((await storage.decisions.commit(reconnected.decision, [again])).ok).to.equal(true);
      expect((await storage.connections.listConnected()).map((c) => c.partnerId)).to.deep.equal(["sync-1", "sync-2", "sync-3"]);
    });
  });
});
