import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { MAX_DISPLAY_NAME_LENGTH } from "../../src/http/readActivity.js";
import { personalChat, teamsCardAction, teamsMessage } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf, textOf } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, buttonData, inputDefaults, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";

/**
 * Issue 14 item 4, found by a black-box probe: what a client puts in the activity (a display name, a tenant id) is
 * input like any other. A huge name is bounded before it reaches storage; a tenant id of the wrong type is refused
 * with a card the user sees, never a generic error.
 */
const CUSTOMER = DEMO.customerTenantId;

describe("end to end: user-supplied strings and identities from the activity are bounded", function () {
  this.timeout(60_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest();
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });
  beforeEach(() => channel.clear());

  it("accepts an invitation for an admin whose display name is 400 KB, and stores a bounded name", async () => {
    const hugeName = "Ada ".repeat(100_000); // 400 KB: under the body cap, far over a table property's 64 KB
    const admin: TestUser = { id: "29:huge-name", name: hugeName, aadObjectId: DEMO.admin.userId };
    const chat = personalChat(admin, CUSTOMER);
    const now = new Date().toISOString();
    await app.storage.seed.createAll([
      write.invitation({
        id: "inv-huge-name",
        tenantId: CUSTOMER,
        partnerId: "inv-huge-name-partner",
        partnerName: "Huge Name Partner",
        relationshipTypes: ["resellerAndDelegatedAdministrator"],
        roles: [ROLE.helpdeskAdministrator],
        durationDays: 90,
        message: "",
        status: "pending",
        createdAt: now,
        expiresAt: addDays(now, 30),
        announced: true,
      }),
    ]);
    const review = await channel.post(teamsCardAction("invitations.review", { invitationId: "inv-huge-name" }, chat));
    expect(review.body.statusCode, JSON.stringify(review.body).slice(0, 300)).to.equal(200);
    const { verb, data } = buttonData(review.body.value, "Accept & authorize");
    const accepted = await channel.post(
      teamsCardAction(verb, { ...data, ...inputDefaults(review.body.value), agreed: "true", ...ACCEPTING_CONTACT }, chat),
    );
    expect(accepted.body.statusCode, JSON.stringify(accepted.body).slice(0, 300)).to.equal(200);
    expect(textOf(accepted.body.value)).to.not.include("Something went wrong");

    const rows = await partitionRows(app.storage.tables.client("tenant"), CUSTOMER);
    const invitation = rowsOfKind(rows, "inv").find((r) => JSON.stringify(r).includes("inv-huge-name"));
    expect(JSON.stringify(invitation ?? {})).to.include("accepted");
    const stored = JSON.stringify(rows);
    expect(stored).to.include("Ada Ada", "the admin's name is stored, bounded");
    expect(stored).to.not.include("Ada ".repeat(MAX_DISPLAY_NAME_LENGTH / 4 + 1), "no stored value carries more than the bound");
    expect(stored.length).to.be.lessThan(200_000);
  });

  for (const [label, tenant] of [
    ["a number", 42],
    ["an object", { nested: "aaaaaaaa-0000-4000-8000-000000000001" }],
  ] as const) {
    it(`answers a Teams message whose channelData.tenant.id is ${label} with the friendly no-tenant card`, async () => {
      const message = teamsMessage("help");
      await channel.post({
        ...message,
        conversation: { ...message.conversation, tenantId: undefined },
        channelData: { tenant: { id: tenant } },
      });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      const text = textOf(cardOf(reply!.activity));
      expect(text).to.include("personal Microsoft account or as a guest");
      expect(text).to.not.include("Something went wrong");
    });

    it(`refuses a Teams card action whose conversation.tenantId is ${label} with a 401 that explains the account`, async () => {
      const action = teamsCardAction("partnerTypes.show");
      const result = await channel.post({
        ...action,
        conversation: { ...action.conversation, tenantId: tenant },
        channelData: { tenant: { id: tenant } },
      });
      expect(result.status).to.equal(200);
      expect(result.body.statusCode).to.equal(401);
      expect(result.body.value.message).to.include("sign in to Teams with your work account");
    });

    it(`answers a Teams message whose conversation.tenantId is ${label} with the friendly no-tenant card`, async () => {
      const message = teamsMessage("help");
      await channel.post({
        ...message,
        conversation: { ...message.conversation, tenantId: tenant },
        channelData: { tenant: { id: tenant } },
      });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      expect(textOf(cardOf(reply!.activity))).to.include("personal Microsoft account or as a guest");
    });
  }
});
