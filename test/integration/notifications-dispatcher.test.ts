import { write } from "../../src/domain/decision.js";
import { RestError, createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import { expect } from "chai";
import { pino } from "pino";
import type { AdaptiveCardJson } from "../../src/cards/render.js";
import { DirectoryService } from "../../src/partner-directory/directoryService.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Notification } from "../../src/domain/notification.js";
import { systemClock } from "../../src/domain/time.js";
import type { OutboxServices } from "../../src/outboxWiring.js";
import { ConversationBook, type Reference } from "../../src/bot/conversationBook.js";
import { OUTBOX_SHARD_DEFAULTS, createOutboxEngine, createOutboxIndexer } from "../../src/outboxWiring.js";
import type { OutboxEngine, OutboxEngineOptions } from "../../src/outbox/engine.js";
import type { ProactiveSender } from "../../src/outbox/ports.js";
import { RateLimiter, TEAMS_LIMITS } from "../../src/outbox/rateLimiter.js";
import { shardOf } from "../../src/outbox/shards/shareArithmetic.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { createTableClients } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";

const CUSTOMER = "c0000000-0000-4000-8000-000000000001";
const PARTNER_TENANT = "d0000000-0000-4000-8000-000000000001";
const contact = (i: number) => `e0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const ADMIN = (i: number) => `a0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** Everything the outbox engine asks of storage and of Teams, in order: "read conversations", "write outbox", "send c:1". */
type Event = string;

/** The notification id of an outbox row a request writes, if it is one. */
function outboxRowWritten(method: string, url: string, override?: string): string | undefined {
  if (!["PUT", "MERGE", "PATCH"].includes(override ?? method)) return undefined;
  return /RowKey='outbox\|([^']+)'/.exec(decodeURIComponent(new URL(url).pathname))?.[1];
}

function what(method: string, url: string, override?: string): string {
  const verb = override ?? method;
  const path = decodeURIComponent(new URL(url).pathname);
  if (path.endsWith("/$batch")) return "batch";
  const table = /\/[a-z0-9]+?(tenant|directory|conversations|agreements|roles)(\(|$)/.exec(path)?.[1] ?? path;
  const row = /RowKey='([a-z]+)\|/.exec(path)?.[1];
  if (verb === "GET" && /\(PartitionKey=/.test(path)) return `read ${table} ${row}`;
  if (verb === "GET") return `query ${table}`;
  if (verb === "PUT" || verb === "MERGE" || verb === "PATCH") return `write ${table} ${row}`;
  return `${verb} ${table}`;
}

/** A ProactiveSender that records every send; `answer` may throw to play a failure. */
class RecordingSender implements ProactiveSender {
  sends: Array<{ conversationId: string; key: string; card: AdaptiveCardJson }> = [];
  answer: (key: string, attempt: number) => Promise<void> = async () => {};
  private readonly attempts = new Map<string, number>();

  constructor(private readonly events: Event[]) {}

  async send(reference: Reference, card: AdaptiveCardJson, key: string): Promise<{ activityId: string }> {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.events.push(`send ${reference.conversation.id}`);
    await this.answer(key, attempt);
    this.sends.push({ conversationId: reference.conversation.id, key, card });
    return { activityId: `activity-${this.sends.length}` };
  }

  update(): Promise<void> {
    return Promise.reject(new Error("not used here"));
  }
}

/** The error botbuilder's ConnectorClient throws for a 429 with Retry-After (as in notifications-retry.test.ts). */
function throttled(retryAfterSeconds: string): RestError {
  const request = createPipelineRequest({ url: "https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities" });
  const body = { error: { code: "TooManyRequests", message: "Too many requests" } };
  const response = Object.assign(
    { status: 429, headers: createHttpHeaders({ "retry-after": retryAfterSeconds }), request, bodyAsText: JSON.stringify(body) },
    { parsedBody: body },
  );
  return Object.assign(new RestError("Too many requests", { statusCode: 429, request, response }), {
    code: "TooManyRequests",
    details: body,
  });
}

const OPTIONS: OutboxEngineOptions = {
  pollIntervalMs: 60_000,
  leaseMs: 60_000,
  concurrency: 4,
  retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 400, jitter: 0 },
};

function reference(conversationId: string, tenantId: string): Reference {
  return {
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/teams/",
    conversation: { id: conversationId, tenantId, conversationType: "personal" },
    bot: { id: "28:bot" },
    user: { id: `29:${conversationId}` },
    locale: "en-US",
  };
}

function conversation(
  tenantId: string,
  userId: string,
  conversationId: string,
  reachableAs: ConversationRecord["reachableAs"],
  partnerId?: string,
): ConversationRecord {
  return {
    tenantId,
    userId,
    name: userId,
    reachableAs,
    ...(partnerId ? { partnerId } : {}),
    locale: "en-US",
    reference: reference(conversationId, tenantId),
    stale: false,
    updatedAt: new Date().toISOString(),
  };
}

let sequence = 0;
function notification(recipient: Notification["recipient"], extra: Partial<Notification> = {}): Notification {
  sequence++;
  return {
    id: `n-${String(sequence).padStart(6, "0")}`,
    tenantId: CUSTOMER,
    recipient,
    type: "invitationDeclined",
    payload: { invitationId: `inv-${sequence}`, reason: "Not this quarter" },
    status: "pending",
    attempts: 0,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, sequence)).toISOString(),
    correlationId: `test-${sequence}`,
    deliveries: {},
    ...extra,
  };
}

describe("the outbox engine", function () {
  this.timeout(30_000);
  let repos: Storage;
  /** The same tables without the recording policy: what the test itself reads and writes is not an event. */
  let plain: Storage;
  let events: Event[];
  /** Notification ids, one per write to their outbox row. */
  let outboxWrites: string[];
  let sender: RecordingSender;
  let services: OutboxServices;

  beforeEach(async () => {
    const { prefix, connectionString } = await freshTables();
    events = [];
    outboxWrites = [];
    const counted = createTableClients({ kind: "connectionString", connectionString }, prefix, {
      additionalPolicies: [
        {
          position: "perCall",
          policy: {
            name: "recordEvents",
            sendRequest: (request, next) => {
              const override = request.headers.get("x-http-method") ?? undefined;
              events.push(what(request.method, request.url, override));
              const written = outboxRowWritten(request.method, request.url, override);
              if (written) outboxWrites.push(written);
              return next(request);
            },
          },
        },
      ],
    });
    repos = openStorage(counted);
    plain = openStorage(createTableClients({ kind: "connectionString", connectionString }, prefix));
    sender = new RecordingSender(events);
    const directory = new DirectoryService(plain.partners);
    for (let i = 0; i < 3; i++) {
      await plain.partners.upsert({
        id: `partner-${i}`,
        name: `Partner ${i}`,
        tenantId: PARTNER_TENANT,
        locations: [{ country: "SE", city: "Stockholm" }],
        sizes: ["1-50"],
        services: ["Helpdesk support"],
        industries: [],
        types: ["reseller"],
        contacts: [{ tenantId: PARTNER_TENANT, userId: contact(i), name: `Contact ${i}` }],
      });
      await plain.conversations.save(conversation(PARTNER_TENANT, contact(i), `a:contact-${i}`, "partnerContact", `partner-${i}`));
    }
    for (let i = 0; i < 2; i++) await plain.conversations.save(conversation(CUSTOMER, ADMIN(i), `a:admin-${i}`, "customerAdmin"));
    await plain.seed.upsert(write.tenantProfile({ tenantId: CUSTOMER, displayName: "Fabrikam Demo", updatedAt: new Date().toISOString() }));
    await directory.reload();
    // As the app wires it: the outbox, and the records its cards show, through tables of its own (recorded here).
    services = {
      storage: repos,
      adminAudience: new ConversationBook(repos.conversations, directory, systemClock),
      directory,
      clock: systemClock,
    };
  });

  const running: OutboxEngine[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
  });

  /** A started engine, wired as the app wires it (polling only every minute here): `runOnce` is one pass over the outbox. */
  function engine(options: Partial<OutboxEngineOptions> = {}): OutboxEngine {
    const book = new ConversationBook(repos.conversations, services.directory, systemClock);
    const d = createOutboxEngine(
      { services, book, sender, limiter: new RateLimiter(TEAMS_LIMITS), logger: pino({ level: "silent" }) },
      // No sweep: every test indexes what it queues, so a pass's requests are the steady state's.
      { ...OPTIONS, shards: { instanceId: "dispatcher-test", sweepIntervalMs: 0 }, ...options },
    );
    d.start();
    running.push(d);
    return d;
  }

  /** Queued as a decision queues them: the rows, then their index entries (the app's afterCommit). */
  async function queue(...notifications: Notification[]): Promise<void> {
    for (const n of notifications) await plain.seed.create(write.notification(n));
    await createOutboxIndexer(plain, services.directory, pino({ level: "silent" })).indexNotifications(notifications);
  }

  const row = async (n: Notification) => (await plain.outbox.get(n.tenantId, n.id))!.value;
  /** The events after the pass's listing: its last read of outbox rows (by key, or a query of a tenant's). */
  const afterListing = () => events.slice(Math.max(events.lastIndexOf("query tenant"), events.lastIndexOf("read tenant outbox")) + 1);

  describe("storage requests per notification", () => {
    it("to one recipient: the reference, the lease, the send, then one write that records the delivery and completes the row", async () => {
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      const report = await engine().runOnce();
      expect(report.delivered).to.equal(1);
      expect(afterListing()).to.deep.equal([
        "read conversations conv",
        "write tenant outbox",
        "read tenant profile",
        "send a:contact-0",
        "write tenant outbox",
      ]);
      const stored = await row(n);
      expect(stored.status).to.equal("sent");
      expect(stored.lease).to.equal(undefined);
      expect(stored.sentAt).to.be.a("string");
      expect(stored.deliveries[contact(0)]).to.deep.include({ activityId: "activity-1", conversationId: "a:contact-0" });
    });

    it("to two recipients: the first delivery is recorded on its own right after its send, the last one together with the completion", async () => {
      const n = notification({ kind: "tenantAdmins", tenantId: CUSTOMER });
      await queue(n);
      await engine().runOnce();
      expect(afterListing().filter((e) => !e.startsWith("read"))).to.deep.equal([
        "query conversations",
        "write tenant outbox",
        "send a:admin-0",
        "write tenant outbox",
        "send a:admin-1",
        "write tenant outbox",
      ]);
      const stored = await row(n);
      expect(stored.status).to.equal("sent");
      expect(Object.keys(stored.deliveries).sort()).to.deep.equal([ADMIN(0), ADMIN(1)].sort());
    });

    it("completes a refresh of invitation cards nobody received with one write, without claiming it first", async () => {
      const n = notification(
        { kind: "tenantAdmins", tenantId: CUSTOMER },
        { type: "cardRefresh", payload: { invitationId: "never-sent" } },
      );
      await queue(n);
      await engine().runOnce();
      // After the query for the cards to refresh (there are none): the completion, and nothing else.
      expect(afterListing()).to.deep.equal(["write tenant outbox"]);
      const stored = await row(n);
      expect(stored.status).to.equal("sent");
      expect(stored.lease).to.equal(undefined);
      expect(events.filter((e) => e.startsWith("send") || e.startsWith("update"))).to.deep.equal([]);
    });

    it("reads a tenant's display name once for all of its notifications, and shows it on every card", async () => {
      const all = [0, 1, 2, 0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(...all);
      const report = await engine().runOnce();
      expect(report.delivered).to.equal(6);
      expect(events.filter((e) => e === "read tenant profile")).to.have.length(1);
      for (const s of sender.sends) expect(JSON.stringify(s.card)).to.include("Fabrikam Demo");
    });

    it("reads a conversation reference once for several notifications to the same person in one pass", async () => {
      const all = [0, 0, 0, 1].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(...all);
      await engine({ concurrency: 1 }).runOnce();
      expect(events.filter((e) => e === "read conversations conv")).to.have.length(2);
      expect(sender.sends.map((s) => s.conversationId)).to.deep.equal(["a:contact-0", "a:contact-0", "a:contact-0", "a:contact-1"]);
    });

    it("parks a notification nobody can receive: later passes do not list it, and it is sent as soon as its recipient talks again", async () => {
      await plain.conversations.save({
        ...conversation(PARTNER_TENANT, contact(0), "a:contact-0", "partnerContact", "partner-0"),
        stale: true,
      });
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      const d = engine();
      expect((await d.runOnce()).waiting).to.equal(1);
      events.length = 0;
      expect(await d.runOnce()).to.deep.include({ waiting: 0, delivered: 0 });
      expect(
        events.filter((e) => e.startsWith("query tenant") || e.startsWith("read conversations")),
        "a pass after the parking",
      ).to.deep.equal([]);
      // The contact talks to the bot again: the conversation book records it and tells the outbox (as the app wires it).
      let unparking: Promise<void> | undefined;
      const book = new ConversationBook(repos.conversations, services.directory, systemClock, (who) => {
        unparking = d.reachable(who);
      });
      const identity = { tenantId: PARTNER_TENANT, userId: contact(0), name: "Contact 0", locale: "en-US" };
      expect(await book.remember(identity, reference("a:contact-0b", PARTNER_TENANT), async () => [])).to.equal("partnerContact");
      await unparking;
      expect((await d.runOnce()).delivered).to.equal(1);
      expect(sender.sends.map((s) => s.conversationId)).to.deep.equal(["a:contact-0b"]);
    });

    it("sends a parked notification whose recipient came back while it was being parked", async () => {
      await plain.conversations.save({
        ...conversation(PARTNER_TENANT, contact(0), "a:contact-0", "partnerContact", "partner-0"),
        stale: true,
      });
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      // The contact's new conversation is stored right after the pass parked the notification, before its second
      // look; the book's unparking (which would read the parked entry) is not called: the pass's second look finds them.
      const index = repos.outboxShards;
      const park = index.park.bind(index);
      index.park = async (entry) => {
        await park(entry);
        await plain.conversations.save(conversation(PARTNER_TENANT, contact(0), "a:contact-0b", "partnerContact", "partner-0"));
      };
      try {
        const d = engine();
        await d.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 50)); // the pass it asked for
        await d.runOnce();
      } finally {
        index.park = park;
      }
      expect(sender.sends.map((s) => s.conversationId)).to.deep.equal(["a:contact-0b"]);
      expect(await repos.outboxShards.waitingIn(shardOf(PARTNER_TENANT, OUTBOX_SHARD_DEFAULTS().count))).to.deep.equal([]);
    });
  });

  describe("listing", () => {
    it("reads a few notifications named by the index by key, not the tenant's whole outbox with its sent history", async () => {
      const history = [0, 1, 2, 0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(...history);
      const d = engine();
      expect((await d.runOnce()).delivered).to.equal(6);
      await d.runOnce(); // the sent ones' index entries are removed by the next pass
      const next = notification({ kind: "partner", partnerId: "partner-1" });
      await queue(next);
      events.length = 0;
      expect((await d.runOnce()).delivered).to.equal(1);
      expect(
        events.filter((e) => e.startsWith("query tenant")),
        "no query of the tenant's outbox",
      ).to.deep.equal([]);
      expect(events.filter((e) => e === "read tenant outbox")).to.have.length(1);
    });

    it("lists many notifications of one tenant with one query (a fan-out)", async () => {
      const many = Array.from({ length: 12 }, (_, i) => notification({ kind: "partner", partnerId: `partner-${i % 3}` }));
      await queue(...many);
      events.length = 0;
      expect((await engine().runOnce()).delivered).to.equal(12);
      expect(events.filter((e) => e === "query tenant")).to.have.length(1);
      expect(events.filter((e) => e === "read tenant outbox")).to.deep.equal([]);
    });
  });

  describe("claiming rows together", () => {
    it("claims the next rows of the same tenant with the first one, in one request, and writes nothing else for them before their delivery", async () => {
      const all = [0, 1, 2, 0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(...all);
      const report = await engine({ concurrency: 1 }).runOnce();
      expect(report.delivered).to.equal(6);
      expect(events.filter((e) => e === "batch")).to.have.length(1);
      expect(events.filter((e) => e === "write tenant outbox")).to.have.length(6, "one delivery mark each, nothing more");
      expect(outboxWrites.sort()).to.deep.equal(all.map((n) => n.id).sort());
      for (const n of all) expect((await row(n)).status).to.equal("sent");
    });

    it("claims together no more rows than claimBatch", async () => {
      const all = Array.from({ length: 7 }, (_, i) => notification({ kind: "partner", partnerId: `partner-${i % 3}` }));
      await queue(...all);
      await engine({ concurrency: 1, claimBatch: 3 }).runOnce();
      expect(events.filter((e) => e === "batch")).to.have.length(2, "3 + 3, then the last one on its own");
      expect(events.filter((e) => e === "write tenant outbox")).to.have.length(8);
    });

    it("does not claim a notification nobody can receive yet", async () => {
      await plain.conversations.save({
        ...conversation(PARTNER_TENANT, contact(1), "a:contact-1", "partnerContact", "partner-1"),
        stale: true,
      });
      const [a, b, c] = [0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(a!, b!, c!);
      const report = await engine({ concurrency: 1 }).runOnce();
      expect(report).to.deep.include({ delivered: 2, waiting: 1 });
      expect(outboxWrites).to.not.include(b!.id);
      const waiting = await row(b!);
      expect(waiting.status).to.equal("pending");
      expect(waiting.lease).to.equal(undefined);
    });

    it("when another instance took one of the rows meanwhile, claims one row at a time and sends nothing twice", async () => {
      const [a, b, c] = [0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(a!, b!, c!);
      // Another instance claims b right after this one listed it (a few rows are listed by key).
      const get = repos.outbox.get.bind(repos.outbox);
      let claimedByOther = false;
      repos.outbox.get = async (tenantId, id) => {
        const listed = await get(tenantId, id);
        if (id === b!.id && !claimedByOther) {
          claimedByOther = true;
          await plain.outbox.update(
            { ...listed!.value, lease: { owner: "dispatcher-other", until: new Date(Date.now() + 60_000).toISOString() } },
            listed!.etag,
          );
        }
        return listed;
      };
      // The pass takes b up again after RETAKE_AFTER_MS (1 s); with a poll of 500 ms it does not wait for that.
      const report = await engine({ concurrency: 1, pollIntervalMs: 500 }).runOnce();
      expect(report.delivered).to.equal(2);
      expect(sender.sends.map((s) => s.conversationId)).to.deep.equal(["a:contact-0", "a:contact-2"]);
      expect((await row(b!)).lease?.owner).to.equal("dispatcher-other");
      expect((await row(a!)).status).to.equal("sent");
      expect((await row(c!)).status).to.equal("sent");
    });

    it("releases the rows it claimed ahead when it stops", async () => {
      const all = [0, 1, 2, 0, 1, 2].map((i) => notification({ kind: "partner", partnerId: `partner-${i}` }));
      await queue(...all);
      const d = engine({ concurrency: 1 });
      let stopped: Promise<void> | undefined;
      sender.answer = () => {
        stopped ??= d.stop();
        return Promise.resolve();
      };
      await d.runOnce();
      await stopped;
      const rows = await Promise.all(all.map(row));
      expect(rows.filter((r) => r.status === "sent")).to.have.length(1);
      for (const r of rows) expect(r.lease, r.id).to.equal(undefined);
    });
  });

  describe("retries within a pass", () => {
    it("sends a throttled notification again in the same pass once Retry-After has passed, before the rows still waiting", async () => {
      const all = Array.from({ length: 12 }, (_, i) => notification({ kind: "partner", partnerId: `partner-${i % 3}` }));
      await queue(...all);
      const first = `${all[0]!.id}:${contact(0)}`;
      sender.answer = async (key, attempt) => {
        if (key === first && attempt === 1) throw throttled("0.3");
        await new Promise((resolve) => setTimeout(resolve, 60)); // the pass lasts well beyond the Retry-After
      };
      const report = await engine({ concurrency: 1, claimBatch: 1 }).runOnce();
      expect(report).to.deep.include({ delivered: 12, retried: 1 });
      const stored = await row(all[0]!);
      expect(stored).to.deep.include({ status: "sent", attempts: 1, lastError: "429 TooManyRequests Too many requests" });
      // A short Retry-After within a long lease: the lease is kept, nothing is written until the delivery mark.
      const id = all[0]!.id;
      expect(outboxWrites.filter((w) => w === id)).to.have.length(2, "the claim and the delivery mark");
      const order = sender.sends.map((s) => s.key);
      expect(order.filter((k) => k === first)).to.have.length(1, "delivered once");
      expect(order.indexOf(first)).to.be.below(11, "taken up again before the last rows of the listing");
    });

    it("waits for a retry due within the poll interval when nothing else is left, and sends it in the same pass", async () => {
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      sender.answer = (_key, attempt) => (attempt === 1 ? Promise.reject(throttled("0.4")) : Promise.resolve());
      const d = engine();
      const started = Date.now();
      const report = await d.runOnce();
      // Before: the pass ended, released the row and a new pass listed everything again once it was due.
      expect(report).to.deep.include({ delivered: 1, retried: 1 });
      expect(Date.now() - started).to.be.at.least(400);
      expect(sender.sends).to.have.length(1);
      expect(await row(n)).to.deep.include({ status: "sent", attempts: 1 });
      expect(outboxWrites.filter((w) => w === n.id)).to.have.length(2, "the claim and the delivery mark: no release, no second claim");
    });

    it("does not hold the pass open for a retry due after the poll interval; the retry timer's pass sends it", async () => {
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      sender.answer = (_key, attempt) => (attempt === 1 ? Promise.reject(throttled("1")) : Promise.resolve());
      const d = engine({ pollIntervalMs: 300 });
      const started = Date.now();
      const report = await d.runOnce();
      expect(Date.now() - started).to.be.below(900);
      expect(report).to.deep.include({ delivered: 0, retried: 1 });
      // The pass released the retry it was holding, with the attempt and when to try again.
      const waiting = await row(n);
      expect(waiting).to.deep.include({ status: "pending", attempts: 1 });
      expect(waiting.lease).to.equal(undefined);
      expect(Date.parse(waiting.nextAttemptAt!)).to.be.at.least(started + 1000);
      // The retry timer wakes the engine when Retry-After has passed.
      for (let i = 0; i < 60 && (await row(n)).status !== "sent"; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await row(n)).status).to.equal("sent");
      expect(Date.now() - started).to.be.at.least(1000);
      expect(sender.sends).to.have.length(1);
    });

    it("stops waiting for a retry when woken: the pass ends at once and the next one lists what woke it", async () => {
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      const later = notification({ kind: "partner", partnerId: "partner-1" });
      await queue(n);
      let throttledAt = 0;
      sender.answer = (key, attempt) => {
        if (key.startsWith(n.id) && attempt === 1) {
          throttledAt = Date.now();
          return Promise.reject(throttled("5"));
        }
        return Promise.resolve();
      };
      const d = engine();
      const pass = d.runOnce();
      while (throttledAt === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await queue(later);
      d.wake();
      const report = await pass;
      expect(Date.now() - throttledAt).to.be.below(1000, "not held for the 5 s Retry-After");
      expect(report).to.deep.include({ delivered: 0, retried: 1 });
      for (let i = 0; i < 40 && (await row(later)).status !== "sent"; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await row(later)).status).to.equal("sent");
      const released = await row(n);
      expect(released).to.deep.include({ status: "pending", attempts: 1 });
      expect(released.lease).to.equal(undefined);
    });

    it("releases a retry it is holding when it stops, without waiting for it", async () => {
      const n = notification({ kind: "partner", partnerId: "partner-0" });
      await queue(n);
      let throttledAt = 0;
      sender.answer = () => {
        throttledAt ||= Date.now();
        return Promise.reject(throttled("5"));
      };
      const d = engine();
      const pass = d.runOnce();
      while (throttledAt === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await d.stop();
      await pass;
      expect(Date.now() - throttledAt).to.be.below(1000, "stopped without waiting out the Retry-After");
      const stopped = await row(n);
      expect(stopped).to.deep.include({ status: "pending", attempts: 1 });
      expect(stopped.lease).to.equal(undefined);
      expect(sender.sends).to.have.length(0);
    });

    it("releases a retry whose wait would outlast most of its lease; when another instance takes it meanwhile, nothing is sent twice", async () => {
      const all = Array.from({ length: 8 }, (_, i) => notification({ kind: "partner", partnerId: `partner-${i % 3}` }));
      await queue(...all);
      const first = `${all[0]!.id}:${contact(0)}`;
      sender.answer = async (key, attempt) => {
        if (key === first && attempt === 1) {
          // Once the retry is recorded (lease released), another instance claims the row.
          setTimeout(() => {
            void (async () => {
              const current = (await plain.outbox.get(CUSTOMER, all[0]!.id))!;
              await plain.outbox.update(
                { ...current.value, lease: { owner: "dispatcher-other", until: new Date(Date.now() + 60_000).toISOString() } },
                current.etag,
              );
            })();
          }, 100);
          throw throttled("0.25");
        }
        await new Promise((resolve) => setTimeout(resolve, 60));
      };
      // A lease of 400 ms does not cover a wait of 250 ms with half of it to spare: the row is released. A poll of
      // 200 ms: the pass does not wait for the retry at its end (nextOrHold), so what it left is seen here.
      const report = await engine({ concurrency: 1, leaseMs: 400, claimBatch: 1, pollIntervalMs: 200 }).runOnce();
      expect(report.delivered).to.equal(7);
      expect(sender.sends.map((s) => s.key)).to.not.include(first);
      expect((await row(all[0]!)).lease?.owner).to.equal("dispatcher-other");
    });
  });
});
