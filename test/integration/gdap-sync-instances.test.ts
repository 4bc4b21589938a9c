import { expect } from "chai";
import { pino } from "pino";
import { invitationIdFor } from "../../src/domain/microsoftSide.js";
import { followRelationships } from "../../src/gdapSync/follow.js";
import type { GdapSyncDeps } from "../../src/gdapSync/ports.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { diffSnapshots } from "../helpers/tableSnapshot.js";
import { CUSTOMER, invitedAndAccepted, PARTNER, PARTNER_TENANT, syncWorld, type SyncWorld } from "../helpers/syncWorld.js";

/*
 * Several instances sync at once (a lease per partner, and every decision conditional on the versions read), and
 * a card being opened syncs its partner on demand within its budget.
 */

describe("status sync: several instances, and on demand (Azurite, loopback GDAP fake)", function () {
  this.timeout(60_000);
  let gdap: FakeGdap;

  beforeEach(async () => {
    gdap = await new FakeGdap().start();
  });
  afterEach(() => gdap.stop());

  const auditsOf = async (world: SyncWorld, action: string) =>
    (await world.storage.audit.latest(CUSTOMER, 100)).filter((e) => e.action === action);

  describe("two engines over the same tables, at once", () => {
    it("produce exactly one notification per transition to each side: approved, then expired", async () => {
      const world = await syncWorld(gdap);
      const id = await invitedAndAccepted(world);
      const [a, b] = [world.engine(), world.engine()];
      expect(a.owner).to.not.equal(b.owner);

      gdap.customerApproves(id);
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
      await Promise.all([a.runOnce(), b.runOnce()]);
      expect((await world.notifications("gdapActivated")).map((n) => n.recipient.kind).sort()).to.deep.equal(["partner", "tenantAdmins"]);

      gdap.timePasses(id, "expired");
      await Promise.all([a.runOnce(), b.runOnce()]);
      await Promise.all([a.runOnce(), b.runOnce()]);
      expect((await world.notifications("gdapExpired")).map((n) => n.recipient.kind).sort()).to.deep.equal(["partner", "tenantAdmins"]);
      expect(await auditsOf(world, "microsoft.sync")).to.have.length(2);
    });

    it("import a relationship made outside Partner Desk once", async () => {
      const world = await syncWorld(gdap);
      gdap.seed(PARTNER_TENANT, { displayName: "Made in Partner Center", customer: { tenantId: CUSTOMER }, status: "active" });
      const engines = [world.engine(), world.engine(), world.engine()];
      await Promise.all(engines.map((e) => e.runOnce()));
      await Promise.all(engines.map((e) => e.runOnce()));
      expect(await world.notifications("gdapImported")).to.have.length(2);
      expect(await auditsOf(world, "microsoft.import")).to.have.length(1);
    });

    it("let one instance hold a partner's lease: the other skips it while the lease runs", async () => {
      const world = await syncWorld(gdap);
      const [a, b] = [world.engine(), world.engine()];
      const read = await world.storage.gdapSync.get(PARTNER_TENANT, PARTNER.id);
      const until = new Date(Date.now() + 60_000).toISOString();
      await world.storage.gdapSync.save({ partnerId: PARTNER.id, partnerTenantId: PARTNER_TENANT, lease: { owner: a.owner, until } }, read);
      expect((await b.syncPartner({ partnerId: PARTNER.id, partnerTenantId: PARTNER_TENANT })).kind).to.equal("skipped");
      expect(gdap.requests, "the instance without the lease did not read Graph").to.deep.equal([]);
      expect((await a.syncPartner({ partnerId: PARTNER.id, partnerTenantId: PARTNER_TENANT })).kind).to.equal("synced");
    });

    it("even without the lease, decide each transition once: a decision that lost the race is read and decided again", async () => {
      const world = await syncWorld(gdap);
      const id = await invitedAndAccepted(world);
      gdap.customerApproves(id);
      const listed = await world.listing();
      const deps = world.deps(pino({ level: "silent" }));
      // Every follower's first commit waits until all four have decided on the same versions: a real race, every time.
      const FOLLOWERS = 4;
      const atTheLine: Array<() => void> = [];
      let conflicts = 0;
      const racing: GdapSyncDeps = {
        ...deps,
        decisions: {
          async commit(decision, read) {
            if (atTheLine.length < FOLLOWERS)
              await new Promise<void>((go) => {
                atTheLine.push(go);
                if (atTheLine.length === FOLLOWERS) atTheLine.forEach((release) => release());
              });
            const committed = await deps.decisions.commit(decision, read);
            if (!committed.ok) conflicts++;
            return committed;
          },
        },
      };
      const partner = { id: PARTNER.id, name: PARTNER.name, tenantId: PARTNER_TENANT };
      const reports = await Promise.all(
        Array.from({ length: FOLLOWERS }, (_, i) => followRelationships(racing, partner, listed, `race-${i}`)),
      );
      expect(conflicts, "three decisions lost the race").to.equal(FOLLOWERS - 1);
      expect(reports.reduce((sum, r) => sum + r.changed, 0)).to.equal(1);
      expect(reports.every((r) => r.failed === 0)).to.equal(true);
      expect(await world.notifications("gdapActivated")).to.have.length(2);
      expect((await world.storage.invitations.get(CUSTOMER, invitationIdFor(id)))?.value.microsoft?.status).to.equal("active");
    });
  });

  describe("on demand, when a relationship card is opened", () => {
    it("syncs a connected partner last checked over a minute ago, and says when Graph was checked", async () => {
      const world = await syncWorld(gdap);
      const id = await invitedAndAccepted(world);
      gdap.customerApproves(id);
      const { checkedAt, synced } = await world.engine().freshen(PARTNER.id);
      expect(checkedAt).to.be.a("string");
      expect(synced, "the card reads the relationship again").to.equal(true);
      expect((await world.storage.relationships.get(CUSTOMER, PARTNER.id))?.value.status).to.equal("active");
      expect((await world.storage.gdapSync.get(PARTNER_TENANT, PARTNER.id))?.value.lastSyncedAt).to.equal(checkedAt);
    });

    it("does not read Graph again within a minute of the last check", async () => {
      const world = await syncWorld(gdap);
      const engine = world.engine();
      const first = await engine.freshen(PARTNER.id);
      const reads = gdap.requests.length;
      expect(reads).to.be.greaterThan(0);
      expect(await engine.freshen(PARTNER.id)).to.deep.equal({ checkedAt: first.checkedAt, synced: false });
      expect(gdap.requests).to.have.length(reads);
    });

    it("reads nothing for a partner that is not connected", async () => {
      const world = await syncWorld(gdap, { connect: false });
      expect(await world.engine().freshen(PARTNER.id)).to.deep.equal({ checkedAt: undefined, synced: false });
      expect(await world.engine().freshen("no-such-partner")).to.deep.equal({ checkedAt: undefined, synced: false });
      expect(gdap.requests).to.deep.equal([]);
    });

    it("reads nothing and writes nothing where on-demand sync is off (local mode), however old the last check", async () => {
      const world = await syncWorld(gdap);
      const before = await world.snapshot();
      expect(await world.engine({ onDemand: false }).freshen(PARTNER.id)).to.deep.equal({ checkedAt: undefined, synced: false });
      const diff = diffSnapshots(before, await world.snapshot());
      expect(diff).to.deep.equal([]);
      expect(gdap.requests).to.deep.equal([]);
    });

    it("shows what is stored when Graph does not answer within the card's budget", async () => {
      const world = await syncWorld(gdap);
      const engine = world.engine({ onDemandBudgetMs: 100, onDemandMaxAgeMs: 0 });
      const { checkedAt: before } = await engine.freshen(PARTNER.id);
      const id = await invitedAndAccepted(world);
      gdap.customerApproves(id);
      gdap.answerNext({ status: 200, delayMs: 3_000, body: { value: [] } });
      expect(await engine.freshen(PARTNER.id)).to.deep.equal({ checkedAt: before, synced: false });
      expect((await world.storage.relationships.get(CUSTOMER, PARTNER.id))?.value.microsoft?.status).to.equal("approvalPending");
    });
  });
});
