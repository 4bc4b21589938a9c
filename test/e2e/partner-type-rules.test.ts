import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, json, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";

/**
 * Issue 11, finding 13 as a flow on both paths: the partner's invitation form refuses admin roles for a Reseller
 * alone, before anything is stored; a second invitation from the same partner, accepted, leaves each type once.
 */
const CUSTOMER = DEMO.customerTenantId;
const PARTNER = DEMO.invitingPartnerId;

for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: partner type rules (${channelId} path)`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;
    const rows = () => partitionRows(app.storage.tables.client("tenant"), CUSTOMER);

    const admin: TestUser = {
      id: channelId === "msteams" ? "29:admin" : "emulator-admin",
      name: "Demo Admin",
      aadObjectId: DEMO.admin.userId,
    };
    const partnerContact: TestUser =
      channelId === "msteams"
        ? { id: "29:pat", name: "Demo Partner Contact", aadObjectId: DEMO.partnerContact.userId }
        : { id: "demo-partner", name: "Demo Partner Contact" };

    /** A press as each channel sends it; the answer is the card that replaces the pressed one. */
    const press = async (user: TestUser, tenantId: string, verb: string, data: Record<string, unknown>): Promise<string> => {
      if (channelId === "msteams") {
        const result = await channel.post(teamsCardAction(verb, data, personalChat(user, tenantId)));
        expect(result.body.statusCode, JSON.stringify(result.body)).to.equal(200);
        return JSON.stringify(result.body.value);
      }
      channel.clear();
      const replyToId = `card-${verb}-${Date.now()}`;
      await channel.post({ type: "message", from: { id: user.id, name: user.name }, value: { ...data, verb }, replyToId });
      const [update] = await channel.waitFor((r) => r.kind === "update" && r.activityId === replyToId);
      return JSON.stringify(cardOf(update!.activity));
    };
    const asAdmin = (verb: string, data: Record<string, unknown>) => press(admin, CUSTOMER, verb, data);
    const asPartner = (verb: string, data: Record<string, unknown>) => press(partnerContact, DEMO.partnerContact.tenantId, verb, data);
    const accept = (invitationId: string) =>
      asAdmin("invitations.accept", { invitationId, agreementVersion: DEMO.agreementVersion, agreed: "true", ...ACCEPTING_CONTACT });

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("refuses admin roles for a Reseller-only invitation at the partner's form, storing nothing", async () => {
      // The demo's invitation (Reseller & delegated administrator) accepted: Contoso now works for the customer.
      expect(await accept(DEMO.invitationId)).to.include("You accepted Contoso Cloud Partners's invitation");
      const before = rowsOfKind(await rows(), "inv").length;
      const refused = await asPartner("partnerSide.sendInvitation", {
        customerTenantId: CUSTOMER,
        types: "reseller",
        roles: ROLE.helpdeskAdministrator,
        durationDays: 90,
        message: "",
      });
      expect(refused).to.include("Admin roles need an admin relationship type").and.include("A Reseller alone gets no admin roles");
      expect(refused).to.include("Send an invitation to Fabrikam Demo", "the form comes back to correct");
      expect(rowsOfKind(await rows(), "inv")).to.have.length(before, "no invitation stored");
    });

    it("accepting a second invitation from the same partner leaves each type once", async () => {
      const sent = await asPartner("partnerSide.sendInvitation", {
        customerTenantId: CUSTOMER,
        types: "delegatedAdministrator",
        roles: ROLE.userAdministrator,
        durationDays: 90,
        message: "",
      });
      expect(sent).to.include("Invitation sent");
      const second = rowsOfKind(await rows(), "inv").find((r) => r["partnerId"] === PARTNER && r["status"] === "pending");
      expect(second).to.not.equal(undefined);
      await accept(String(second!["id"]));
      const relationship = rowsOfKind(await rows(), "rel").find((r) => r["partnerId"] === PARTNER);
      expect(json(relationship, "types")).to.deep.equal(["resellerAndDelegatedAdministrator"]);
      const details = await asAdmin("relationships.show", { partnerId: PARTNER });
      expect(details).to.include("Reseller & delegated administrator").and.not.include("Reseller & delegated administrator, Delegated");
    });
  });
}
