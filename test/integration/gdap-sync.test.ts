import { expect } from "chai";
import { SYNC_OK } from "../../src/domain/gdapSyncState.js";
import { invitationIdFor } from "../../src/domain/microsoftSide.js";
import { ROLE } from "../../src/domain/roles.js";
import { GDAP_ERROR } from "../../src/microsoft/gdap/index.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { CUSTOMER, invitedAndAccepted, PARTNER, PARTNER_TENANT, syncStateLine, syncWorld, type SyncWorld } from "../helpers/syncWorld.js";
import { diffSnapshots } from "../helpers/tableSnapshot.js";

/*
 * The status sync against Azurite and the loopback GDAP fake (in process, tokens from the fake's tokenFor): what
 * Microsoft does to a partner's relationships (the customer approves in the admin center, time passes, the partner
 * terminates, relationships made in Partner Center) becomes Partner Desk's record, and Graph failures change nothing.
 */

describe("status sync against Graph's delegatedAdminRelationships (Azurite, loopback GDAP fake)", function () {
  this.timeout(60_000);
  let gdap: FakeGdap;

  // A fresh Graph for every test: relationships made in one must not show in the next one's listing.
  beforeEach(async () => {
    gdap = await new FakeGdap().start();
  });
  afterEach(() => gdap.stop());

  const relationshipOf = async (world: SyncWorld) => (await world.storage.relationships.get(CUSTOMER, PARTNER.id))?.value;
  const stateOf = async (world: SyncWorld) => (await world.storage.gdapSync.get(PARTNER_TENANT, PARTNER.id))?.value;

  /** Runs a pass, and asserts that only the sync state row (and what `also` names) changed. */
  async function passChanging(world: SyncWorld, engine = world.engine()) {
    const before = await world.snapshot();
    const report = await engine.runOnce();
    return { report, diff: diffSnapshots(before, await world.snapshot()) };
  }

  describe("a GDAP request Partner Desk sent, followed through Microsoft's statuses", () => {
    let graph: FakeGdap;
    let world: SyncWorld;
    let id = "";

    // One Graph through these steps, each a status Microsoft moves the relationship to.
    before(async () => {
      graph = await new FakeGdap().start();
      world = await syncWorld(graph);
      id = await invitedAndAccepted(world);
    });
    after(() => graph.stop());

    it("changes nothing but its own sync state while the request waits for the customer's approval", async () => {
      const { report, diff } = await passChanging(world);
      expect(report).to.deep.include({ partners: 1, synced: 1 });
      expect(diff).to.deep.equal([syncStateLine("+")]);
      expect(await stateOf(world)).to.deep.include({ lastOutcome: { ...(await stateOf(world))!.lastOutcome!, code: SYNC_OK } });
    });

    it("makes the relationship active with Graph's roles until Microsoft's end date when the customer approves in the admin center", async () => {
      graph.customerApproves(id);
      const { endDateTime, activatedDateTime } = graph.relationshipsOf(PARTNER_TENANT)[0]!;
      await world.engine().runOnce();
      const relationship = (await relationshipOf(world))!;
      expect(relationship.status).to.equal("active");
      expect(relationship.endsAt).to.equal(endDateTime);
      expect(relationship.roles).to.have.deep.members([
        { roleId: ROLE.helpdeskAdministrator, expiresAt: endDateTime },
        { roleId: ROLE.userAdministrator, expiresAt: endDateTime },
      ]);
      expect(relationship.microsoft).to.include({
        relationshipId: id,
        status: "active",
        activatedAt: activatedDateTime,
        endsAt: endDateTime,
      });
      const invitation = await world.storage.invitations.get(CUSTOMER, invitationIdFor(id));
      expect(invitation?.value.microsoft?.status).to.equal("active");
      const told = await world.notifications("gdapActivated");
      expect(told.map((n) => n.recipient.kind).sort()).to.deep.equal(["partner", "tenantAdmins"]);
      const [audit] = (await world.storage.audit.latest(CUSTOMER, 5)).filter((e) => e.action === "microsoft.sync");
      expect(audit?.actor).to.deep.equal({ userId: "microsoft-graph", name: "Microsoft Graph" });
      expect(audit?.after).to.deep.include({ source: "Microsoft Graph" });
    });

    it("writes nothing but its sync state on the next pass when nothing changed in Microsoft", async () => {
      const { diff } = await passChanging(world);
      expect(diff).to.deep.equal([syncStateLine()]);
    });

    it("keeps it active while it is expiring, and expires it (no roles) when time has passed, telling both sides once", async () => {
      graph.timePasses(id, "expiring");
      await world.engine().runOnce();
      expect((await relationshipOf(world))?.status).to.equal("active");
      expect(await world.notifications("gdapExpired")).to.deep.equal([]);
      graph.timePasses(id, "expired");
      await world.engine().runOnce();
      await world.engine().runOnce();
      expect(await relationshipOf(world)).to.deep.include({ status: "expired", roles: [] });
      expect((await world.notifications("gdapExpired")).map((n) => n.recipient.kind).sort()).to.deep.equal(["partner", "tenantAdmins"]);
    });
  });

  it("follows a termination: termination requested while Microsoft ends it, then terminated with no roles, both sides told", async () => {
    const world = await syncWorld(gdap);
    const id = await invitedAndAccepted(world);
    gdap.customerApproves(id);
    await world.engine().runOnce();
    expect((await world.client().terminate(id)).ok).to.equal(true);
    await world.engine().runOnce();
    expect((await relationshipOf(world))?.status).to.equal("terminationRequested");
    expect(await world.notifications("gdapTerminated")).to.deep.equal([]);
    gdap.terminationCompletes(id);
    await world.engine().runOnce();
    expect(await relationshipOf(world)).to.deep.include({ status: "terminated", roles: [] });
    expect(await world.notifications("gdapTerminated")).to.have.length(2);
  });

  it("accepts a pending invitation the customer approved in the admin center without deciding in chat", async () => {
    const world = await syncWorld(gdap);
    const id = await invitedAndAccepted(world, false);
    gdap.customerApproves(id);
    await world.engine().runOnce();
    const invitation = (await world.storage.invitations.get(CUSTOMER, invitationIdFor(id)))!.value;
    expect(invitation).to.deep.include({
      status: "accepted",
      decidedBy: { userId: "microsoft-365-admin-center", name: "Microsoft 365 admin center" },
    });
    expect(await relationshipOf(world)).to.deep.include({ status: "active", agreement: { status: "notAccepted" } });
  });

  it("imports a relationship made outside Partner Desk into the customer's inventory, and tells both sides", async () => {
    const world = await syncWorld(gdap);
    const made = gdap.seed(PARTNER_TENANT, {
      displayName: "Synchronous - helpdesk",
      customer: { tenantId: CUSTOMER },
      roleDefinitionIds: [ROLE.helpdeskAdministrator],
      status: "active",
      activatedDateTime: "2026-01-10T08:00:00.000Z",
      endDateTime: "2027-01-10T08:00:00.000Z",
    });
    await world.engine().runOnce();
    expect(await relationshipOf(world)).to.deep.include({
      partnerName: PARTNER.name,
      status: "active",
      agreement: { status: "notAccepted" },
      roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-01-10T08:00:00.000Z" }],
    });
    expect((await relationshipOf(world))?.microsoft?.relationshipId).to.equal(made.id);
    expect(await world.notifications("gdapImported")).to.have.length(2);
    expect((await world.storage.audit.latest(CUSTOMER, 5)).map((e) => e.action)).to.include("microsoft.import");
  });

  it("follows every page Graph sends (a small $top), one customer per relationship", async () => {
    const world = await syncWorld(gdap, { pageSize: 2 });
    const customers = Array.from({ length: 5 }, (_, i) => `c0ffee00-0000-4000-8000-00000000010${i}`);
    for (const customer of customers)
      gdap.seed(PARTNER_TENANT, { displayName: `Paged ${customer.slice(-1)}`, customer: { tenantId: customer }, status: "active" });
    await world.engine().runOnce();
    const pages = gdap.requests.filter((r) => r.method === "GET" && r.path.endsWith("/delegatedAdminRelationships"));
    expect(pages.map((r) => r.query["$top"])).to.deep.equal(["2", "2", "2"]);
    expect(pages.slice(1).every((r) => r.query["$skiptoken"] !== undefined)).to.equal(true);
    for (const customer of customers)
      expect((await world.storage.relationships.get(customer, PARTNER.id))?.value.status, customer).to.equal("active");
    expect(await stateOf(world)).to.deep.include({
      lastOutcome: { ...(await stateOf(world))!.lastOutcome!, relationships: 5, changed: 5 },
    });
  });

  describe("when Graph throttles or fails", () => {
    it("waits what Retry-After asks on a 429, then follows what Graph says", async () => {
      const world = await syncWorld(gdap);
      gdap.seed(PARTNER_TENANT, { displayName: "After the wait", customer: { tenantId: CUSTOMER }, status: "active" });
      gdap.answerNext({ status: 429, retryAfter: "3" });
      await world.engine().runOnce();
      expect(world.waits).to.deep.equal([3000]);
      expect((await relationshipOf(world))?.status).to.equal("active");
    });

    it("changes nothing when Graph asks to wait longer than a background read may, and records what it asked", async () => {
      const world = await syncWorld(gdap);
      gdap.seed(PARTNER_TENANT, { displayName: "Too long a wait", customer: { tenantId: CUSTOMER }, status: "active" });
      gdap.answerNext({ status: 429, retryAfter: "120" });
      const { diff } = await passChanging(world);
      expect(diff).to.deep.equal([syncStateLine("+")]);
      const state = await stateOf(world);
      expect(state?.lastOutcome).to.include({ code: GDAP_ERROR.UNAVAILABLE, retryAfterMs: 120_000 });
      expect(state?.lastSyncedAt).to.equal(undefined);
      expect(state?.lease, "the lease is given back").to.equal(undefined);
    });

    it("changes nothing in Partner Desk during an outage, and records it in the sync state", async () => {
      const world = await syncWorld(gdap);
      const id = await invitedAndAccepted(world);
      await world.engine().runOnce();
      const lastSyncedAt = (await stateOf(world))?.lastSyncedAt;
      gdap.customerApproves(id);
      gdap.outage = { status: 503 };
      const { diff } = await passChanging(world);
      expect(diff).to.deep.equal([syncStateLine()]);
      expect(await stateOf(world)).to.deep.include({ lastSyncedAt });
      expect((await stateOf(world))?.lastOutcome?.code).to.equal(GDAP_ERROR.UNAVAILABLE);
      expect(world.waits, "a background read retried with backoff before giving up").to.have.length(3);
      gdap.outage = undefined;
      await world.engine().runOnce();
      expect((await relationshipOf(world))?.status, "the next pass catches up").to.equal("active");
    });

    it("changes nothing when the partner withdrew the permission or the consent, and records which", async () => {
      for (const [consent, code] of [
        ["noPermission", GDAP_ERROR.PERMISSION_MISSING],
        ["noConsent", GDAP_ERROR.NO_CONSENT],
      ] as const) {
        const world = await syncWorld(gdap);
        gdap.seed(PARTNER_TENANT, { displayName: `Withdrawn ${consent}`, customer: { tenantId: CUSTOMER }, status: "active" });
        gdap.partner(PARTNER_TENANT, consent);
        try {
          const { diff } = await passChanging(world);
          expect(diff, consent).to.deep.equal([syncStateLine("+")]);
          expect((await stateOf(world))?.lastOutcome?.code, consent).to.equal(code);
        } finally {
          gdap.partner(PARTNER_TENANT, "granted");
        }
      }
    });
  });

  it("leaves partners that are not connected alone", async () => {
    const world = await syncWorld(gdap, { connect: false });
    gdap.seed(PARTNER_TENANT, { displayName: "Not connected", customer: { tenantId: CUSTOMER }, status: "active" });
    const { report, diff } = await passChanging(world);
    expect(report.partners).to.equal(0);
    expect(diff).to.deep.equal([]);
    expect(gdap.requests).to.deep.equal([]);
  });
});
