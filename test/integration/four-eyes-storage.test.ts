import { expect } from "chai";
import type { Agreement } from "../../src/domain/agreement.js";
import { DECISION_ERRORS, write } from "../../src/domain/decision.js";
import { approveInvitation, recordFirstApproval } from "../../src/domain/fourEyes.js";
import type { Invitation } from "../../src/domain/invitation.js";
import { ROLE } from "../../src/domain/roles.js";
import { setFourEyes } from "../../src/domain/tenantPolicy.js";
import type { DecisionContext } from "../../src/domain/transitions.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

const TENANT = "44444444-4444-4444-8444-444444444444";
const AGREEMENT: Agreement = {
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "b".repeat(64),
  effectiveFrom: "2024-06-01T00:00:00.000Z",
  templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
};
const NOW = "2026-11-02T10:00:00.000Z";

let ids = 0;
const ctx = (userId: string, name: string): DecisionContext => ({
  tenantId: TENANT,
  actor: { userId, name },
  now: NOW,
  correlationId: `c-${userId}`,
  newId: () => `id-${++ids}`,
});

const invitation: Invitation = {
  id: "inv-ga",
  tenantId: TENANT,
  partnerId: "contoso-it",
  partnerName: "Contoso IT",
  relationshipTypes: ["delegatedAdministrator"],
  roles: [ROLE.globalAdministrator],
  durationDays: 365,
  message: "",
  status: "pending",
  createdAt: "2026-11-01T10:00:00.000Z",
  expiresAt: "2027-01-30T10:00:00.000Z",
};

/** The ETag conditions four-eyes relies on, against Azurite: one of two simultaneous writers wins, the other writes nothing. */
describe("four-eyes rows on Azurite", function () {
  let storage: Storage;

  before(async function () {
    this.timeout(60_000);
    storage = openStorage((await freshTables()).tables);
    await storage.seed.create(write.invitation(invitation));
  });

  it("two admins setting the policy from the same read: the second is a conflict and stores nothing", async () => {
    const read = await storage.tenantPolicies.get(TENANT);
    expect(read).to.equal(undefined, "off by default: no row");
    const first = setFourEyes(read?.value, true, ctx("ada", "Ada"));
    const second = setFourEyes(read?.value, true, ctx("bea", "Bea"));
    if (!first.ok || !second.ok) throw new Error("both may decide from what they read");
    expect((await storage.decisions.commit(first.value.decision, [read])).ok).to.equal(true);
    const lost = await storage.decisions.commit(second.value.decision, [read]);
    expect(!lost.ok && lost.code).to.equal(DECISION_ERRORS.conflict);
    const stored = await storage.tenantPolicies.get(TENANT);
    expect(stored?.value).to.deep.include({ fourEyesForGlobalAdmin: true, updatedBy: { userId: "ada", name: "Ada" } });
    expect((await storage.audit.latest(TENANT)).filter((e) => e.action === "tenantPolicy.fourEyesOn")).to.have.length(1);
  });

  it("stores the first approval on the invitation, and lets only one of two simultaneous second approvals through", async () => {
    const read = await storage.invitations.get(TENANT, invitation.id);
    const first = recordFirstApproval(
      read!.value,
      AGREEMENT,
      { firstName: "Ada", lastName: "A", email: "ada@x.example" },
      ctx("ada", "Ada"),
    );
    if (!first.ok) throw new Error(first.message);
    expect((await storage.decisions.commit(first.value.decision, [read])).ok).to.equal(true);

    const waiting = await storage.invitations.get(TENANT, invitation.id);
    expect(waiting?.value.firstApproval?.by.userId).to.equal("ada");
    const byBea = approveInvitation(waiting!.value, undefined, AGREEMENT, ctx("bea", "Bea"));
    const byGus = approveInvitation(waiting!.value, undefined, AGREEMENT, ctx("gus", "Gus"));
    if (!byBea.ok || !byGus.ok) throw new Error("both may approve what they read");
    const won = await storage.decisions.commit(byBea.value.decision, [waiting]);
    expect(won.ok, JSON.stringify(won)).to.equal(true);
    const lost = await storage.decisions.commit(byGus.value.decision, [waiting]);
    expect(!lost.ok && lost.code).to.equal(DECISION_ERRORS.conflict);
    expect((await storage.invitations.get(TENANT, invitation.id))?.value.decidedBy?.userId).to.equal("bea");
    expect(await storage.relationships.listForTenant(TENANT)).to.have.length(1);
  });
});
