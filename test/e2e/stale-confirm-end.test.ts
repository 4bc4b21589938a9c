import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";

/**
 * Issue 11, finding 11: a Confirm end pressed when the customer has not asked to end (or it has ended already) is
 * not titled "Relationship ended": nothing ended, and the card says so in its title and its body.
 */
for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: a stale Confirm end (${channelId} path)`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      const now = new Date().toISOString();
      await app.storage.seed.create(
        write.relationship({
          tenantId: DEMO.customerTenantId,
          partnerId: DEMO.invitingPartnerId,
          partnerName: "Contoso Cloud Partners",
          types: ["resellerAndDelegatedAdministrator"],
          roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-12-01T00:00:00.000Z" }],
          agreement: { status: "accepted", version: DEMO.agreementVersion },
          status: "active",
          since: now,
        }),
      );
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it('answers "No end to confirm", not "Relationship ended", and changes nothing', async () => {
      const data = { customerTenantId: DEMO.customerTenantId };
      let text: string;
      if (channelId === "msteams") {
        const contact = { id: "29:pat", name: "Demo Partner Contact", aadObjectId: DEMO.partnerContact.userId };
        const result = await channel.post(
          teamsCardAction("partnerSide.confirmEnd", data, personalChat(contact, DEMO.partnerContact.tenantId)),
        );
        text = JSON.stringify(result.body.value);
      } else {
        await channel.post({
          type: "message",
          from: { id: "demo-partner", name: "Pat" },
          value: { ...data, verb: "partnerSide.confirmEnd" },
          replyToId: "end-card",
        });
        const [update] = await channel.waitFor((r) => r.kind === "update" && r.activityId === "end-card");
        text = JSON.stringify(cardOf(update!.activity));
      }
      expect(text).to.include("No end to confirm").and.include("hasn't asked to end this relationship").and.include("Nothing was changed");
      expect(text).to.not.include("Relationship ended");
      const relationship = await app.storage.relationships.get(DEMO.customerTenantId, DEMO.invitingPartnerId);
      expect(relationship?.value.status).to.equal("active");
    });
  });
}
