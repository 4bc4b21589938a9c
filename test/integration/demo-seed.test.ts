import { write } from "../../src/domain/decision.js";
import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { seedDemo } from "../../src/demo/seed.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { ROLE } from "../../src/domain/roles.js";
import { TableRoleDirectory } from "../../src/entra-roles/tableRoleDirectory.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

describe("local mode demo seed on Azurite", function () {
  this.timeout(60_000);
  let repos: Storage;
  const now = new Date("2026-11-24T09:00:00.000Z");

  before(async () => {
    const { tables } = await freshTables();
    repos = openStorage(tables);
  });

  it("seeds the directory, the agreement, one pending invitation and one active relationship with admin roles", async () => {
    const summary = await seedDemo(repos, now);
    expect(summary).to.deep.equal(
      { partners: 322, createdInvitation: true, createdRelationship: true, pendingInvitations: 1, activeRelationships: 1 },
      "every partner of src/partner-directory/sample-directory.json",
    );
    const stored = await repos.partners.listAll();
    expect(stored).to.have.length(322);
    expect(stored.map((p) => p.id).sort()).to.deep.equal(
      sampleDirectory()
        .map((p) => p.id)
        .sort(),
    );
    expect((await repos.agreements.current(now))?.version).to.equal(DEMO.agreementVersion);

    const pending = await repos.invitations.listPending(DEMO.customerTenantId);
    expect(pending.map((i) => i.value.partnerId)).to.deep.equal([DEMO.invitingPartnerId]);
    expect(pending[0]!.value.roles).to.include(ROLE.globalAdministrator);
    expect(pending[0]!.value.expiresAt).to.equal("2027-02-22T09:00:00.000Z", "pending requests expire after 90 days");

    const relationships = await repos.relationships.listForTenant(DEMO.customerTenantId);
    expect(relationships).to.have.length(1);
    expect(relationships[0]!.value.status).to.equal("active");
    expect(relationships[0]!.value.roles.map((r) => r.roleId)).to.include(ROLE.globalAdministrator);
  });

  it("makes the Emulator's demo admin a Global administrator of the demo tenant, read through the RoleDirectory", async () => {
    const roles = await new TableRoleDirectory(repos.roleAssignments).rolesOf(DEMO.admin.tenantId, DEMO.admin.userId);
    expect(roles).to.deep.equal([ROLE.globalAdministrator]);
    expect(await new TableRoleDirectory(repos.roleAssignments).rolesOf(DEMO.admin.tenantId, "someone-else")).to.deep.equal([]);
  });

  it("keeps what a tester changed when the bot restarts, and sends a fresh invitation when the last was decided", async () => {
    const invitation = (await repos.invitations.get(DEMO.customerTenantId, DEMO.invitationId))!;
    await repos.seed.update(write.invitation({ ...invitation.value, status: "declined", declineReason: "not now" }), invitation.etag);
    const again = await seedDemo(repos, new Date("2026-11-25T09:00:00.000Z"));
    expect(again.createdInvitation).to.equal(true, "a fresh invitation to try");
    expect(again.createdRelationship).to.equal(false);
    expect((await repos.invitations.get(DEMO.customerTenantId, DEMO.invitationId))?.value.status).to.equal("declined");
    const pending = await repos.invitations.listPending(DEMO.customerTenantId);
    expect(pending.map((i) => i.value.partnerId)).to.deep.equal([DEMO.invitingPartnerId]);
    expect(pending[0]!.value.id).to.not.equal(DEMO.invitationId);
    expect(again.pendingInvitations).to.equal(1);
  });
});
