import { expect } from "chai";
import type { TableClient } from "@azure/data-tables";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import type { Invitation } from "../../src/domain/invitation.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { pino } from "pino";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import {
  ACCEPTING_CONTACT,
  buttonData,
  buttonTitles,
  emulatorDriver,
  json,
  partitionRows,
  rowsOfKind,
  teamsDriver,
  type Answer,
  type Driver,
  type TestUser,
} from "../helpers/journey.js";

const TENANT = DEMO.customerTenantId;
const GA_INVITATION = "four-eyes-ga";
const GA_TO_DECLINE = "four-eyes-ga-declined";
const GA_TO_EXPIRE = "four-eyes-ga-expiring";
const NO_GA_INVITATION = "four-eyes-no-ga";
const PARTNER_ID = "alpine-cloud-ab";
const NAMES: Record<string, string> = {
  [PARTNER_ID]: "Alpine Cloud AB",
  "fjord-support-as": "Fjord Support AS",
  "nordic-helpdesk": "Nordic Helpdesk",
};

function invitation(id: string, partnerId: string, roles: Invitation["roles"], expiresInDays = 90): Invitation {
  const now = new Date().toISOString();
  return {
    id,
    tenantId: TENANT,
    partnerId,
    partnerName: NAMES[partnerId] ?? partnerId,
    relationshipTypes: ["delegatedAdministrator"],
    roles,
    durationDays: 180,
    message: "",
    status: "pending",
    createdAt: now,
    expiresAt: addDays(now, expiresInDays),
    announced: true,
  };
}

const acceptInputs = (invitationId: string) => ({
  invitationId,
  agreementVersion: DEMO.agreementVersion,
  agreed: "true",
  ...ACCEPTING_CONTACT,
});

/** Time the test moves (days, without sleeping): the bot reads "now" from this clock on every turn. */
const clock = { offsetDays: 0, now: () => new Date(Date.now() + clock.offsetDays * 86_400_000) };

async function started(channelId: "msteams" | "emulator") {
  // As startBotUnderTest, with the clock. The outbox is asserted as written (pending); delivery is tested elsewhere.
  const { prefix, connectionString } = await freshTables();
  const config = loadConfig({
    PORT: "0",
    TABLES_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: prefix,
    LOG_LEVEL: "silent",
    NOTIFY_ENABLED: "false",
  });
  clock.offsetDays = 0;
  const app = await startApp(config, { logger: pino({ level: "silent" }), seedDemo: true, clock });
  const channel = await new ChannelEmulator(app.url, { channelId }).start();
  await app.storage.seed.create(write.invitation(invitation(GA_INVITATION, PARTNER_ID, [ROLE.globalAdministrator])));
  await app.storage.seed.create(write.invitation(invitation(GA_TO_DECLINE, "fjord-support-as", [ROLE.globalAdministrator])));
  return { app, channel, table: app.storage.tables.client("tenant") };
}

const press = (driver: Driver, answer: Answer, title: string, inputs: Record<string, unknown> = {}, as?: TestUser) => {
  const { verb, data } = buttonData(answer.card, title);
  return driver.press(verb, { ...data, ...inputs }, as);
};

describe("end to end: four-eyes for Global administrator, two admins in Teams", function () {
  this.timeout(60_000);
  const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
  const bea = { id: "29:billing", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000bb" };
  const gus = { id: "29:global", name: "Gus Global", aadObjectId: "c0ffee00-0000-4000-8000-0000000000dd" };
  const member = { id: "29:member", name: "Max Member", aadObjectId: "c0ffee00-0000-4000-8000-0000000000cc" };
  let app: RunningApp;
  let channel: ChannelEmulator;
  let table: TableClient;
  let driver: Driver;
  const rows = () => partitionRows(table, TENANT);
  const etags = async () => (await rows()).map((r) => `${r["RowKey"] ?? r["rowKey"]}=${r["etag"]}`).sort();

  before(async () => {
    ({ app, channel, table } = await started("msteams"));
    await app.storage.seed.create(write.invitation(invitation(NO_GA_INVITATION, "nordic-helpdesk", [ROLE.helpdeskAdministrator])));
    await app.storage.seed.create(write.invitation(invitation(GA_TO_EXPIRE, "fjord-support-as", [ROLE.globalAdministrator], 10)));
    const assigned = new Date().toISOString();
    for (const [user, roleId] of [
      [bea, ROLE.billingAdministrator],
      [gus, ROLE.globalAdministrator],
      [member, ROLE.helpdeskAdministrator],
    ] as const)
      await app.storage.roleAssignments.upsert({
        tenantId: TENANT,
        userId: user.aadObjectId,
        roleId,
        userName: user.name,
        assignedAt: assigned,
      });
    driver = teamsDriver(channel, TENANT, admin);
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  describe("the policy, set in chat", () => {
    it("is off by default, and a member cannot see or change it (nothing is stored)", async () => {
      const before = await etags();
      const refused = await driver.say("four-eyes on", member);
      expect(refused.text).to.include("Only a Global or Billing administrator can change your organization's settings");
      expect(await etags()).to.deep.equal(before);
      const settings = await driver.press("settings.show");
      expect(settings.text).to.include("Second approval for Global administrator").and.include("Off (default)");
      expect(buttonTitles(settings.card)).to.include("Turn on");
    });

    it('is turned on by typing "require two approvals": a confirmation first, then the policy row and its audit event', async () => {
      const confirm = await driver.say("require two approvals");
      expect(confirm.text).to.include("Require a second approval?").and.include("takes two different administrators");
      expect(rowsOfKind(await rows(), "policy")).to.have.length(0, "nothing is stored before Yes");
      const done = await press(driver, confirm, "Yes");
      expect(done.text).to.include("A second administrator's approval is now required").and.include("Changed by Demo Admin");
      const all = await rows();
      const [policy] = rowsOfKind(all, "policy");
      expect(policy?.["fourEyesForGlobalAdmin"]).to.equal(true);
      const audit = rowsOfKind(all, "audit").filter((r) => r["action"] === "tenantPolicy.fourEyesOn");
      expect(audit).to.have.length(1);
      expect(json(audit[0], "actor").name).to.equal("Demo Admin");
    });

    it("answers a second admin asking for what is already so (also from the settings menu entry) and stores nothing", async () => {
      const before = await etags();
      const again = await driver.say("four eyes on", bea);
      expect(again.text).to.include("A second approval is already required. Nothing was changed.");
      const stale = await driver.press("settings.fourEyes", { on: "true" }, bea);
      expect(stale.text).to.include("already required. Nothing was changed.");
      expect(await etags()).to.deep.equal(before);
      const menu = await driver.say("help", bea);
      expect(buttonTitles(menu.card)).to.include("Settings");
    });
  });

  describe("an invitation asking for Global administrator", () => {
    it("tells the first admin, before they accept, that a second admin must approve", async () => {
      const review = await driver.press("invitations.review", { invitationId: GA_INVITATION });
      expect(review.text).to.include("Your organization requires two administrators for Global administrator");
    });

    it("records the first acceptance as pending approval: nothing granted, no relationship, nothing to the partner", async () => {
      const review = await driver.press("invitations.review", { invitationId: GA_INVITATION });
      const answer = await press(driver, review, "Accept & authorize", acceptInputs(GA_INVITATION));
      expect(answer.text).to.include("You accepted Alpine Cloud AB's invitation").and.include("nothing is granted until then");
      const all = await rows();
      const row = rowsOfKind(all, "inv").find((r) => r["id"] === GA_INVITATION);
      expect(row?.["status"]).to.equal("pending");
      expect(json(row, "firstApproval").by).to.deep.equal({ userId: DEMO.admin.userId, name: "Demo Admin" });
      expect(json(row, "firstApproval").contact).to.deep.equal(ACCEPTING_CONTACT);
      expect(rowsOfKind(all, "rel").filter((r) => r["partnerId"] === PARTNER_ID)).to.have.length(0);
      expect(rowsOfKind(all, "acc").filter((r) => r["partnerId"] === PARTNER_ID)).to.have.length(0);
      expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "invitation.approveFirst")).to.have.length(1);
      expect(rowsOfKind(all, "outbox").filter((r) => r["type"] === "invitationAccepted")).to.have.length(0);
      expect(rowsOfKind(all, "outbox").filter((r) => r["type"] === "cardRefresh")).to.have.length(1, "every admin's card is refreshed");
    });

    it("shows each admin the card in their own words: the first waits, the others get Approve and Decline", async () => {
      const mine = await driver.press("invitations.show", { invitationId: GA_INVITATION });
      expect(mine.text).to.include("You accepted this invitation on").and.include("A different administrator must approve it");
      expect(buttonTitles(mine.card)).to.not.include.members(["Approve"]);
      expect(buttonTitles(mine.card)).to.not.include("Accept agreement & authorize partner");
      expect(buttonTitles(mine.card)).to.include("Decline");
      const theirs = await driver.press("invitations.show", { invitationId: GA_INVITATION }, bea);
      expect(theirs.text).to.include("Accepted by Demo Admin on").and.include("A second administrator must approve it");
      expect(buttonTitles(theirs.card).slice(0, 2)).to.deep.equal(["Approve", "Decline"]);
      // The card refreshes for every admin who talks to the bot, so each sees it as it now is.
      expect(theirs.card.refresh.userIds).to.include.members([admin.id, bea.id]);
    });

    it("refuses the same admin a second time, on Approve and on Accept & authorize alike, and stores nothing", async () => {
      const before = await etags();
      const approve = await driver.press("invitations.approve", { invitationId: GA_INVITATION });
      expect(approve.text).to.include("You already accepted this invitation on").and.include("A different administrator must approve it");
      expect(approve.text).to.include("Nothing was changed");
      const acceptAgain = await driver.press("invitations.accept", acceptInputs(GA_INVITATION));
      expect(acceptAgain.text).to.include("A different administrator must approve it. Nothing was changed.");
      expect(await etags()).to.deep.equal(before, "not a single row changed");
    });

    it("completes on a second admin's Approve; two admins pressing at once: one wins, the other sees the current state", async () => {
      const card = await driver.press("invitations.show", { invitationId: GA_INVITATION }, bea);
      const { verb, data } = buttonData(card.card, "Approve");
      const [byBea, byGus] = await Promise.all([driver.press(verb, data, bea), driver.press(verb, data, gus)]);
      const winners = [byBea, byGus].filter((a) =>
        a.text.includes("You approved Alpine Cloud AB's invitation, which Demo Admin accepted with the Microsoft Customer Agreement"),
      );
      expect(winners).to.have.length(1);
      const loser = winners[0] === byBea ? byGus : byBea;
      expect(loser.text).to.include("This invitation was already accepted").and.include("Nothing was changed");
      const all = await rows();
      const row = rowsOfKind(all, "inv").find((r) => r["id"] === GA_INVITATION);
      expect(row?.["status"]).to.equal("accepted");
      const relationship = rowsOfKind(all, "rel").find((r) => r["partnerId"] === PARTNER_ID);
      expect(relationship?.["status"]).to.equal("active");
      expect((json(relationship, "roles") as Array<{ roleId: string }>).map((r) => r.roleId)).to.deep.equal([ROLE.globalAdministrator]);
      const acceptances = rowsOfKind(all, "acc").filter((r) => r["partnerId"] === PARTNER_ID);
      expect(acceptances).to.have.length(1);
      // Partner Center's record names the admin who ticked the agreement, with the details they gave.
      expect(json(acceptances[0], "primaryContact")).to.deep.equal(ACCEPTING_CONTACT);
      expect(json(acceptances[0], "acceptedBy").userId).to.equal(DEMO.admin.userId);
      const audit = rowsOfKind(all, "audit").filter((r) => r["action"] === "invitation.accept");
      expect(audit).to.have.length(1);
      expect(json(audit[0], "actor").userId).to.equal(winners[0] === byBea ? bea.aadObjectId : gus.aadObjectId);
      const toPartner = rowsOfKind(all, "outbox").filter((r) => r["type"] === "invitationAccepted");
      expect(toPartner.map((r) => json(r, "recipient"))).to.deep.equal([{ kind: "partner", partnerId: PARTNER_ID }]);
    });

    it("shows every admin who accepted and who approved, and when", async () => {
      for (const who of [admin, bea]) {
        const card = await driver.press("invitations.show", { invitationId: GA_INVITATION }, who);
        expect(card.text).to.match(/Accepted by Demo Admin on .+ UTC and approved by (Bea Billing|Gus Global) on .+ UTC\./);
        expect(buttonTitles(card.card)).to.not.include("Approve");
      }
    });

    it("may be declined while it waits, by the second admin: declined, nothing granted", async () => {
      const review = await driver.press("invitations.review", { invitationId: GA_TO_DECLINE }, gus);
      await press(driver, review, "Accept & authorize", acceptInputs(GA_TO_DECLINE), gus);
      const waiting = await driver.press("invitations.show", { invitationId: GA_TO_DECLINE }, bea);
      const form = await press(driver, waiting, "Decline", {}, bea);
      const declined = await press(driver, form, "Decline", { reason: "One admin is enough for us to say no" }, bea);
      expect(declined.text).to.include("declined");
      const all = await rows();
      expect(rowsOfKind(all, "inv").find((r) => r["id"] === GA_TO_DECLINE)?.["status"]).to.equal("declined");
      expect(rowsOfKind(all, "rel").filter((r) => r["partnerId"] === "fjord-support-as")).to.have.length(0);
      const after = await driver.press("invitations.approve", { invitationId: GA_TO_DECLINE }, admin);
      expect(after.text).to.include("This invitation was already declined").and.include("Nothing was changed");
    });
  });

  // Mocha runs a suite's own tests before its nested suites: these come last, so they are a suite of their own.
  describe("afterwards", () => {
    it("leaves an invitation without Global administrator to one admin, as before", async () => {
      const review = await driver.press("invitations.review", { invitationId: NO_GA_INVITATION });
      expect(review.text).to.not.include("requires two administrators");
      const accepted = await press(driver, review, "Accept & authorize", acceptInputs(NO_GA_INVITATION));
      expect(accepted.text).to.include("You accepted Nordic Helpdesk's invitation");
      const all = await rows();
      expect(rowsOfKind(all, "inv").find((r) => r["id"] === NO_GA_INVITATION)?.["status"]).to.equal("accepted");
      expect(rowsOfKind(all, "rel").filter((r) => r["partnerId"] === "nordic-helpdesk")).to.have.length(1);
    });

    it("expires with the invitation: past its date no admin can approve it, and nothing is stored", async () => {
      const review = await driver.press("invitations.review", { invitationId: GA_TO_EXPIRE });
      await press(driver, review, "Accept & authorize", acceptInputs(GA_TO_EXPIRE));
      const waiting = await driver.press("invitations.show", { invitationId: GA_TO_EXPIRE }, bea);
      expect(buttonTitles(waiting.card)).to.include("Approve");
      clock.offsetDays = 11;
      const expired = await driver.press("invitations.show", { invitationId: GA_TO_EXPIRE }, bea);
      expect(expired.text).to.include("This invitation expired on");
      expect(buttonTitles(expired.card)).to.not.include("Approve");
      const before = await etags();
      const late = await driver.press("invitations.approve", { invitationId: GA_TO_EXPIRE }, bea);
      expect(late.text).to.include("This invitation expired on");
      expect(await etags()).to.deep.equal(before);
      const row = rowsOfKind(await rows(), "inv").find((r) => r["id"] === GA_TO_EXPIRE);
      expect(row?.["status"]).to.equal("pending", "never accepted");
      clock.offsetDays = 0;
    });

    it('is turned off by typing "four-eyes off", confirmed and audited', async () => {
      const confirm = await driver.say("four-eyes off", bea);
      expect(confirm.text).to.include("Stop requiring a second approval?");
      const done = await press(driver, confirm, "Yes", {}, bea);
      expect(done.text).to.include("no longer required").and.include("Changed by Bea Billing");
      const all = await rows();
      expect(rowsOfKind(all, "policy")[0]?.["fourEyesForGlobalAdmin"]).to.equal(false);
      expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "tenantPolicy.fourEyesOff")).to.have.length(1);
    });
  });
});

describe("end to end: four-eyes on the Emulator path", function () {
  this.timeout(60_000);
  const admin = { id: "emulator-user-1", name: "Demo Admin" };
  let app: RunningApp;
  let channel: ChannelEmulator;
  let table: TableClient;
  let driver: Driver;
  const rows = () => partitionRows(table, TENANT);

  before(async () => {
    ({ app, channel, table } = await started("emulator"));
    driver = emulatorDriver(channel, admin);
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("turns the policy on from the settings card, confirmed, audited", async () => {
    const menu = await driver.say("help");
    const settings = await press(driver, menu, "Settings");
    const confirm = await press(driver, settings, "Turn on");
    expect(confirm.text).to.include("Require a second approval?");
    const done = await press(driver, confirm, "Yes");
    expect(done.text).to.include("now required");
    const all = await rows();
    expect(rowsOfKind(all, "policy")[0]?.["fourEyesForGlobalAdmin"]).to.equal(true);
    expect(rowsOfKind(all, "audit").filter((r) => r["action"] === "tenantPolicy.fourEyesOn")).to.have.length(1);
  });

  it("records the first acceptance as pending, and refuses the same admin's approval", async () => {
    const review = await driver.press("invitations.review", { invitationId: GA_INVITATION });
    const first = await press(driver, review, "Accept & authorize", acceptInputs(GA_INVITATION));
    expect(first.text).to.include("a second administrator must approve it");
    expect(first.text).to.include("You accepted this invitation on");
    expect(buttonTitles(first.card)).to.not.include("Approve");
    const before = (await rows()).map((r) => r["etag"]).sort();
    const again = await driver.press("invitations.approve", { invitationId: GA_INVITATION });
    expect(again.text).to.include("A different administrator must approve it. Nothing was changed.");
    const all = await rows();
    expect(all.map((r) => r["etag"]).sort()).to.deep.equal(before);
    expect(rowsOfKind(all, "inv").find((r) => r["id"] === GA_INVITATION)?.["status"]).to.equal("pending");
    expect(rowsOfKind(all, "rel").filter((r) => r["partnerId"] === PARTNER_ID)).to.have.length(0);
  });

  it("is off again after 'reset demo': the Emulator's one admin could never give a second approval", async () => {
    await driver.say("reset demo");
    expect(rowsOfKind(await rows(), "policy")).to.have.length(0);
    const settings = await driver.say("settings");
    expect(settings.text).to.include("Off (default)");
  });
});
