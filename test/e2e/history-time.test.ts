import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { relationshipTarget } from "../../src/domain/decisionRows.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

const TENANT = DEMO.customerTenantId;
const ADMIN = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
/** 14:02 UTC is 15:02 in Stockholm on 29 November (CET, UTC+1). */
const AT = "2026-11-29T14:02:00.000Z";

/** Finding 8 through the real bot: a partner's history reads as sentences, at the reader's own time when their client says. */
describe("end to end: history in the reader's time zone", function () {
  this.timeout(60_000);
  let app: RunningApp;

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
    await app.storage.seed.create(
      write.audit({
        id: "audit-history-time",
        tenantId: TENANT,
        actor: { userId: "pat", name: "Pat Partner" },
        action: "invitation.send",
        target: `${relationshipTarget(DEMO.activePartnerId)}/invitation:inv-x`,
        at: AT,
        correlationId: "corr-history",
      }),
    );
  });
  after(() => app?.stop());

  it("on Teams, writes the moment in the zone Teams sends (localTimezone), in the activity's locale", async () => {
    const channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    try {
      const chat = { ...personalChat(ADMIN, TENANT), localTimezone: "Europe/Stockholm", locale: "en-GB" };
      const result = await channel.post(teamsCardAction("relationships.show", { partnerId: DEMO.activePartnerId }, chat));
      expect(JSON.stringify(result.body.value)).to.include(`Pat Partner sent an invitation · 29 Nov 2026, 15:02"`);
    } finally {
      await channel.stop();
    }
  });

  it("on the Emulator, takes the zone from a clientInfo entity, and says UTC when there is none", async () => {
    const channel = await new ChannelEmulator(app.url, { channelId: "emulator" }).start();
    try {
      const open = async (extra: Record<string, unknown>, replyToId: string) => {
        channel.clear();
        await channel.post({
          type: "message",
          value: { verb: "relationships.show", partnerId: DEMO.activePartnerId },
          replyToId,
          ...extra,
        });
        const [update] = await channel.waitFor((r) => r.kind === "update" && r.activityId === replyToId);
        return JSON.stringify(cardOf(update!.activity));
      };
      const zoned = await open({ locale: "en-US", entities: [{ type: "clientInfo", timezone: "America/New_York" }] }, "card-1");
      expect(zoned).to.match(/Pat Partner sent an invitation · Nov 29, 2026, 9:02\sAM"/);
      const utc = await open({ locale: "en-GB" }, "card-2");
      expect(utc).to.include("Pat Partner sent an invitation · 29 Nov 2026, 14:02 UTC");
    } finally {
      await channel.stop();
    }
  });
});
