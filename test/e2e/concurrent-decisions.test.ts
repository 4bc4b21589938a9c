import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { partitionRows, rowsOfKind, teamsDriver } from "../helpers/journey.js";

describe("end to end: two admins deciding at the same moment", function () {
  this.timeout(60_000);
  let app: RunningApp;
  let channel: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("stores exactly one acceptance when several admins press Accept & authorize at once; the others see the current state", async () => {
    const tenant = DEMO.customerTenantId;
    const admins = Array.from({ length: 5 }, (_, i) => ({ id: `29:admin-${i}`, name: `Admin ${i}`, aadObjectId: `c0ffee00-0000-4000-8000-00000000aa0${i}` }));
    for (const admin of admins) {
      await app.services.repos.roleAssignments.upsert({ tenantId: tenant, userId: admin.aadObjectId, roleId: ROLE.billingAdministrator, userName: admin.name, assignedAt: new Date().toISOString() });
    }
    const driver = teamsDriver(channel, tenant, admins[0]!);
    const answers = await Promise.all(
      admins.map((admin) => driver.press("invitations.accept", { invitationId: DEMO.invitationId, agreementVersion: DEMO.agreementVersion, agreed: "true" }, admin)),
    );
    const winners = answers.filter((a) => a.text.includes("You accepted the invitation"));
    const others = answers.filter((a) => a.text.includes("already accepted") || a.text.includes("Invitation from"));
    expect(winners).to.have.length(1);
    expect(others).to.have.length(admins.length - 1);

    const rows = await partitionRows(app.services.repos.invitations.store.client, tenant);
    expect(rowsOfKind(rows, "acc")).to.have.length(1);
    expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "invitation.accept")).to.have.length(1);
    expect(rowsOfKind(rows, "outbox").filter((r) => r["type"] === "invitationAccepted")).to.have.length(1);
  });

  it("removes roles once when two admins press Yes at once", async () => {
    const tenant = DEMO.customerTenantId;
    const a = { id: "29:a", name: "A", aadObjectId: "c0ffee00-0000-4000-8000-00000000ab01" };
    const b = { id: "29:b", name: "B", aadObjectId: "c0ffee00-0000-4000-8000-00000000ab02" };
    for (const admin of [a, b]) await app.services.repos.roleAssignments.upsert({ tenantId: tenant, userId: admin.aadObjectId, roleId: ROLE.globalAdministrator, userName: admin.name, assignedAt: new Date().toISOString() });
    const driver = teamsDriver(channel, tenant, a);
    const answers = await Promise.all([driver.press("relationship.removeRoles", { partnerId: DEMO.activePartnerId }, a), driver.press("relationship.removeRoles", { partnerId: DEMO.activePartnerId }, b)]);
    expect(answers.filter((x) => x.text.includes("Roles removed"))).to.have.length(1);
    const rows = await partitionRows(app.services.repos.invitations.store.client, tenant);
    expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "relationship.removeRoles")).to.have.length(1);
    expect(rowsOfKind(rows, "outbox").filter((r) => r["type"] === "rolesRemoved")).to.have.length(1);
  });
});
