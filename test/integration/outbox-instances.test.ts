import { expect } from "chai";
import { pino } from "pino";
import type { AdaptiveCardJson } from "../../src/cards/render.js";
import { ConversationBook, type Reference } from "../../src/bot/conversationBook.js";
import { write } from "../../src/domain/decision.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Notification } from "../../src/domain/notification.js";
import type { OutboxEngine } from "../../src/outbox/engine.js";
import { outboxStatus } from "../../src/outbox/outboxStatus.js";
import type { ProactiveSender, SendLimiter } from "../../src/outbox/ports.js";
import { shardOf } from "../../src/outbox/shards/shareArithmetic.js";
import type { OutboxDueEntry } from "../../src/domain/outboxShards.js";
import { OutboxSweep } from "../../src/outbox/shards/sweep.js";
import { createOutboxEngine, createOutboxIndexer, deliveryTenantOfPartners } from "../../src/outboxWiring.js";
import { DirectoryService } from "../../src/partner-directory/directoryService.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { createTableClients } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";
import { ManualClock } from "../helpers/manualClock.js";
import { until } from "../helpers/until.js";

/*
 * Several outbox engines (instances) on one storage account, in one process: different instance ids, one shared
 * recording stand-in for Teams and for the rate limiter, and one manual clock that moves the leases.
 */

const SHARDS = 16;
const LEASE_MS = 30_000;
const CLAIM_MS = 60_000;
const SWEEP_MS = 15 * 60_000;
const hex = (n: number) => String(n).padStart(12, "0");
const partnerTenant = (i: number) => `d0000000-0000-4000-8000-${hex(i)}`;
const customerTenant = (j: number) => `c0000000-0000-4000-8000-${hex(j)}`;
const contactUser = (i: number) => `e0000000-0000-4000-8000-${hex(i)}`;
const adminUser = (j: number) => `a0000000-0000-4000-8000-${hex(j)}`;
const PARTNERS = 6;
const CUSTOMERS = 4;

interface Send {
  instance: string;
  tenant: string;
  conversationId: string;
  key: string;
}

function record(
  tenantId: string,
  userId: string,
  conversationId: string,
  reachableAs: ConversationRecord["reachableAs"],
  partnerId?: string,
) {
  const reference: Reference = {
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/teams/",
    conversation: { id: conversationId, tenantId, conversationType: "personal" },
    bot: { id: "28:bot" },
    user: { id: `29:${conversationId}` },
    locale: "en-US",
  };
  return {
    tenantId,
    userId,
    name: userId,
    reachableAs,
    ...(partnerId ? { partnerId } : {}),
    locale: "en-US",
    reference,
    stale: false,
    updatedAt: new Date().toISOString(),
  } satisfies ConversationRecord;
}

let sequence = 0;
function notification(recipient: Notification["recipient"], customer: number): Notification {
  sequence++;
  return {
    id: `n-${String(sequence).padStart(6, "0")}`,
    tenantId: customerTenant(customer),
    recipient,
    type: "invitationDeclined",
    payload: { invitationId: `inv-${sequence}`, reason: "Not this quarter" },
    status: "pending",
    attempts: 0,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, sequence)).toISOString(),
    correlationId: `test-${sequence}`,
    deliveries: {},
  };
}

/** Two to each partner (its contact, in the partner's tenant) and one to each customer's admin. */
function batchOfWork(): Notification[] {
  return [
    ...Array.from({ length: PARTNERS * 2 }, (_, i) =>
      notification({ kind: "partner", partnerId: `partner-${i % PARTNERS}` }, i % CUSTOMERS),
    ),
    ...Array.from({ length: CUSTOMERS }, (_, j) => notification({ kind: "tenantAdmins", tenantId: customerTenant(j) }, j)),
  ];
}
const RECIPIENTS_PER_BATCH = PARTNERS * 2 + CUSTOMERS;

describe("the outbox on several instances (tenant shards)", function () {
  this.timeout(60_000);
  let plain: Storage;
  let directory: DirectoryService;
  let clock: ManualClock;
  let connectionString: string;
  let prefix: string;
  let sends: Send[];
  /** Sends where another instance held the tenant's shard too, or this one did not hold it. */
  let violations: string[];
  /** Every Table Storage request of the engines, by instance: method and URL. */
  let requests: Array<{ instance: string; method: string; url: string }>;
  const engines = new Map<string, OutboxEngine>();

  beforeEach(async () => {
    ({ prefix, connectionString } = await freshTables());
    plain = openStorage(createTableClients({ kind: "connectionString", connectionString }, prefix));
    clock = new ManualClock(new Date());
    sends = [];
    violations = [];
    requests = [];
    engines.clear();
    directory = new DirectoryService(plain.partners);
    for (let i = 0; i < PARTNERS; i++) {
      await plain.partners.upsert({
        id: `partner-${i}`,
        name: `Partner ${i}`,
        tenantId: partnerTenant(i),
        locations: [{ country: "SE", city: "Stockholm" }],
        sizes: ["1-50"],
        services: ["Helpdesk support"],
        industries: [],
        types: ["reseller"],
        contacts: [{ tenantId: partnerTenant(i), userId: contactUser(i), name: `Contact ${i}` }],
      });
      await plain.conversations.save(record(partnerTenant(i), contactUser(i), `a:contact-${i}`, "partnerContact", `partner-${i}`));
    }
    for (let j = 0; j < CUSTOMERS; j++)
      await plain.conversations.save(record(customerTenant(j), adminUser(j), `a:admin-${j}`, "customerAdmin"));
    await directory.reload();
  });

  /** An instance: its own counted table clients, the shared stand-ins for Teams and the limiter, the shared clock. */
  function instance(id: string, options: { concurrency?: number; send?: (send: Send) => Promise<void> } = {}): OutboxEngine {
    const tables = createTableClients({ kind: "connectionString", connectionString }, prefix, {
      additionalPolicies: [
        {
          position: "perCall",
          policy: {
            name: "countRequests",
            sendRequest: (request, next) => {
              requests.push({ instance: id, method: request.headers.get("x-http-method") ?? request.method, url: request.url });
              return next(request);
            },
          },
        },
      ],
    });
    const storage = openStorage(tables);
    const sender: ProactiveSender = {
      send: async (reference: Reference, _card: AdaptiveCardJson, key: string) => {
        const tenant = reference.conversation.tenantId ?? "";
        const shard = shardOf(tenant, SHARDS);
        const holders = [...engines].filter(([, e]) => e.heldShards()?.includes(shard)).map(([name]) => name);
        if (holders.length !== 1 || holders[0] !== id)
          violations.push(`${id} sent to ${tenant} (shard ${shard}) held by [${holders.join(", ")}]`);
        const send = { instance: id, tenant, conversationId: reference.conversation.id, key };
        sends.push(send);
        await options.send?.(send);
        return { activityId: `activity-${sends.length}` };
      },
      update: () => Promise.reject(new Error("not used here")),
    };
    const limiter: SendLimiter = { acquire: () => Promise.resolve({ done: () => {} }) };
    const engine = createOutboxEngine(
      {
        services: { storage, adminAudience: new ConversationBook(storage.conversations, directory, clock), directory, clock },
        book: new ConversationBook(storage.conversations, directory, clock),
        sender,
        limiter,
        logger: pino({ level: "silent" }),
      },
      {
        pollIntervalMs: 3_600_000,
        leaseMs: CLAIM_MS,
        concurrency: options.concurrency ?? 4,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 },
        shards: { instanceId: id, count: SHARDS, leaseMs: LEASE_MS, sweepIntervalMs: SWEEP_MS },
      },
    );
    engines.set(id, engine);
    return engine;
  }

  const indexer = () => createOutboxIndexer(plain, directory, pino({ level: "silent" }), SHARDS);
  async function queue(notifications: readonly Notification[], indexed = true): Promise<void> {
    await plain.seed.createAll(notifications.map(write.notification));
    if (indexed) await indexer().indexNotifications(notifications);
  }
  const deliveredKeys = () => sends.map((s) => s.key);
  const held = (...es: OutboxEngine[]) => es.map((e) => e.heldShards() ?? []);
  /** Together they hold every shard once, and none more than its fair share, ceil(16 / instances). */
  const fair = (...es: OutboxEngine[]) => {
    const shares = held(...es);
    const all = shares.flat().sort((x, y) => x - y);
    return (
      JSON.stringify(all) === JSON.stringify([...Array(SHARDS).keys()]) && shares.every((s) => s.length <= Math.ceil(SHARDS / es.length))
    );
  };

  /** a alone, then b and c join; after two renewal intervals (and the handover) the shares are fair. */
  async function threeFairInstances(options: Parameters<typeof instance>[1] = {}) {
    const a = instance("bot-a");
    await a.runOnce();
    const b = instance("bot-b");
    const c = instance("bot-c", options);
    await b.runOnce();
    await c.runOnce();
    for (let round = 0; round < 3; round++) {
      clock.advanceMs(LEASE_MS / 3);
      for (const e of [a, b, c]) await e.runOnce();
    }
    expect(fair(a, b, c)).to.equal(true);
    return { a, b, c };
  }

  it("sends each tenant's notifications from one instance at a time, and the shares become fair as instances join", async () => {
    const a = instance("bot-a");
    await queue(batchOfWork());
    await a.runOnce();
    expect(held(a)[0]).to.have.length(16, "alone, it holds every shard");
    expect(new Set(sends.map((s) => s.instance))).to.deep.equal(new Set(["bot-a"]));

    const b = instance("bot-b");
    const c = instance("bot-c");
    await b.runOnce();
    await c.runOnce();
    // Two ticks (give back, then take after the handover), and more when two reached for the same shard at once.
    for (let round = 0; round < 2 || (!fair(a, b, c) && round < 8); round++) {
      clock.advanceMs(LEASE_MS / 3);
      await queue(batchOfWork());
      // Passes overlap, as on three machines.
      await Promise.all([a, b, c].map((e) => e.runOnce()));
    }
    expect(fair(a, b, c)).to.equal(true, `every shard held by exactly one instance, at most 6 each: ${JSON.stringify(held(a, b, c))}`);

    sends.length = 0;
    await queue(batchOfWork());
    await Promise.all([a, b, c].map((e) => e.runOnce()));
    const byTenant = new Map<string, Set<string>>();
    for (const s of sends) byTenant.set(s.tenant, (byTenant.get(s.tenant) ?? new Set()).add(s.instance));
    expect([...byTenant.values()].every((instances) => instances.size === 1)).to.equal(true, "one instance per tenant");
    expect(new Set(sends.map((s) => s.instance)).size).to.be.greaterThan(1, "the work is spread");
    expect(sends).to.have.length(RECIPIENTS_PER_BATCH);
    expect(violations).to.deep.equal([]);
  });

  it("gives a stopped instance's shards to the others once its leases lapse; nothing is lost, and only the send in flight when it died is sent twice", async () => {
    let hang: (reason: Error) => void = () => {};
    let died: Send | undefined;
    // c's process dies during its first send after Teams accepted it: the send is recorded, the delivery mark never is.
    const { a, b, c } = await threeFairInstances({
      concurrency: 1,
      send: (send) => {
        died = send;
        return new Promise((_, reject) => (hang = reject));
      },
    });
    const cShards = c.heldShards() ?? [];
    expect(cShards.length).to.be.greaterThan(0);
    const work = batchOfWork();
    await queue(work);
    const everyKey = work.flatMap((n) => [n.id]);
    void c.runOnce();
    await until(() => died, "c's first send");
    await Promise.all([a.runOnce(), b.runOnce()]);
    const cTenants = new Set(sends.filter((s) => s.instance === "bot-c").map((s) => s.tenant));
    expect(sends.filter((s) => cShards.includes(shardOf(s.tenant, SHARDS)) && s.instance !== "bot-c")).to.deep.equal(
      [],
      "nobody sends for c's shards while its leases run",
    );

    const diedAt = clock.now().getTime();
    clock.advanceMs(LEASE_MS + 1);
    await Promise.all([a.runOnce(), b.runOnce()]);
    // Time passes as it does for live instances: a pass (and a renewal) every third of the shard lease. The rows c
    // claimed (its claims run CLAIM_MS, longer than the takeover) are delivered by the new holders of its shards at
    // once: c may no longer send for those tenants, so its claims hold nothing back. The one it was sending is the
    // one duplicate.
    for (let round = 0; round < 2; round++) {
      clock.advanceMs(LEASE_MS / 3);
      await Promise.all([a.runOnce(), b.runOnce()]);
    }
    expect(clock.now().getTime() - diedAt, "all this before c's claims lapse").to.be.below(CLAIM_MS);
    expect(
      held(a, b)
        .flat()
        .sort((x, y) => x - y),
    ).to.deep.equal([...Array(16).keys()], "a and b hold every shard");
    expect(fair(a, b)).to.equal(true);
    for (const n of work) expect((await plain.outbox.get(n.tenantId, n.id))!.value.status).to.equal("sent", n.id);
    const counts = new Map<string, number>();
    for (const key of deliveredKeys()) counts.set(key, (counts.get(key) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    expect(twice).to.deep.equal([died!.key], "only the send c died in is sent twice");
    expect(everyKey.every((id) => deliveredKeys().some((k) => k.startsWith(`${id}:`)))).to.equal(true, "nothing lost");
    expect(cTenants.size).to.equal(1);
    // c wakes up (its send fails at last): its leases are gone, so it sends nothing more.
    const before = sends.length;
    hang(new Error("the process was gone"));
    await c.runOnce().catch(() => undefined);
    expect(sends.length).to.equal(before);
    expect(violations.filter((v) => !v.startsWith("bot-c"))).to.deep.equal([]);
  });

  it("finds a notification whose index write was lost at the next sweep, and only then", async () => {
    const a = instance("bot-a");
    await a.runOnce();
    const lost = notification({ kind: "partner", partnerId: "partner-1" }, 0);
    await queue([lost], false);
    clock.advanceMs(LEASE_MS / 3);
    await a.runOnce();
    expect(sends).to.deep.equal([], "not in the index: a steady-state pass does not see it");
    clock.advanceMs(SWEEP_MS);
    await a.runOnce(); // sweeps beside this pass: the pass it asks for (here: the next) delivers what it indexed
    expect(sends).to.deep.equal([], "the sweep does not hold back the pass's listing");
    await a.runOnce();
    expect(sends.map((s) => s.key)).to.deep.equal([`${lost.id}:${contactUser(1)}`]);
  });

  it("sweeps by writing only the index entries that are missing, not one per pending notification", async () => {
    const work = batchOfWork();
    await queue(work.slice(1));
    await queue(work.slice(0, 1), false); // its index write was lost
    const written: OutboxDueEntry[] = [];
    const index = plain.outboxShards;
    const sweep = new OutboxSweep(
      {
        store: { claimSweep: (...a) => index.claimSweep(...a), unsentEverywhere: () => plain.sweeps.unsentNotifications() },
        index: {
          ...index,
          dueIn: (shard) => index.dueIn(shard),
          dead: () => index.dead(),
          removeDead: (entry) => index.removeDead(entry),
          indexDead: (entries) => index.indexDead(entries),
          removeDue: (entry) => index.removeDue(entry),
          removeDueMany: (entries) => index.removeDueMany(entries),
          park: (entry) => index.park(entry),
          waitingFor: (waitingFor, shard) => index.waitingFor(waitingFor, shard),
          waitingIn: (shard) => index.waitingIn(shard),
          unpark: (parked, shards) => index.unpark(parked, shards),
          indexDue: (entries) => (written.push(...entries), index.indexDue(entries)),
        },
        deliveryTenantOf: deliveryTenantOfPartners(directory),
        now: () => clock.now(),
        logger: pino({ level: "silent" }),
      },
      { owner: "bot-a", shards: SHARDS, intervalMs: SWEEP_MS },
    );
    expect(await sweep.runIfDue()).to.equal(1);
    expect(written.map((e) => e.id)).to.deep.equal([work[0]!.id]);
    const entries = (await Promise.all(Array.from({ length: SHARDS }, (_, shard) => index.dueIn(shard)))).flat();
    expect(entries.map((e) => e.id).sort()).to.deep.equal(work.map((n) => n.id).sort(), "every pending notification is indexed");
  });

  it("asks storage only for partitions it names in a steady-state pass; the sweep is the one query across partitions", async () => {
    const a = instance("bot-a");
    await queue(batchOfWork());
    await a.runOnce();
    const crossPartition = (r: { method: string; url: string }) => {
      if (r.method !== "GET") return false;
      const url = new URL(r.url);
      if (/\(PartitionKey='[^']*',RowKey='[^']*'\)$/.test(decodeURIComponent(url.pathname))) return false; // a point read
      if (!/\(\)$/.test(url.pathname)) return false; // not a query of a table's rows
      return !/^PartitionKey eq '/.test(url.searchParams.get("$filter") ?? "");
    };
    const first = requests.filter(crossPartition);
    expect(first).to.have.length(1, "the first pass sweeps");
    expect(first[0]!.url).to.include(`${prefix}tenant()`);

    for (let round = 0; round < 3; round++) {
      requests.length = 0;
      clock.advanceMs(LEASE_MS / 3);
      await queue(batchOfWork());
      await a.runOnce();
      expect(requests.length).to.be.greaterThan(0);
      expect(requests.filter(crossPartition).map((r) => r.url)).to.deep.equal([]);
    }
    expect(sends).to.have.length(RECIPIENTS_PER_BATCH * 4);
    expect((await outboxStatus(plain.outboxShards, SHARDS, clock.now())).pending).to.equal(
      RECIPIENTS_PER_BATCH,
      "the last batch's entries are removed by the next pass",
    );
    await a.runOnce();
    expect(await outboxStatus(plain.outboxShards, SHARDS, clock.now())).to.deep.equal({
      pending: 0,
      waiting: 0,
      dead: 0,
      oldestPendingSeconds: null,
    });
  });
});
