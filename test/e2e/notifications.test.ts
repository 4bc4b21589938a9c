import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { maxInAnyWindow } from "../../src/outbox/rateLimiter.js";
import { sharedAzurite } from "../helpers/azurite.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, type Recorded, type ScriptedAnswer } from "../helpers/channelEmulator.js";
import { partitionRows, rowsOfKind, teamsDriver } from "../helpers/journey.js";

const PARTNER_TENANT = (i: number) => `dddddddd-0000-4000-8000-${String(i).padStart(12, "0")}`;
const CONTACT = (i: number) => `eeeeeeee-0000-4000-8000-${String(i).padStart(12, "0")}`;
const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

/** Fast retries for tests; Teams' own rate limits stay as they are. */
const FAST = {
  NOTIFY_POLL_MS: "100",
  NOTIFY_BASE_DELAY_MS: "50",
  NOTIFY_MAX_DELAY_MS: "400",
  NOTIFY_MAX_ATTEMPTS: "4",
  NOTIFY_LEASE_MS: "2000",
};

async function addPartners(app: RunningApp, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const id = `notify-partner-${i}`;
    ids.push(id);
    await app.storage.partners.upsert({
      id,
      name: `Notify Partner ${i}`,
      tenantId: PARTNER_TENANT(i),
      locations: [{ country: "SE", city: "Stockholm" }],
      sizes: ["1-50"],
      services: ["Security and compliance"],
      industries: [],
      types: ["reseller"],
      contacts: [{ tenantId: PARTNER_TENANT(i), userId: CONTACT(i), name: `Contact ${i}` }],
    });
  }
  await app.directory.reload();
  return ids;
}

const contactConversation = (i: number) => `a:partner-chat-${i}`;

/** A partner contact installs the bot in Teams: the bot learns where to reach them. */
async function install(channel: ChannelEmulator, i: number) {
  const result = await channel.post({
    type: "installationUpdate",
    action: "add",
    from: { id: `29:contact-${i}`, name: `Contact ${i}`, aadObjectId: CONTACT(i) },
    conversation: { id: contactConversation(i), conversationType: "personal", tenantId: PARTNER_TENANT(i) },
    channelData: { tenant: { id: PARTNER_TENANT(i) } },
  });
  expect(result.status).to.equal(200);
}

async function contact(channel: ChannelEmulator, partnerIds: string[]) {
  const driver = teamsDriver(channel, DEMO.customerTenantId, admin);
  const sent = await driver.press("findPartner.send", {
    partnerIds: partnerIds.join(","),
    businessNeeds: "Secure 300 laptops",
    contactName: "Ada",
    organization: "Fabrikam Demo",
  });
  expect(sent.text).to.include("Request sent");
}

/** A proactive send reaches the channel as a POST (botbuilder replies to the continuation activity). */
const notificationSends = (channel: ChannelEmulator) =>
  channel.recorded.filter((r) => r.kind !== "update" && r.activity?.channelData?.partnerDesk);
const delivered = (channel: ChannelEmulator) => notificationSends(channel).filter((r) => r.status === 200);
const keyOf = (r: Recorded) => String(r.activity.channelData.partnerDesk.idempotencyKey);

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function outboxRows(app: RunningApp) {
  return rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), DEMO.customerTenantId), "outbox").filter(
    (r) => r["type"] === "contactRequest",
  );
}

describe("end to end: partner notifications through the outbox", function () {
  this.timeout(90_000);

  describe("delivery under Teams throttling and failures", () => {
    let app: RunningApp;
    let channel: ChannelEmulator;
    const attempts = new Map<string, number>();
    // Conversation 0: two 429s with Retry-After 1 s; 1: one 503; 2: always 503 (dead letter); 3: 404 gone until reinstalled.
    let conversation3Gone = true;
    let conversation2Up = false;
    const answer = ({
      kind,
      conversationId,
      activity,
    }: {
      kind: Recorded["kind"];
      conversationId: string;
      activity: any;
    }): ScriptedAnswer | undefined => {
      if (kind === "update" || !activity?.channelData?.partnerDesk) return undefined;
      const n = (attempts.get(conversationId) ?? 0) + 1;
      attempts.set(conversationId, n);
      if (conversationId === contactConversation(0) && n <= 2)
        return { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TooManyRequests", message: "slow down" } } };
      if (conversationId === contactConversation(1) && n === 1)
        return { status: 503, body: { error: { code: "ServiceUnavailable", message: "try later" } } };
      if (conversationId === contactConversation(2) && !conversation2Up)
        return { status: 503, body: { error: { code: "ServiceUnavailable", message: "down" } } };
      if (conversationId === contactConversation(3) && conversation3Gone)
        return { status: 404, body: { error: { code: "ConversationNotFound", message: "Conversation not found." } } };
      return undefined;
    };

    before(async () => {
      app = await startBotUnderTest(FAST);
      channel = await new ChannelEmulator(app.url, { channelId: "msteams", answer }).start();
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("stores where partner contacts can be reached when they install the bot", async () => {
      await addPartners(app, 8);
      for (let i = 0; i < 8; i++) await install(channel, i);
      const record = await app.storage.conversations.get(PARTNER_TENANT(0), CONTACT(0));
      expect(record?.value.reachableAs).to.equal("partnerContact");
      expect(record?.value.partnerId).to.equal("notify-partner-0");
      expect(record?.value.reference.conversation.id).to.equal(contactConversation(0));
    });

    it("delivers every notification exactly once to the right conversation, retrying 429 after Retry-After and 503 with backoff", async () => {
      channel.clear();
      await contact(channel, [
        "notify-partner-0",
        "notify-partner-1",
        "notify-partner-4",
        "notify-partner-5",
        "notify-partner-6",
        "notify-partner-7",
      ]);
      await until(() => new Set(delivered(channel).map((r) => r.conversationId)).size === 6, 20_000, "six deliveries");
      const ok = delivered(channel);
      expect(ok.map((r) => r.conversationId).sort()).to.deep.equal([0, 1, 4, 5, 6, 7].map(contactConversation).sort());
      expect(new Set(ok.map(keyOf)).size).to.equal(ok.length, "no idempotency key delivered twice");
      const throttled = notificationSends(channel).filter((r) => r.conversationId === contactConversation(0));
      expect(throttled.map((r) => r.status)).to.deep.equal([429, 429, 200]);
      expect(throttled[1]!.at - throttled[0]!.at).to.be.at.least(950, "Retry-After: 1 is honoured");
      expect(ok[0]!.activity.attachments[0].content.body.map((b: any) => b.text).join(" ")).to.include(
        "New contact request from Fabrikam Demo",
      );
      await until(async () => (await outboxRows(app)).filter((r) => r["status"] === "sent").length === 6, 5_000, "sent marks");
    });

    it("never sends more than Teams allows: 7 per second per conversation, 30 per second per tenant", async () => {
      const sends = notificationSends(channel);
      const byConversation = new Map<string, number[]>();
      for (const r of sends) byConversation.set(r.conversationId, [...(byConversation.get(r.conversationId) ?? []), r.at]);
      for (const [conversation, times] of byConversation) expect(maxInAnyWindow(times, 1000), conversation).to.be.at.most(7);
      const byTenant = new Map<string, number[]>();
      for (const r of sends) {
        const tenant = String(r.activity.conversation?.tenantId ?? "");
        expect(tenant, "every send names its conversation's tenant").to.not.equal("");
        byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), r.at]);
      }
      for (const [tenant, times] of byTenant) expect(maxInAnyWindow(times, 1000), tenant).to.be.at.most(30);
    });

    it("dead-letters a notification after the last try, with an audit event", async () => {
      channel.clear();
      await contact(channel, ["notify-partner-2"]);
      await until(async () => (await outboxRows(app)).some((r) => r["status"] === "dead"), 20_000, "a dead letter");
      const tries = notificationSends(channel).filter((r) => r.conversationId === contactConversation(2));
      expect(tries).to.have.length(4, "NOTIFY_MAX_ATTEMPTS=4");
      const rows = await partitionRows(app.storage.tables.client("tenant"), DEMO.customerTenantId);
      const audit = rowsOfKind(rows, "audit").filter((r) => r["action"] === "notification.deadLettered");
      expect(audit).to.have.length(1);
    });

    it("shows the outbox on /healthz, and an operator can requeue a dead letter, which is then delivered", async () => {
      const health = (await (await fetch(`${app.url}/healthz`)).json()) as { outbox: { dead: number } };
      expect(health.outbox.dead).to.equal(1);
      const { spawnSync } = await import("node:child_process");
      const table = app.storage.tables.client("tenant");
      const env = {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        TABLES_CONNECTION_STRING: (await sharedAzurite()).connectionString,
        TABLE_PREFIX: table.tableName.replace(/tenant$/, ""),
      };
      const listed = spawnSync(process.execPath, ["--import", "tsx", "scripts/outbox.ts", "dead"], { env, encoding: "utf8" });
      expect(listed.status).to.equal(0);
      expect(listed.stdout).to.include("contactRequest").and.include("gave up after 4 attempts");
      conversation2Up = true;
      const requeued = spawnSync(process.execPath, ["--import", "tsx", "scripts/outbox.ts", "requeue", "--all"], { env, encoding: "utf8" });
      expect(requeued.status, requeued.stderr).to.equal(0);
      expect(requeued.stdout).to.match(/requeued [0-9a-f-]{36}/);
      app.outbox.wake();
      await until(() => delivered(channel).some((r) => r.conversationId === contactConversation(2)), 10_000, "delivery after requeue");
      const rows = await partitionRows(table, DEMO.customerTenantId);
      expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "notification.requeued")).to.have.length(1);
      expect(((await (await fetch(`${app.url}/healthz`)).json()) as { outbox: { dead: number } }).outbox.dead).to.equal(0);
    });

    it("marks a gone conversation stale, keeps the notification pending, and delivers once the user installs again", async () => {
      channel.clear();
      await contact(channel, ["notify-partner-3"]);
      await until(
        async () => (await app.storage.conversations.get(PARTNER_TENANT(3), CONTACT(3)))?.value.stale === true,
        10_000,
        "stale mark",
      );
      const pending = (await outboxRows(app)).filter((r) => r["status"] === "pending");
      expect(pending).to.have.length(1);
      await new Promise((r) => setTimeout(r, 500));
      expect(notificationSends(channel).filter((r) => r.conversationId === contactConversation(3))).to.have.length(
        1,
        "no retries into a gone conversation",
      );

      conversation3Gone = false;
      await install(channel, 3);
      await until(() => delivered(channel).some((r) => r.conversationId === contactConversation(3)), 10_000, "delivery after reinstall");
      await until(async () => (await outboxRows(app)).every((r) => r["status"] !== "pending"), 5_000, "nothing pending");
      expect(delivered(channel).filter((r) => r.conversationId === contactConversation(3))).to.have.length(1);
    });
  });

  describe("a restart in the middle of a batch", () => {
    it("loses nothing and sends nothing twice when the dispatcher stops mid-batch and a new bot process takes over", async () => {
      // A slow channel (150 ms a send) so the batch is still going when the dispatcher is stopped.
      const answer = ({ kind, activity }: { kind: Recorded["kind"]; activity: any }): ScriptedAnswer | undefined =>
        kind !== "update" && activity?.channelData?.partnerDesk ? { status: 200, delayMs: 150 } : undefined;
      const first = await startBotUnderTest(FAST);
      const channel = await new ChannelEmulator(first.url, { channelId: "msteams", answer }).start();
      try {
        const ids = await addPartners(first, 20, 100);
        for (let i = 100; i < 120; i++) await install(channel, i);
        // 20 partners, one conversation each: the limiter spaces nothing here, so stop as soon as some went out.
        await contact(channel, ids);
        await until(() => delivered(channel).length >= 3, 10_000, "the first sends");
        await first.outbox.stop();
        const sentBefore = delivered(channel).length;
        expect(sentBefore).to.be.below(20, "the stop really came in the middle of the batch");

        // A new bot process on the same Azurite and tables picks up the rest.
        const prefix = first.storage.tables.client("tenant").tableName.replace(/tenant$/, "");
        const { spawn } = await import("node:child_process");
        const second = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
          env: {
            PATH: process.env["PATH"] ?? "",
            HOME: process.env["HOME"] ?? "",
            PORT: "0",
            TABLES_CONNECTION_STRING: (await sharedAzurite()).connectionString,
            TABLE_PREFIX: prefix,
            LOG_LEVEL: "warn",
            ...FAST,
          },
          stdio: "ignore",
        });
        try {
          await until(() => new Set(delivered(channel).map(keyOf)).size === 20, 20_000, "all 20 delivered");
          await new Promise((r) => setTimeout(r, 500));
          const keys = delivered(channel).map(keyOf);
          expect(keys).to.have.length(20, "nothing sent twice");
          expect(new Set(keys).size).to.equal(20);
        } finally {
          second.kill("SIGTERM");
          await new Promise((r) => (second.exitCode !== null ? r(undefined) : second.once("exit", r)));
        }
      } finally {
        await channel.stop();
        await first.stop();
      }
    });
  });
});
