import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { cardOf, ChannelEmulator, type Recorded } from "../helpers/channelEmulator.js";
import { buttonData, emulatorDriver, partitionRows, rowsOfKind, teamsDriver, type Driver } from "../helpers/journey.js";
import { ManualClock } from "../helpers/manualClock.js";

/*
 * Expiry warnings end to end, on the Teams path and the Emulator path: the real app with a manual clock, the
 * scheduler's passes run by the test (SCHEDULE_INTERVAL_SECONDS=0, then `app.jobs.runNow()`), cards delivered by the
 * outbox to the admin's and the partner contact's conversations. Two passes a day, so a repeat would show.
 *
 *   Contoso (the contact is reachable): ends Mar 31: 30 days on Mar 1, 7 days late on Mar 26 (the bot was down from
 *     Mar 1), 1 day on Mar 30, on the day Mar 31.
 *   Coral: ends Mar 25: its 30-day warning late on Mar 1 ("ends in 24 days"); the day itself late on Mar 26
 *     ("ended yesterday"), the 7- and 1-day warnings superseded by it.
 *   Northwind: would end Apr 15, renewed on Mar 10 to Oct 15: nothing for Apr 15.
 */
const CONTOSO_ENDS = "2027-03-31T14:00:00.000Z";
const CORAL_ENDS = "2027-03-25T08:00:00.000Z";
const NORTHWIND_OLD_END = "2027-04-15T12:00:00.000Z";
const NORTHWIND_RENEWED = "2027-10-15T12:00:00.000Z";

const relationship = (partnerId: string, partnerName: string, endsAt: string): Relationship => ({
  tenantId: DEMO.customerTenantId,
  partnerId,
  partnerName,
  types: ["resellerAndDelegatedAdministrator"],
  roles: [
    { roleId: ROLE.helpdeskAdministrator, expiresAt: endsAt },
    { roleId: ROLE.licenseAdministrator, expiresAt: endsAt },
  ],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: "2026-04-01T00:00:00.000Z",
  endsAt,
});

async function until<T>(condition: () => Promise<T | false> | T | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The notification cards delivered into one conversation, as text. */
const deliveredTo = (channel: ChannelEmulator, conversationId: string): string[] =>
  channel.recorded
    .filter(
      (r: Recorded) =>
        r.conversationId === conversationId && r.kind !== "update" && r.activity?.channelData?.partnerDesk && r.status === 200,
    )
    .map((r) => JSON.stringify(cardOf(r.activity)));

interface Path {
  channelId: "msteams" | "emulator";
  adminConversation: string;
  partnerConversation: string;
  /** The admin and the partner's contact talk to the bot once: from then on they can be reached. */
  meet(channel: ChannelEmulator): Promise<Driver>;
}

/**
 * An admin's expiry warning (the only admin card with "Let it end"). Other cards may name a partner for other
 * reasons: the quarterly access review lists every partner with roles, Northwind included.
 */
const isExpiryWarning = (card: string): boolean => card.includes('"Let it end"');

const TEAMS: Path = {
  channelId: "msteams",
  adminConversation: "a:journey",
  partnerConversation: "a:contoso-contact",
  async meet(channel) {
    const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
    const driver = teamsDriver(channel, DEMO.customerTenantId, admin);
    await driver.say("help");
    const { tenantId, userId } = DEMO.partnerContact;
    await channel.post({
      type: "installationUpdate",
      action: "add",
      from: { id: "29:contoso-contact", name: "Pat", aadObjectId: userId },
      conversation: { id: "a:contoso-contact", conversationType: "personal", tenantId },
      channelData: { tenant: { id: tenantId } },
    });
    return driver;
  },
};

const EMULATOR: Path = {
  channelId: "emulator",
  adminConversation: "emulator-admin-chat",
  partnerConversation: "emulator-partner-chat",
  async meet(channel) {
    await channel.post({
      type: "message",
      text: "help",
      from: { id: "emulator-admin", name: "Demo Admin" },
      conversation: { id: "emulator-admin-chat" },
    });
    await channel.post({
      type: "conversationUpdate",
      membersAdded: [{ id: "bot-id" }],
      from: { id: "demo-partner", name: "Pat" },
      conversation: { id: "emulator-partner-chat" },
    });
    return emulatorDriver(channel, { id: "emulator-admin", name: "Demo Admin" });
  },
};

for (const path of [TEAMS, EMULATOR]) {
  describe(`end to end: expiry warnings on the ${path.channelId === "msteams" ? "Teams" : "Emulator"} path`, function () {
    this.timeout(120_000);
    const clock = new ManualClock("2027-02-20T09:00:00.000Z");
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;
    const admin = () => deliveredTo(channel, path.adminConversation);
    const partner = () => deliveredTo(channel, path.partnerConversation);

    /** The day's passes (two: a repeat would show), then every card the outbox queued is delivered. */
    async function day(iso: string): Promise<void> {
      clock.set(iso);
      await app.jobs.runNow();
      await app.jobs.runNow();
      await until(async () => {
        const rows = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), DEMO.customerTenantId), "outbox");
        // Coral's contacts never talked to the bot: its cards wait (pending) until one does.
        const reachable = rows.filter((r) => !String(r["recipient"]).includes("coral-managed-services-group"));
        return reachable.every((r) => r["status"] !== "pending");
      }, "the outbox to deliver the day's warnings");
    }

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50", SCHEDULE_INTERVAL_SECONDS: "0" }, { clock });
      channel = await new ChannelEmulator(app.url, { channelId: path.channelId }).start();
      driver = await path.meet(channel);
      await until(
        async () => (await app.storage.conversations.get(DEMO.partnerContact.tenantId, DEMO.partnerContact.userId)) !== undefined,
        "the partner contact's conversation",
      );
      const commit = (r: Relationship) => app.storage.decisions.commit({ tenantId: r.tenantId, writes: [write.relationship(r)] });
      await commit(relationship(DEMO.invitingPartnerId, "Contoso Cloud Partners", CONTOSO_ENDS));
      await commit(relationship("coral-managed-services-group", "Coral Managed Services Group", CORAL_ENDS));
      const northwind = await app.storage.relationships.get(DEMO.customerTenantId, DEMO.activePartnerId);
      await app.storage.decisions.commit(
        {
          tenantId: DEMO.customerTenantId,
          writes: [
            write.relationship({ ...northwind!.value, endsAt: NORTHWIND_OLD_END, roles: relationship("x", "x", NORTHWIND_OLD_END).roles }),
          ],
        },
        [northwind],
      );
      await day("2027-02-20T09:00:00.000Z");
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("sends the 30-day warning on its day to the admins and the partner's contact, and a late one worded for today", async () => {
      await day("2027-03-01T07:00:00.000Z");
      const cards = admin();
      expect(cards.filter((c) => c.includes("Contoso Cloud Partners's relationship ends in 30 days"))).to.have.length(1);
      expect(cards.filter((c) => c.includes("Coral Managed Services Group's relationship ends in 24 days"))).to.have.length(1);
      expect(cards.find((c) => c.includes("ends in 24 days"))).to.include("Sent late");
      expect(cards.find((c) => c.includes("ends in 30 days"))).to.not.include("Sent late");
      expect(partner().filter((c) => c.includes("Your relationship with Fabrikam Demo ends in 30 days"))).to.have.length(1);
    });

    it("sends nothing for the old end of a relationship renewed meanwhile (its 30-day day passes quietly)", async () => {
      clock.set("2027-03-10T09:00:00.000Z");
      const read = await app.storage.relationships.get(DEMO.customerTenantId, DEMO.activePartnerId);
      const renewed = { ...read!.value, endsAt: NORTHWIND_RENEWED, roles: relationship("x", "x", NORTHWIND_RENEWED).roles };
      const committed = await app.storage.decisions.commit({ tenantId: DEMO.customerTenantId, writes: [write.relationship(renewed)] }, [
        read,
      ]);
      expect(committed.ok).to.equal(true);
      await day("2027-03-16T07:00:00.000Z");
      expect(admin().filter((c) => isExpiryWarning(c) && c.includes("Northwind"))).to.deep.equal([]);
    });

    it("after the bot was down, sends one late card per relationship, worded for the day it is sent", async () => {
      const before = admin().length;
      await day("2027-03-26T09:00:00.000Z");
      const fresh = admin().slice(before);
      expect(fresh.filter((c) => c.includes("Contoso Cloud Partners's relationship ends in 5 days"))).to.have.length(1);
      expect(fresh.find((c) => c.includes("ends in 5 days"))).to.include("Sent late");
      expect(fresh.filter((c) => c.includes("Coral Managed Services Group's relationship ended yesterday"))).to.have.length(1);
      expect(fresh, "the 7- and 1-day warnings of Coral are superseded by the late one").to.have.length(2);
      expect(partner().filter((c) => c.includes("ends in 5 days"))).to.have.length(1);
    });

    it("sends the 1-day and on-the-day warnings once each: four cards in all to each side, one marker per warning", async () => {
      await day("2027-03-30T07:00:00.000Z");
      await day("2027-03-31T07:00:00.000Z");
      await day("2027-04-01T07:00:00.000Z");
      const contoso = admin().filter((c) => c.includes("Contoso Cloud Partners's relationship"));
      expect(contoso.map((c) => /relationship (ends in \d+ days|ends tomorrow|ends today|ended [a-z ]+?)"/.exec(c)?.[1])).to.deep.equal([
        "ends in 30 days",
        "ends in 5 days",
        "ends tomorrow",
        "ends today",
      ]);
      expect(partner().filter((c) => c.includes("Your relationship with Fabrikam Demo"))).to.have.length(4);
      const markers = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), DEMO.customerTenantId), "warn");
      expect(markers.map((m) => `${m["partnerId"]}:${m["daysBefore"]}`).sort()).to.deep.equal([
        "contoso-cloud-partners:0",
        "contoso-cloud-partners:1",
        "contoso-cloud-partners:30",
        "contoso-cloud-partners:7",
        "coral-managed-services-group:0",
        "coral-managed-services-group:30",
      ]);
    });

    it("never warns about the renewed relationship's old end, on any of its days", async () => {
      await day("2027-04-08T07:00:00.000Z");
      await day("2027-04-15T07:00:00.000Z");
      expect(admin().filter(isExpiryWarning), "the filter sees the other partners' warnings").to.have.length.above(3);
      expect(admin().filter((c) => isExpiryWarning(c) && c.includes("Northwind"))).to.deep.equal([]);
    });

    it("'Let it end' is recorded in the history; 'Ask the partner to extend' opens the partner's details", async () => {
      const card = JSON.parse(admin().find((c) => c.includes("ends tomorrow"))!);
      const letEnd = buttonData(card, "Let it end");
      const answer = await driver.press(letEnd.verb, letEnd.data);
      expect(answer.text).to.include("You chose to let the relationship with Contoso Cloud Partners end");
      const audit = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), DEMO.customerTenantId), "audit");
      expect(audit.filter((a) => a["action"] === "expiry.letEnd")).to.have.length(1);
      const ask = buttonData(card, "Ask the partner to extend");
      expect((await driver.press(ask.verb, ask.data)).text).to.include("Contoso Cloud Partners");
      expect(buttonData(card, "Remove roles now").verb).to.equal("relationships.removeRolesConfirm");
    });
  });
}
