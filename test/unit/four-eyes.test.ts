import { expect } from "chai";
import { MCA_TEMPLATE_ID, type Agreement, type PrimaryContact } from "../../src/domain/agreement.js";
import { AuditEventSchema } from "../../src/domain/audit.js";
import { acceptUnderPolicy, approveInvitation, awaitingSecondApproval, recordFirstApproval } from "../../src/domain/fourEyes.js";
import { InvitationSchema, type Invitation } from "../../src/domain/invitation.js";
import type { Result } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import { fourEyesIsOn, POLICY_CHANGE_ERRORS, setFourEyes, type TenantPolicy } from "../../src/domain/tenantPolicy.js";
import { declineInvitation, TRANSITION_ERRORS, type DecisionContext } from "../../src/domain/transitions.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const FIRST = { userId: "admin-1", name: "Ada Admin" };
const SECOND = { userId: "admin-2", name: "Bea Billing" };
const T1 = "2026-03-10T09:00:00.000Z";
const T2 = "2026-03-11T10:30:00.000Z";
const CONTACT: PrimaryContact = { firstName: "Ada", lastName: "Admin", email: "ada@fabrikam.example" };
const AGREEMENT: Agreement = {
  version: "MCA-2026-01",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "a".repeat(64),
  effectiveFrom: "2026-01-01T00:00:00.000Z",
  templateId: MCA_TEMPLATE_ID,
};

function ctx(actor: { userId: string; name: string }, now: string): DecisionContext {
  let n = 0;
  return { tenantId: TENANT, actor, now, correlationId: "corr-1", newId: () => `id-${++n}` };
}

function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return InvitationSchema.parse({
    id: "INV-GA",
    tenantId: TENANT,
    partnerId: "contoso",
    partnerName: "Contoso",
    relationshipTypes: ["delegatedAdministrator"],
    roles: [ROLE.globalAdministrator],
    durationDays: 180,
    message: "",
    status: "pending",
    createdAt: "2026-03-01T08:00:00.000Z",
    expiresAt: "2026-05-30T08:00:00.000Z",
    announced: true,
    ...overrides,
  });
}

const POLICY_ON: TenantPolicy = { tenantId: TENANT, fourEyesForGlobalAdmin: true, updatedAt: T1, updatedBy: FIRST };

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

const firstApproved = () => value(recordFirstApproval(invitation(), AGREEMENT, CONTACT, ctx(FIRST, T1))).invitation;

describe("four-eyes for Global administrator (domain)", () => {
  describe("the tenant policy", () => {
    it("is off by default and turns on with an audit event, written as one decision", () => {
      expect(fourEyesIsOn(undefined)).to.equal(false);
      const { policy, audit, decision } = value(setFourEyes(undefined, true, ctx(FIRST, T1)));
      expect(policy).to.deep.equal(POLICY_ON);
      expect(AuditEventSchema.parse(audit).action).to.equal("tenantPolicy.fourEyesOn");
      expect(audit.before).to.deep.equal({ fourEyesForGlobalAdmin: false });
      expect(decision.writes.map((w) => w.kind)).to.deep.equal(["tenantPolicy", "audit"]);
    });

    it("turns off with its own audit action, and refuses to set what is already so", () => {
      expect(value(setFourEyes(POLICY_ON, false, ctx(SECOND, T2))).audit.action).to.equal("tenantPolicy.fourEyesOff");
      const again = setFourEyes(POLICY_ON, true, ctx(SECOND, T2));
      expect(again.ok).to.equal(false);
      expect(!again.ok && again.code).to.equal(POLICY_CHANGE_ERRORS.unchanged);
      expect(setFourEyes(undefined, false, ctx(SECOND, T2)).ok).to.equal(false, "off is the default: turning it off changes nothing");
    });
  });

  describe("the first acceptance", () => {
    it("is recorded as pending approval: nothing granted, no relationship, acceptance or partner notification", () => {
      const step = value(acceptUnderPolicy(invitation(), undefined, AGREEMENT, CONTACT, POLICY_ON, ctx(FIRST, T1)));
      expect(step.kind).to.equal("firstApproval");
      if (step.kind !== "firstApproval") return;
      expect(step.invitation.status).to.equal("pending");
      expect(step.invitation.firstApproval).to.deep.equal({ by: FIRST, at: T1, agreementVersion: AGREEMENT.version, contact: CONTACT });
      expect(awaitingSecondApproval(step.invitation)).to.equal(true);
      expect(step.audit.action).to.equal("invitation.approveFirst");
      // The invitation, its audit event and the admins' card refresh: no relationship, acceptance, or partner notification.
      expect(step.decision.writes.map((w) => w.kind)).to.deep.equal(["invitation", "audit", "notification"]);
      expect(step.refresh?.type).to.equal("cardRefresh");
    });

    it("leaves invitations without Global administrator, and a tenant with the policy off, to the single acceptance", () => {
      const noGa = invitation({ roles: [ROLE.userAdministrator] });
      expect(value(acceptUnderPolicy(noGa, undefined, AGREEMENT, CONTACT, POLICY_ON, ctx(FIRST, T1))).kind).to.equal("accepted");
      expect(value(acceptUnderPolicy(invitation(), undefined, AGREEMENT, CONTACT, undefined, ctx(FIRST, T1))).kind).to.equal("accepted");
    });
  });

  describe("the second approval", () => {
    it("by a different admin completes the acceptance as a single one would, with the first admin's agreement", () => {
      const done = value(approveInvitation(firstApproved(), undefined, AGREEMENT, ctx(SECOND, T2)));
      expect(done.invitation.status).to.equal("accepted");
      expect(done.invitation.decidedBy).to.deep.equal(SECOND);
      expect(done.relationship.status).to.equal("active");
      expect(done.relationship.roles.map((r) => r.roleId)).to.deep.equal([ROLE.globalAdministrator]);
      // Partner Center's record names who ticked the box, with their contact details, when they did.
      expect(done.acceptance.acceptedBy).to.deep.equal(FIRST);
      expect(done.acceptance.primaryContact).to.deep.equal(CONTACT);
      expect(done.acceptance.dateAgreed).to.equal(T1);
      expect(done.audit.action).to.equal("invitation.accept");
      expect(done.audit.actor).to.deep.equal(SECOND);
      expect(done.audit.after).to.include({ firstApprovedAt: T1 });
      expect(done.notification.type).to.equal("invitationAccepted");
      expect(done.decision.writes.map((w) => w.kind)).to.include.members([
        "relationship",
        "invitation",
        "acceptance",
        "audit",
        "notification",
      ]);
    });

    it("is refused to the admin who accepted first, on the approve path and on the accept path alike", () => {
      const pending = firstApproved();
      const approve = approveInvitation(pending, undefined, AGREEMENT, ctx(FIRST, T2));
      expect(!approve.ok && approve.code).to.equal(TRANSITION_ERRORS.sameApprover);
      const acceptAgain = acceptUnderPolicy(pending, undefined, AGREEMENT, CONTACT, POLICY_ON, ctx(FIRST, T2));
      expect(!acceptAgain.ok && acceptAgain.code).to.equal(TRANSITION_ERRORS.sameApprover);
    });

    it("from a second admin's Accept & authorize form completes it too, even after the policy was turned off", () => {
      const step = value(acceptUnderPolicy(firstApproved(), undefined, AGREEMENT, CONTACT, undefined, ctx(SECOND, T2)));
      expect(step.kind).to.equal("accepted");
    });

    it("is refused without a first acceptance, and for an agreement version other than the one accepted", () => {
      const none = approveInvitation(invitation(), undefined, AGREEMENT, ctx(SECOND, T2));
      expect(!none.ok && none.code).to.equal(TRANSITION_ERRORS.noFirstApproval);
      const changed = approveInvitation(firstApproved(), undefined, { ...AGREEMENT, version: "MCA-2026-07" }, ctx(SECOND, T2));
      expect(!changed.ok && changed.code).to.equal(TRANSITION_ERRORS.agreementChanged);
    });

    it("expires with the invitation", () => {
      const late = approveInvitation(firstApproved(), undefined, AGREEMENT, ctx(SECOND, "2026-05-30T08:00:00.000Z"));
      expect(!late.ok && late.code).to.equal(TRANSITION_ERRORS.expired);
    });
  });

  describe("declining while it waits", () => {
    for (const [who, actor] of [
      ["the first admin", FIRST],
      ["the second admin", SECOND],
    ] as const) {
      it(`${who} may decline: the invitation is declined and nothing is granted`, () => {
        const declined = value(declineInvitation(firstApproved(), "Not now", ctx(actor, T2)));
        expect(declined.invitation.status).to.equal("declined");
        expect(declined.invitation.decidedBy).to.deep.equal(actor);
        expect(declined.decision.writes.map((w) => w.kind)).to.not.include("relationship");
        const after = approveInvitation(declined.invitation, undefined, AGREEMENT, ctx(SECOND, T2));
        expect(!after.ok && after.code).to.equal(TRANSITION_ERRORS.notPending);
      });
    }
  });
});
