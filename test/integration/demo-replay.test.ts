import { expect } from "chai";
import { write } from "../../src/domain/decision.js";
import { DEMO } from "../../src/demo/constants.js";
import { resetDemo } from "../../src/demo/reset.js";
import { demoRelationship, seedDemo, seededSentence } from "../../src/demo/seed.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

/*
 * Finding 4: the demo can be replayed. After the journey (the invitation accepted) a restart on the same data
 * leaves one invitation to try, and the banner says what is there; `reset demo` puts the story back.
 */
describe("local mode demo: replaying it", function () {
  this.timeout(60_000);
  let repos: Storage;
  const day = (n: number) => new Date(Date.parse("2026-11-24T09:00:00.000Z") + n * 86_400_000);
  const pending = async () => (await repos.invitations.listPending(DEMO.customerTenantId)).map((i) => i.value);

  before(async () => {
    const { tables } = await freshTables();
    repos = openStorage(tables);
  });

  it("after the invitation was accepted, the next start leaves exactly one pending invitation, and the banner says so", async () => {
    const first = await seedDemo(repos, day(0));
    expect(seededSentence(first)).to.include("1 pending invitation and 1 active relationship");
    // The journey: the demo admin accepts Contoso's invitation, which becomes a relationship.
    const invitation = (await repos.invitations.get(DEMO.customerTenantId, DEMO.invitationId))!;
    await repos.seed.update(write.invitation({ ...invitation.value, status: "accepted" }), invitation.etag);
    await repos.seed.create(
      write.relationship({
        ...demoRelationship(day(0).toISOString()),
        partnerId: DEMO.invitingPartnerId,
        partnerName: "Contoso Cloud Partners",
        since: day(0).toISOString(),
      }),
    );
    expect(await pending()).to.have.length(0);

    const restart = await seedDemo(repos, day(1));
    const now = await pending();
    expect(now).to.have.length(1, "one invitation to try again");
    expect(now[0]!.partnerId).to.equal(DEMO.invitingPartnerId);
    expect(now[0]!.expiresAt > day(1).toISOString()).to.equal(true);
    expect(restart).to.include({ createdInvitation: true, pendingInvitations: 1, activeRelationships: 2 });
    expect(seededSentence(restart)).to.include("1 pending invitation and 2 active relationships");
  });

  it("a start with an invitation still pending sends no second one", async () => {
    const again = await seedDemo(repos, day(2));
    expect(again).to.include({ createdInvitation: false, pendingInvitations: 1 });
    expect(await pending()).to.have.length(1);
  });

  it("tells what was read, even nothing: the banner never claims an invitation that is not there", () => {
    expect(
      seededSentence({ partners: 3, createdInvitation: false, createdRelationship: false, pendingInvitations: 0, activeRelationships: 0 }),
    ).to.equal("Seeded 3 directory partners. The demo tenant has no pending invitations and no active relationships.");
  });

  it("reset demo puts the seeded story back: one pending invitation, Northwind active with its admin roles, nothing else", async () => {
    const northwind = (await repos.relationships.get(DEMO.customerTenantId, DEMO.activePartnerId))!;
    await repos.seed.update(write.relationship({ ...northwind.value, roles: [], status: "terminationRequested" }), northwind.etag);
    const result = await resetDemo(repos, day(3));
    expect(result).to.deep.equal({ pendingInvitations: 1 });
    const invitations = await repos.invitations.listForTenant(DEMO.customerTenantId);
    expect(invitations.map((i) => [i.value.id, i.value.status])).to.deep.equal([[DEMO.invitationId, "pending"]]);
    expect(invitations[0]!.value.expiresAt).to.equal(addDays(day(3).toISOString(), 90));
    const relationships = await repos.relationships.listForTenant(DEMO.customerTenantId);
    expect(relationships.map((r) => [r.value.partnerId, r.value.status])).to.deep.equal([[DEMO.activePartnerId, "active"]]);
    expect(relationships[0]!.value.roles.map((r) => r.roleId)).to.have.members([ROLE.globalAdministrator, ROLE.helpdeskAdministrator]);
  });
});
