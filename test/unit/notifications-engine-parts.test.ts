import { expect } from "chai";
import { pino } from "pino";
import type { AdaptiveCardJson } from "../../src/cards/render.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Notification } from "../../src/domain/notification.js";
import { PassAudience } from "../../src/outbox/audience.js";
import { deliver, type DeliveryDeps } from "../../src/outbox/delivery.js";
import { Claims } from "../../src/outbox/claims.js";
import { PassQueue } from "../../src/outbox/passQueue.js";
import { OutboxEngine } from "../../src/outbox/engine.js";
import { waitingForOf, waitingForWhom } from "../../src/outbox/shards/waiting.js";
import { NotificationSourceMissing, type OutboxRow, type OutboxStore, type Recipients, type Reference } from "../../src/outbox/ports.js";

const TENANT = "c0000000-0000-4000-8000-000000000001";
const PARTNER_TENANT = "d0000000-0000-4000-8000-000000000001";

function record(userId: string, extra: Partial<ConversationRecord> = {}): ConversationRecord {
  const reference: Reference = {
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/teams/",
    conversation: { id: `a:${userId}`, tenantId: PARTNER_TENANT },
    bot: { id: "28:bot" },
    user: { id: `29:${userId}` },
  };
  return {
    tenantId: PARTNER_TENANT,
    userId,
    name: userId,
    reachableAs: "partnerContact",
    locale: "en-US",
    reference,
    stale: false,
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

const notification = (extra: Partial<Notification> = {}): Notification => ({
  id: "n-1",
  tenantId: TENANT,
  recipient: { kind: "partner", partnerId: "partner-1" },
  type: "invitationDeclined",
  payload: { invitationId: "inv-1" },
  status: "pending",
  attempts: 0,
  createdAt: "2026-01-01T00:00:00.000Z",
  correlationId: "test-1",
  deliveries: {},
  lease: { owner: "me", until: "2026-01-01T00:01:00.000Z" },
  ...extra,
});

/** Recipients answering from a list, counting reads; `failNext` makes the next conversation read fail. */
class ListedRecipients implements Recipients {
  reads = 0;
  failNext = false;
  constructor(private readonly records: ConversationRecord[]) {}
  conversation(tenantId: string, userId: string): Promise<ConversationRecord | undefined> {
    this.reads++;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error("storage is down"));
    }
    return Promise.resolve(this.records.find((r) => r.tenantId === tenantId && r.userId === userId));
  }
  tenantAdmins(): Promise<ConversationRecord[]> {
    return Promise.resolve([]);
  }
  partnerContacts(): Promise<Array<{ tenantId: string; userId: string }>> {
    return Promise.resolve(this.records.map((r) => ({ tenantId: r.tenantId, userId: r.userId })));
  }
  markStale(): Promise<void> {
    return Promise.resolve();
  }
}

/** What the Bot Connector client throws for an HTTP error (as far as classify reads it). */
const teamsError = (statusCode: number, code: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(code), { statusCode, code, headers });

const noCards: Pick<OutboxStore, "invitationCards"> = { invitationCards: () => Promise.resolve([]) };

describe("the outbox engine's parts", () => {
  describe("PassAudience: who gets a notification, references shared within a pass", () => {
    it("reads a person's reference once for concurrent notifications to them", async () => {
      const recipients = new ListedRecipients([record("u1")]);
      const audience = new PassAudience(recipients, noCards, 5_000);
      const targets = await Promise.all([1, 2, 3].map(() => audience.targets(notification())));
      expect(recipients.reads).to.equal(1);
      for (const t of targets) expect(t.map((x) => x.record.userId)).to.deep.equal(["u1"]);
    });

    it("does not keep a failed read: the next notification reads again", async () => {
      const recipients = new ListedRecipients([record("u1")]);
      const audience = new PassAudience(recipients, noCards, 5_000);
      recipients.failNext = true;
      let error: unknown;
      await audience.targets(notification()).catch((e: unknown) => (error = e));
      expect(String(error)).to.include("storage is down");
      expect((await audience.targets(notification())).map((t) => t.record.userId)).to.deep.equal(["u1"]);
      expect(recipients.reads).to.equal(2);
    });

    it("reads every time with a reference cache of 0, and again after a reference is forgotten", async () => {
      const recipients = new ListedRecipients([record("u1")]);
      const off = new PassAudience(recipients, noCards, 0);
      await off.targets(notification());
      await off.targets(notification());
      expect(recipients.reads).to.equal(2);
      const on = new PassAudience(recipients, noCards, 5_000);
      await on.targets(notification());
      on.forget(record("u1"));
      await on.targets(notification());
      expect(recipients.reads).to.equal(4);
    });
  });

  describe("deliver: one notification, an outcome value", () => {
    let saved: Notification[];
    let sends: string[];
    let answer: (userId: string) => Promise<void>;
    let render: DeliveryDeps["render"];

    const deps = (): DeliveryDeps => ({
      rows: {
        listPending: () => Promise.resolve([]),
        claim: () => Promise.resolve(undefined),
        claimTogether: () => Promise.resolve(undefined),
        save: (_row, value) => {
          saved.push(value);
          return Promise.resolve({ value, etag: `etag-${saved.length}` });
        },
        completeUnclaimed: () => Promise.reject(new Error("the scheduler completes rows that need no send, not delivery")),
        deadLetter: () => Promise.reject(new Error("the scheduler dead-letters, not delivery")),
        invitationCards: () => Promise.resolve([]),
      },
      render: (n, r) => render(n, r),
      limiter: { acquire: () => Promise.resolve({ done: () => {} }) },
      sender: {
        send: async (reference) => {
          sends.push(reference.user.id);
          await answer(reference.user.id);
          return { activityId: `activity-${sends.length}` };
        },
        update: () => Promise.reject(new Error("not used here")),
      },
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0 },
      now: () => new Date("2026-01-01T00:00:10.000Z"),
      stopping: () => false,
    });
    const claimed = (n: Notification = notification()): OutboxRow => ({ value: n, etag: "etag-0" });
    const targets = (...users: ConversationRecord[]) => users.map((r) => ({ record: r }));

    beforeEach(() => {
      saved = [];
      sends = [];
      answer = () => Promise.resolve();
      render = () => Promise.resolve({ type: "AdaptiveCard" } as AdaptiveCardJson);
    });

    it("tells the shard keeper when each send starts, after its last shard check, and when its request is over", async () => {
      const events: string[] = [];
      const d = deps();
      d.rows = {
        ...d.rows,
        mayDeliver: () => (events.push("shard check"), true),
        sendStarts: (n) => (events.push(`start ${n.id}`), () => events.push(`over ${n.id}`)),
      };
      answer = (userId) => Promise.resolve(void events.push(`send to ${userId}`));
      await deliver(claimed(), targets(record("u1")), d);
      expect(events).to.deep.equal(["shard check", "shard check", "start n-1", "send to 29:u1", "over n-1"]);
    });

    it("records each delivery before the next send, and completes the row with the last one", async () => {
      const outcome = await deliver(claimed(), targets(record("u1"), record("u2")), deps());
      expect(outcome).to.deep.equal({ delivered: 2, stale: [], end: { kind: "completed" } });
      expect(saved).to.have.length(2);
      expect(Object.keys(saved[0]!.deliveries)).to.deep.equal(["u1"]);
      expect(saved[0]!.status).to.equal("pending");
      expect(saved[1]).to.deep.include({ status: "sent", lease: undefined });
    });

    it("ends with a retry after Retry-After on a 429, writing nothing", async () => {
      answer = () => Promise.reject(teamsError(429, "TooManyRequests", { "retry-after": "2" }));
      const outcome = await deliver(claimed(), targets(record("u1")), deps());
      expect(outcome.end).to.deep.include({ kind: "retry", afterMs: 2_000, reason: "429 TooManyRequests TooManyRequests" });
      expect(saved).to.deep.equal([]);
    });

    it("ends dead, its attempt counted, on a failure no retry can fix", async () => {
      answer = () => Promise.reject(teamsError(400, "BadArgument"));
      const { end } = await deliver(claimed(), targets(record("u1")), deps());
      expect(end.kind).to.equal("dead");
      if (end.kind === "dead") {
        expect(end.row.value.attempts).to.equal(1);
        expect(end.reason).to.include("HTTP 400 BadArgument");
      }
    });

    it("ends dead without sending when the record the notification shows is gone", async () => {
      render = () => Promise.reject(new NotificationSourceMissing("invitation inv-1 is gone"));
      const { end } = await deliver(claimed(), targets(record("u1")), deps());
      expect(end).to.deep.include({ kind: "dead", reason: "invitation inv-1 is gone" });
      expect(sends).to.deep.equal([]);
    });

    it("names a recipient whose conversation is gone, goes on with the others, and waits for the gone one", async () => {
      answer = (user) => (user === "29:u1" ? Promise.reject(teamsError(403, "ConversationBlockedByUser")) : Promise.resolve());
      const outcome = await deliver(claimed(), targets(record("u1"), record("u2")), deps());
      expect(outcome.stale.map((r) => r.userId)).to.deep.equal(["u1"]);
      expect(outcome.delivered).to.equal(1);
      expect(outcome.end.kind).to.equal("waitingForReachability");
    });

    it("sends nothing to whoever has it or is known to be unreachable; a row everyone has only needs completing", async () => {
      const n = notification({ deliveries: { u1: { activityId: "a-1", conversationId: "a:u1", at: "2026-01-01T00:00:01.000Z" } } });
      const outcome = await deliver(claimed(n), targets(record("u1")), deps());
      expect(outcome.end.kind).to.equal("alreadyDelivered");
      const waiting = await deliver(claimed(), targets(record("u2", { stale: true })), deps());
      expect(waiting.end.kind).to.equal("waitingForReachability");
      expect(sends).to.deep.equal([]);
    });
  });

  describe("OutboxEngine: when passes run", () => {
    it("answers a wake-up during a pass it was asked for directly with exactly one more pass, at once", async () => {
      let listings = 0;
      let release: () => void = () => {};
      const store: OutboxStore = {
        listPending: () => {
          listings++;
          // The second pass (the one runOnce starts) waits until the test lets it finish; the others finish at once.
          return listings === 2 ? new Promise((resolve) => (release = () => resolve([]))) : Promise.resolve([]);
        },
        claim: () => Promise.resolve(undefined),
        claimTogether: () => Promise.resolve(undefined),
        save: () => Promise.reject(new Error("nothing to save")),
        completeUnclaimed: () => Promise.reject(new Error("nothing to complete")),
        deadLetter: () => Promise.reject(new Error("nothing to dead-letter")),
        invitationCards: () => Promise.resolve([]),
      };
      const engine = new OutboxEngine(
        {
          rows: store,
          recipients: new ListedRecipients([]),
          render: () => Promise.reject(new Error("nothing to render")),
          sender: { send: () => Promise.reject(new Error("no sends")), update: () => Promise.reject(new Error("no sends")) },
          limiter: { acquire: () => Promise.resolve({ done: () => {} }) },
          logger: pino({ level: "silent" }),
        },
        {
          pollIntervalMs: 3_600_000,
          leaseMs: 60_000,
          concurrency: 1,
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 },
        },
      );
      const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
      try {
        engine.start();
        await settle();
        expect(listings).to.equal(1, "start runs a pass; then the engine waits for the poll, an hour away");
        const direct = engine.runOnce();
        engine.wake(); // something was queued while that pass was listing
        release();
        await direct;
        await settle();
        expect(listings).to.equal(3, "the wake-up got its own pass right after, not at the next poll");
        engine.wake();
        await settle();
        expect(listings).to.equal(4, "the next wake-up runs exactly one pass: nothing was left over");
      } finally {
        await engine.stop();
      }
    });

    it("runs nothing on its own before start() (wake is a no-op), passes on wake-ups once started, none after stop()", async () => {
      let listings = 0;
      const store: OutboxStore = {
        listPending: () => {
          listings++;
          return Promise.resolve([]);
        },
        claim: () => Promise.resolve(undefined),
        claimTogether: () => Promise.resolve(undefined),
        save: () => Promise.reject(new Error("nothing to save")),
        completeUnclaimed: () => Promise.reject(new Error("nothing to complete")),
        deadLetter: () => Promise.reject(new Error("nothing to dead-letter")),
        invitationCards: () => Promise.resolve([]),
      };
      const engine = new OutboxEngine(
        {
          rows: store,
          recipients: new ListedRecipients([]),
          render: () => Promise.reject(new Error("nothing to render")),
          sender: { send: () => Promise.reject(new Error("no sends")), update: () => Promise.reject(new Error("no sends")) },
          limiter: { acquire: () => Promise.resolve({ done: () => {} }) },
          logger: pino({ level: "silent" }),
        },
        { pollIntervalMs: 60_000, leaseMs: 60_000, concurrency: 1, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 } },
      );
      const settle = () => new Promise((resolve) => setTimeout(resolve, 30));
      engine.wake();
      await settle();
      expect(listings).to.equal(0, "not started: nothing runs on its own");
      expect(await engine.runOnce()).to.deep.equal({ delivered: 0, retried: 0, stale: 0, dead: 0, waiting: 0 });
      expect(listings).to.equal(1, "runOnce works before start");
      engine.start();
      await settle();
      expect(listings).to.equal(2, "start runs a pass at once");
      engine.wake();
      await settle();
      expect(listings).to.equal(3, "a wake-up runs a pass");
      await engine.stop();
      engine.wake();
      await settle();
      expect(listings).to.equal(3, "stopped: wake-ups are ignored");
    });
  });

  describe("OutboxEngine: shards taken while a pass runs", () => {
    /**
     * Two customer tenants, one per shard; the engine holds shard 0 when it starts and is told it took shard 1 when the
     * test says. Tenant A's sends wait for the test (as Teams' per-tenant limit would hold them); tenant B's go at once.
     * With `holdListing`, the pass's own listing waits for `listed()` (a listing of shards just taken does not).
     */
    function scene(holdListing: boolean, heldAtStart: readonly number[] = [0]) {
      const shardOfTenant = (tenantId: string) => (tenantId === "tenant-b" ? 1 : 0);
      const row = (id: string, tenantId: string, minute: number): OutboxRow => ({
        value: notification({ id, tenantId, lease: undefined, createdAt: `2026-01-01T00:${String(minute).padStart(2, "0")}:00.000Z` }),
        etag: "e0",
      });
      const rows = new Map<string, OutboxRow>(
        [
          row("a-1", "tenant-a", 1),
          row("b-1", "tenant-b", 2),
          row("b-2", "tenant-b", 3),
          row("a-2", "tenant-a", 4),
          row("a-3", "tenant-a", 5),
        ].map((r) => [r.value.id, r]),
      );
      const held = new Set(heldAtStart);
      const at = { taken: (_shards: number[]) => {}, listed: () => {} };
      let version = 0;
      const written = (value: Notification): OutboxRow => {
        const stored = { value, etag: `e${++version}` };
        rows.set(value.id, stored);
        return stored;
      };
      const heldWhenListed = [...held];
      const store: OutboxStore = {
        listPending: async (only) => {
          if (!only && holdListing) await new Promise<void>((resolve) => (at.listed = resolve));
          const shards = only ?? (holdListing ? heldWhenListed : [...held]);
          return [...rows.values()].filter((r) => r.value.status === "pending" && shards.includes(shardOfTenant(r.value.tenantId)));
        },
        mayDeliver: (n) => held.has(shardOfTenant(n.tenantId)),
        // Conditional on the ETag, as storage is.
        claim: (r, lease) => Promise.resolve(rows.get(r.value.id)?.etag === r.etag ? written({ ...r.value, lease }) : undefined),
        reread: (r) => Promise.resolve(rows.get(r.value.id)),
        claimTogether: () => Promise.resolve(undefined),
        save: (_r, value) => Promise.resolve(written(value)),
        completeUnclaimed: () => Promise.resolve(true),
        deadLetter: () => Promise.reject(new Error("nothing to dead-letter")),
        invitationCards: () => Promise.resolve([]),
      };
      const sent: string[] = [];
      const gates: Array<() => void> = [];
      const sender = {
        send: async (_reference: Reference, _card: AdaptiveCardJson, key: string) => {
          const id = key.split(":")[0]!;
          if (id.startsWith("a-")) await new Promise<void>((resolve) => gates.push(resolve));
          sent.push(id);
          return { activityId: `activity-${id}` };
        },
        update: () => Promise.reject(new Error("not used")),
      };
      const engine = new OutboxEngine(
        {
          rows: store,
          recipients: new ListedRecipients([record("u1")]),
          render: () => Promise.resolve({ type: "AdaptiveCard" } as AdaptiveCardJson),
          sender,
          limiter: { acquire: () => Promise.resolve({ done: () => {} }) },
          logger: pino({ level: "silent" }),
          shards: {
            start: () => {},
            stop: () => Promise.resolve(),
            ensureTicked: () => Promise.resolve(),
            sendable: () => [...held],
            onTaken: (listener) => (at.taken = listener),
          },
        },
        {
          pollIntervalMs: 3_600_000,
          leaseMs: 60_000,
          concurrency: 1,
          claimBatch: 1,
          retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 },
        },
      );
      const takeShard1 = () => {
        held.add(1);
        at.taken([1]);
      };
      const giveBackShard1 = () => held.delete(1);
      const done = async () => {
        for (const open of gates.splice(0)) open();
        await engine.stop();
      };
      /** The instance that held shard 1 before writes a row once more (it releases a claim it made ahead). */
      const previousHolderReleases = (id: string) => {
        const was = rows.get(id)!;
        rows.set(id, { value: { ...was.value, lease: undefined }, etag: "released-by-the-previous-holder" });
      };
      /** ... or claims a row once more just before it gave the shard back, with a lease of `ms`. */
      const previousHolderClaims = (id: string, ms: number) => {
        const was = rows.get(id)!;
        const lease = { owner: "previous-holder", until: new Date(Date.now() + ms).toISOString() };
        rows.set(id, { value: { ...was.value, lease }, etag: "claimed-by-the-previous-holder" });
      };
      /** The pass is sending a-1 (held back) when shard 1 is taken; its rows join the pass. */
      const shard1TakenMidPass = async () => {
        engine.start();
        await settle();
        takeShard1();
        await settle();
      };
      return {
        engine,
        sent,
        gates,
        takeShard1,
        giveBackShard1,
        shard1TakenMidPass,
        listed: () => at.listed(),
        previousHolderReleases,
        previousHolderClaims,
        done,
      };
    }
    const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

    it("takes up the rows of a shard taken during a long pass in that pass, oldest first, not after it", async () => {
      const { engine, sent, gates, takeShard1, done } = scene(false);
      try {
        engine.start();
        await settle();
        expect(gates).to.have.length(1, "the pass is sending a-1, held back");
        takeShard1();
        await settle();
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1", "b-1", "b-2"], "tenant B's rows, older than a-2, come next in the same pass");
        expect(gates).to.have.length(1, "and the pass goes on with a-2");
      } finally {
        await done();
      }
    });

    it("takes up again, in the same pass, rows it passed over while a shard it had listed was given back", async () => {
      // At start-up the first instance holds every shard for a moment and lists them all, then gives most back; when
      // one comes back to it (an instance died), its rows were once listed by this pass, and must not be dropped.
      const { engine, sent, gates, takeShard1, giveBackShard1, done } = scene(false, [0, 1]);
      try {
        engine.start();
        await settle();
        expect(gates).to.have.length(1, "the pass is sending a-1, held back");
        giveBackShard1();
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1"], "b-1 and b-2 are passed over (shard 1 is not ours); a-2 is held back");
        takeShard1();
        await settle();
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1", "a-2", "b-1", "b-2"], "shard 1's rows come back with its listing, in this pass");
        expect(gates).to.have.length(1, "and the pass goes on with a-3");
      } finally {
        await done();
      }
    });

    it("reads a row taken up again when its claim finds it changed since the listing, and delivers it in the same pass", async () => {
      const { sent, gates, shard1TakenMidPass, previousHolderReleases, done } = scene(false);
      try {
        await shard1TakenMidPass();
        // After this pass listed shard 1, the instance that held it before releases b-1: the listed ETag is stale.
        previousHolderReleases("b-1");
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1", "b-1", "b-2"], "b-1 is claimed on its new ETag, not left for the next pass");
        expect(gates).to.have.length(1, "and the pass goes on with a-2");
      } finally {
        await done();
      }
    });

    it("tries a row the shard's previous holder leased after the listing again when that lease ends, in the same pass", async () => {
      const { sent, gates, shard1TakenMidPass, previousHolderClaims, done } = scene(false);
      try {
        await shard1TakenMidPass();
        previousHolderClaims("b-1", 150);
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1", "b-2"], "b-1 is under the previous holder's lease for now");
        await new Promise((resolve) => setTimeout(resolve, 250));
        gates.shift()!(); // a-2 goes; by now that lease has run out
        await settle();
        expect([...sent]).to.deep.equal(["a-1", "b-2", "a-2", "b-1"], "b-1 is taken up again in this pass, before a-3");
        expect(gates).to.have.length(1, "a-3 waits");
      } finally {
        await done();
      }
    });

    it("takes up the rows of a shard taken while the pass is still listing, once it starts", async () => {
      const { engine, sent, gates, takeShard1, listed, done } = scene(true);
      try {
        engine.start();
        await settle();
        takeShard1(); // while the pass lists shard 0
        await settle();
        listed();
        await settle();
        expect(gates).to.have.length(1, "the pass is sending a-1, held back");
        gates.shift()!();
        await settle();
        expect(sent).to.deep.equal(["a-1", "b-1", "b-2"], "tenant B's rows joined the pass that was listing");
        expect(gates).to.have.length(1, "and the pass goes on with a-2");
      } finally {
        await done();
      }
    });
  });

  describe("PassQueue: claiming ahead", () => {
    it("after a failed claim together, claims the next rows one at a time, then together again", () => {
      const rows: OutboxRow[] = Array.from({ length: 12 }, (_, i) => ({
        value: notification({ id: `n-${i}`, createdAt: `2026-01-01T00:${String(i).padStart(2, "0")}:00.000Z` }),
        etag: "e0",
      }));
      const queue = new PassQueue(rows);
      const ahead = (row: OutboxRow) => queue.reserveAhead(row, 2, 10, () => true).map((r) => r.value.id);
      const first = queue.take(0)!.row;
      expect(ahead(first)).to.deep.equal(["n-1", "n-2"]);
      queue.pauseClaimingAhead(3); // the claim of n-0 with n-1 and n-2 failed: the next three alone
      const second = queue.take(0)!.row;
      expect(second.value.id).to.equal("n-3", "reserved rows never come from the listing again");
      expect(ahead(second)).to.deep.equal([], "paused");
      expect(ahead(queue.take(0)!.row)).to.deep.equal([], "still paused (n-4)");
      expect(ahead(queue.take(0)!.row)).to.deep.equal([], "still paused (n-5)");
      const later = queue.take(0)!.row;
      expect(later.value.id).to.equal("n-6");
      expect(ahead(later)).to.deep.equal(["n-7", "n-8"], "three rows later, together again");
    });
  });

  describe("PassQueue: sharing the workers among delivery tenants", () => {
    const row = (id: string, tenantId: string, minute: number): OutboxRow => ({
      value: notification({ id, tenantId, createdAt: `2026-01-01T00:${String(minute).padStart(2, "0")}:00.000Z` }),
      etag: "e0",
    });
    it("counts each tenant's rows not done yet (listed, put aside, in a worker's hands), which tell its shard busy", () => {
      const queue = new PassQueue([
        ...Array.from({ length: 40 }, (_, i) => row(`a-${i}`, "tenant-a", i % 60)),
        row("b-1", "tenant-b", 1),
        row("b-2", "tenant-b", 2),
      ]);
      expect(Object.fromEntries(queue.inHand())).to.deep.equal({ "tenant-a": 40, "tenant-b": 2 });
      const first = queue.take(0)!;
      const second = queue.take(0)!;
      expect(Object.fromEntries(queue.inHand())).to.deep.equal({ "tenant-a": 40, "tenant-b": 2 }, "taken, not done");
      queue.done(first);
      queue.defer(second.row, 60_000, true);
      queue.done(second);
      expect([...queue.inHand().values()].reduce((x, y) => x + y)).to.equal(41, "one done; the other put aside still counts");
    });

    it("gives a worker the tenant with fewer rows in hand before an older row of a busy tenant", () => {
      // Tenant A's backlog is older (as after a shard taken over mid-pass): oldest first, every worker would wait for A.
      const rows = [row("a-1", "A", 1), row("a-2", "A", 2), row("a-3", "A", 3), row("b-1", "B", 10), row("b-2", "B", 11)];
      const queue = new PassQueue(rows, (r) => r.value.tenantId);
      const first = queue.take(0)!;
      const second = queue.take(0)!;
      expect([first.row.value.id, second.row.value.id]).to.deep.equal(["a-1", "b-1"]);
      expect(queue.take(0)!.row.value.id).to.equal("a-2", "one each in hand: the oldest");
      queue.done(second);
      expect(queue.take(0)!.row.value.id).to.equal("b-2", "B has none in hand now, A two");
    });

    it("takes a listing of 200,000 rows (a large backlog) and more rows added to it", () => {
      const rows = Array.from({ length: 200_000 }, (_, i) => row(`n-${i}`, `T${i % 7}`, i % 60));
      const queue = new PassQueue(rows, (r) => r.value.tenantId);
      expect(queue.add([row("late", "T1", 0)])).to.equal(1);
      expect(queue.take(0)).to.not.equal(undefined);
    });

    it("takes up a tenant's retry that is due before its listing, and a row of another tenant in time before both", () => {
      const queue = new PassQueue([row("a-1", "A", 1), row("a-2", "A", 2), row("b-1", "B", 3)], (r) => r.value.tenantId);
      const a1 = queue.take(0)!;
      queue.defer(a1.row, 5, true);
      queue.done(a1);
      expect(queue.take(4)!.row.value.id).to.equal("a-2", "the retry is not due yet");
      const b1 = queue.take(5)!;
      expect(b1.row.value.id).to.equal("b-1", "A has a-2 in hand, B none");
      queue.done(b1);
      const retry = queue.take(5)!;
      expect([retry.row.value.id, retry.underOurLease]).to.deep.equal(["a-1", true]);
      expect(queue.take(5)).to.equal(undefined);
    });
  });

  describe("Claims: claiming ahead", () => {
    it("never claims ahead a row whose shard this instance does not hold (given back since the listing)", async () => {
      const row = (id: string, partnerId: string): OutboxRow => ({
        value: notification({ id, lease: undefined, recipient: { kind: "partner", partnerId } }),
        etag: "e0",
      });
      const rows = [row("n-0", "ours"), row("n-1", "given-back"), row("n-2", "ours")];
      const together: string[][] = [];
      const store = {
        mayDeliver: (n: Notification) => n.recipient.kind === "partner" && n.recipient.partnerId === "ours",
        claimTogether: (claimed: readonly OutboxRow[]) => {
          together.push(claimed.map((r) => r.value.id));
          return Promise.resolve([...claimed]);
        },
      } as unknown as OutboxStore;
      const claims = new Claims(store, { owner: "me", leaseMs: 60_000, claimBatch: 10, now: () => new Date() });
      const queue = new PassQueue(rows);
      const audience = new PassAudience(new ListedRecipients([record("u1")]), store, 0);
      const first = queue.take(0)!;
      expect((await claims.secure(first, { queue, audience }))?.value.id).to.equal("n-0");
      expect(together).to.deep.equal([["n-0", "n-2"]], "n-1 is left for the instance that holds its shard now");
    });
  });

  describe("whom a parked notification waits for", () => {
    it("a partner's notification waits for that partner's contacts, a tenant's for its admins, a card refresh for nobody", () => {
      expect(waitingForOf(notification())).to.equal("partner|partner-1");
      expect(waitingForOf(notification({ recipient: { kind: "tenantAdmins", tenantId: TENANT } }))).to.equal(`admins|${TENANT}`);
      expect(waitingForOf(notification({ type: "cardRefresh", recipient: { kind: "tenantAdmins", tenantId: TENANT } }))).to.equal(
        undefined,
      );
    });

    it("someone who became reachable unparks their own group only", () => {
      expect(waitingForWhom({ tenantId: TENANT, reachableAs: "customerAdmin", deliveryTenant: TENANT })).to.equal(`admins|${TENANT}`);
      const contact = { tenantId: PARTNER_TENANT, reachableAs: "partnerContact", deliveryTenant: PARTNER_TENANT } as const;
      expect(waitingForWhom({ ...contact, partnerId: "partner-1" })).to.equal("partner|partner-1");
      expect(waitingForWhom(contact)).to.equal(undefined);
    });
  });
});
