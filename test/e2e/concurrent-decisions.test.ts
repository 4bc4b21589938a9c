import { write } from "../../src/domain/decision.js";
import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, partitionRows, rowsOfKind } from "../helpers/journey.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

const TENANT = DEMO.customerTenantId;

describe("end to end: the same decision pressed many times at once", function () {
  this.timeout(60_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  const admin: { id: string; name: string; aadObjectId: string } = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

  const invoke = (user: typeof admin, verb: string, data: Record<string, unknown>) =>
    channel.post(teamsCardAction(verb, data, personalChat(user, TENANT)));

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("stores exactly one acceptance, one audit event and one notification for 50 identical concurrent Accept & authorize invokes, answering each with a card", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        invoke(admin, "invitations.accept", {
          invitationId: DEMO.invitationId,
          agreementVersion: DEMO.agreementVersion,
          agreed: "true",
          ...ACCEPTING_CONTACT,
        }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.include({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    }
    const texts = answers.map((a) => JSON.stringify(a.body.value));
    expect(texts.filter((t) => t.includes("invitation and the Microsoft Customer Agreement. Partner Desk has recorded it"))).to.have.length(
      1,
    );
    expect(texts.filter((t) => t.includes("already accepted") || t.includes("Invitation from"))).to.have.length(
      49,
      "the others see the current state",
    );

    const rows = await partitionRows(app.storage.tables.client("tenant"), TENANT);
    expect(rowsOfKind(rows, "acc")).to.have.length(1);
    expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "invitation.accept")).to.have.length(1);
    expect(rowsOfKind(rows, "outbox").filter((r) => r["type"] === "invitationAccepted")).to.have.length(1);
  });

  it("removes roles once for 50 identical concurrent Yes presses, answering each with a card", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => invoke(admin, "relationship.removeRoles", { partnerId: DEMO.activePartnerId })),
    );
    for (const answer of answers) expect(answer.body).to.deep.include({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(answers.filter((a) => JSON.stringify(a.body.value).includes("Recorded in Partner Desk, and"))).to.have.length(1);
    const rows = await partitionRows(app.storage.tables.client("tenant"), TENANT);
    expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "relationship.removeRoles")).to.have.length(1);
    expect(rowsOfKind(rows, "outbox").filter((r) => r["type"] === "rolesRemoved")).to.have.length(1);
  });

  it("lets exactly one of two admins win when one accepts and the other declines the same invitation at the same moment", async () => {
    const other = { id: "29:billing", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000bb" };
    await app.storage.roleAssignments.upsert({
      tenantId: TENANT,
      userId: other.aadObjectId,
      roleId: ROLE.billingAdministrator,
      userName: other.name,
      assignedAt: new Date().toISOString(),
    });
    const now = new Date().toISOString();
    await app.storage.seed.create(
      write.invitation({
        id: "race-invitation",
        tenantId: TENANT,
        partnerId: "race-partner",
        partnerName: "Race Partner",
        relationshipTypes: ["reseller"],
        roles: [],
        durationDays: 30,
        message: "",
        status: "pending",
        createdAt: now,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    );
    const [accept, decline] = await Promise.all([
      invoke(admin, "invitations.accept", {
        invitationId: "race-invitation",
        agreementVersion: DEMO.agreementVersion,
        agreed: "true",
        ...ACCEPTING_CONTACT,
      }),
      invoke(other, "invitations.decline", { invitationId: "race-invitation", reason: "no" }),
    ]);
    const won = [JSON.stringify(accept.body).includes("You accepted"), JSON.stringify(decline.body).includes("You declined")];
    expect(won.filter(Boolean)).to.have.length(1);
    const rows = await partitionRows(app.storage.tables.client("tenant"), TENANT);
    const status = rowsOfKind(rows, "inv").find((r) => r["id"] === "race-invitation")?.["status"];
    expect(status).to.equal(won[0] ? "accepted" : "declined");
    // Invariant: an active relationship with Race Partner exists exactly when an acceptance does.
    expect(rowsOfKind(rows, "rel").some((r) => r["partnerId"] === "race-partner")).to.equal(
      rowsOfKind(rows, "acc").some((r) => r["partnerId"] === "race-partner"),
    );
  });
});
