import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";
import { buttonData, buttonTitles, emulatorDriver, teamsDriver, type Driver } from "../helpers/journey.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

const CUSTOMER = DEMO.customerTenantId;
const PARTNER_TENANT = DEMO.partnerContact.tenantId;
const REQUEST_ID = "CR-HOME0000001";
const NEEDS = "We're moving 300 mailboxes to Microsoft 365 and need help with licensing.";
/** The demo partner contact as Teams names them (Entra id in the partner's tenant) and as the Emulator does. */
const TEAMS_CONTACT = { id: "29:demo-partner", name: DEMO.partnerContact.name, aadObjectId: DEMO.partnerContact.userId };
const EMULATOR_CONTACT = { id: "demo-partner", name: DEMO.partnerContact.name };
const PARTNER_MENU_TITLES = ["Contact requests", "Invitations sent", "Customers", "Microsoft connection"];

/**
 * Finding 7: a partner's contact (Demo Partner Contact of Contoso Cloud Partners) gets the partner's own welcome,
 * menu and views, chosen by who they are; the customer's request card survives Send invitation.
 */
function partnerHomeOn(label: string, channelId: "msteams" | "emulator") {
  describe(`end to end: a partner contact's home on the ${label} path`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      driver = channelId === "msteams" ? teamsDriver(channel, PARTNER_TENANT, TEAMS_CONTACT) : emulatorDriver(channel, EMULATOR_CONTACT);
      const now = new Date();
      await app.storage.seed.createAll([
        write.contactRequest({
          id: REQUEST_ID,
          tenantId: CUSTOMER,
          partnerIds: [DEMO.invitingPartnerId],
          businessNeeds: NEEDS,
          requester: { userId: DEMO.admin.userId, name: "Ada Admin", organization: "Fabrikam Demo Ltd", email: "ada@fabrikam.example" },
          createdAt: new Date(Date.UTC(2026, 10, 29, 14, 2)).toISOString(),
        }),
        write.relationship({
          tenantId: CUSTOMER,
          partnerId: DEMO.invitingPartnerId,
          partnerName: "Contoso Cloud Partners",
          types: ["resellerAndDelegatedAdministrator"],
          roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(now.toISOString(), 100) }],
          agreement: { status: "notAccepted" },
          status: "active",
          since: addDays(now.toISOString(), -10),
          endsAt: addDays(now.toISOString(), 100),
        }),
      ]);
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("welcomes the contact with the partner's welcome and menu, not the customer's", async () => {
      channel.clear();
      const chat = channelId === "msteams" ? personalChat(TEAMS_CONTACT, PARTNER_TENANT) : { from: EMULATOR_CONTACT };
      if (channelId === "msteams") await channel.post({ type: "installationUpdate", action: "add", ...chat });
      else await channel.post({ type: "conversationUpdate", membersAdded: [{ id: "bot-id" }, { id: EMULATOR_CONTACT.id }], ...chat });
      const [welcome] = await channel.waitFor((r) => r.kind === "reply" || r.kind === "send");
      const text = JSON.stringify(cardOf(welcome!.activity));
      expect(text).to.include("You're a contact of Contoso Cloud Partners");
      expect(buttonTitles(cardOf(welcome!.activity)))
        .to.include.members(PARTNER_MENU_TITLES)
        .and.not.include("Find a partner");
    });

    for (const typed of ["menu", "help", "something else"]) {
      it(`answers "${typed}" with the partner's menu`, async () => {
        const answer = await driver.say(typed);
        expect(buttonTitles(answer.card)).to.include.members(PARTNER_MENU_TITLES).and.not.include("Find a partner");
      });
    }

    it('answers "invitations" with the invitations the partner sent, not a Global-administrator refusal', async () => {
      const answer = await driver.say("invitations");
      expect(answer.text).to.include("Invitations sent").and.include(DEMO.customerName).and.include("pending");
      expect(answer.text).to.not.include("Global administrator or Billing administrator");
    });

    it('answers "customers" and "partners" with the partner\'s customers, their status, roles and end date', async () => {
      for (const typed of ["customers", "partners"]) {
        const answer = await driver.say(typed);
        expect(answer.text).to.include("Customers").and.include(DEMO.customerName).and.include("Active");
        expect(answer.text).to.include("Helpdesk administrator").and.include("Not accepted yet");
      }
    });

    it("lists contact requests with the customer's organization, contact person, message and date", async () => {
      const answer = await driver.say("requests");
      expect(answer.text).to.include("Fabrikam Demo Ltd").and.include("Ada Admin").and.include("ada@fabrikam.example");
      expect(answer.text)
        .to.include(NEEDS)
        .and.match(/Nov 29, 2026, 2:02\sPM UTC/);
      expect(buttonTitles(answer.card)).to.include("Send invitation");
    });

    it("opens the invitation form as a new card on Send invitation, leaving the request card as it was", async () => {
      const requests = await driver.say("requests");
      const { verb, data } = buttonData(requests.card, "Send invitation");
      channel.clear();
      if (channelId === "msteams") {
        const result = await channel.post(teamsCardAction(verb, data, personalChat(TEAMS_CONTACT, PARTNER_TENANT)));
        // The invoke answers with a note, not a card: Teams keeps the pressed card as it is.
        expect(result.body.statusCode).to.equal(200);
        expect(result.body.type).to.equal("application/vnd.microsoft.activity.message");
        expect(result.body.value).to.be.a("string").and.include("new card");
      } else {
        await channel.post({ type: "message", from: EMULATOR_CONTACT, value: { ...data, verb }, replyToId: "request-card" });
      }
      const [form] = await channel.waitFor((r) => r.kind === "reply" || r.kind === "send");
      expect(JSON.stringify(cardOf(form!.activity))).to.include(`Send an invitation to ${DEMO.customerName}`);
      expect(
        channel.recorded.filter((r) => r.kind === "update"),
        "no card was replaced",
      ).to.have.length(0);
    });
  });
}

partnerHomeOn("Teams", "msteams");
partnerHomeOn("Emulator", "emulator");
