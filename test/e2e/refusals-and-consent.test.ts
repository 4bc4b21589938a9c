import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { buttonTitles, emulatorDriver, teamsDriver, type Driver, type TestUser } from "../helpers/journey.js";

/**
 * Issue 11, findings 3 and 12 on both channel paths: the consent step shows what is granted above the tick box;
 * a missing role is information (who can, whom to ask), never a red failure with a reference; a member's menu
 * offers what they may do and says why the rest is missing; a member is refused before a form opens.
 */
const TENANT = DEMO.customerTenantId;
const BROAD = "broad-invitation";

/** Every node of a card, depth first, in the order a reader meets them. */
const nodesOf = (card: any): any[] => {
  const out: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    out.push(node);
    Object.values(node).forEach(walk);
  };
  walk(card.body);
  return out;
};

for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: consent and refusals (${channelId} path)`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    let driver: Driver;
    let member: TestUser;

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      if (channelId === "msteams") {
        const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
        member = { id: "29:member", name: "Max Member", aadObjectId: "c0ffee00-0000-4000-8000-0000000000cc" };
        await app.storage.roleAssignments.upsert({
          tenantId: TENANT,
          userId: member.aadObjectId!,
          roleId: ROLE.helpdeskAdministrator,
          userName: member.name,
          assignedAt: new Date().toISOString(),
        });
        driver = teamsDriver(channel, TENANT, admin);
      } else {
        member = { id: DEMO.member.emulatorUserId, name: "Demo Member" };
        driver = emulatorDriver(channel, { id: "emulator-admin", name: "Demo Admin" });
      }
      const now = new Date().toISOString();
      await app.storage.seed.create(
        write.invitation({
          id: BROAD,
          tenantId: TENANT,
          partnerId: "alpine-cloud-ab",
          partnerName: "Alpine Cloud AB",
          relationshipTypes: ["delegatedAdministrator"],
          roles: [ROLE.helpdeskAdministrator, ROLE.globalAdministrator],
          durationDays: 100,
          message: "",
          status: "pending",
          createdAt: now,
          expiresAt: addDays(now, 30),
        }),
      );
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("shows every role (Global administrator flagged), the end date and the partner above the tick box", async () => {
      const consent = await driver.press("invitations.review", { invitationId: BROAD });
      const nodes = nodesOf(consent.card);
      const at = (predicate: (n: any) => boolean) => nodes.findIndex(predicate);
      const tickBox = at((n) => n.type === "Input.Toggle" && n.id === "agreed");
      const global = at((n) => n.type === "TextBlock" && String(n.text).includes("Global administrator (highest privilege)"));
      const helpdesk = at((n) => n.type === "TextBlock" && String(n.text).includes("Helpdesk administrator"));
      const partner = at((n) => n.value === "Alpine Cloud AB");
      const endDate = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(
        new Date(addDays(new Date().toISOString(), 100)),
      );
      const until = at((n) => n.title === "Until" && n.value === endDate);
      for (const [what, index] of Object.entries({ global, helpdesk, partner, until }))
        expect(index, `${what} is shown above the tick box`).to.be.within(0, tickBox - 1);
      expect(tickBox).to.be.greaterThan(0);
      expect(nodes[global].color).to.equal("Attention");
      expect(global).to.be.lessThan(helpdesk, "the broadest role comes first");
    });

    it("refuses a member's Accept as information: who can, whom to ask, no reference, no attention colour", async () => {
      const refused = await driver.press("invitations.review", { invitationId: BROAD }, member);
      expect(refused.text)
        .to.include("Ask an administrator")
        .and.include("Only a Global or Billing administrator can accept a partner's invitation. Ask Demo Admin.");
      expect(refused.text).to.not.include("That didn't work").and.not.include("Reference");
      expect(refused.text.toLowerCase()).to.not.include('"attention"');
      expect(refused.text).to.not.match(/[0-9a-f]{8}-[0-9a-f]{4}-/, "no reference id");
    });

    it("tells a member before a form opens: the remove-roles and contact forms are refused at the button", async () => {
      const remove = await driver.press("relationships.removeRolesConfirm", { partnerId: DEMO.activePartnerId }, member);
      expect(remove.text).to.include("Only a Global or Billing administrator can remove a partner's roles");
      expect(nodesOf(remove.card).filter((n) => String(n.type).startsWith("Input."))).to.have.length(0, "no form to fill");
      const contact = await driver.press("findPartner.contactForm", { selected: DEMO.invitingPartnerId }, member);
      expect(contact.text).to.include("Only a Global or Billing administrator can find and contact partners");
      expect(nodesOf(contact.card).filter((n) => String(n.type).startsWith("Input."))).to.have.length(0, "no form to fill");
    });

    it("offers a member only what they may do, saying in one line why and whom to ask; an admin gets everything", async () => {
      const menu = await driver.say("help", member);
      const titles = buttonTitles(menu.card);
      expect(titles).to.include.members(["Find a partner", "Partner types"]);
      expect(titles).to.not.include("Invitations").and.not.include("Partners");
      expect(menu.text).to.include(
        "Reviewing invitations and managing your partners is for Global and Billing administrators. Ask Demo Admin.",
      );
      const adminMenu = await driver.say("help");
      expect(buttonTitles(adminMenu.card)).to.include.members(["Find a partner", "Invitations", "Partners", "Partner types"]);
      expect(adminMenu.text).to.not.include("is for Global and Billing administrators");
    });
  });
}
