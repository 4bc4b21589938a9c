import { expect } from "chai";
import { AcceptanceSchema, MCA_TEMPLATE_ID, type Agreement, type PrimaryContact } from "../../src/domain/agreement.js";
import { AuditEventSchema } from "../../src/domain/audit.js";
import { ContactRequestSchema } from "../../src/domain/contactRequest.js";
import { InvitationSchema, type Invitation } from "../../src/domain/invitation.js";
import { NotificationSchema } from "../../src/domain/notification.js";
import type { PartnerType } from "../../src/domain/partnerTypes.js";
import { RelationshipSchema, type Relationship } from "../../src/domain/relationship.js";
import type { Failure, Result } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import {
  acceptAgreement,
  acceptInvitation,
  declineInvitation,
  isExpired,
  removeRoles,
  requestEnd,
  sendContactRequest,
  sendInvitation,
  TRANSITION_ERRORS,
  typesWithoutAdminRoles,
  type DecisionContext,
} from "../../src/domain/transitions.js";

const NOW = "2026-03-10T09:00:00.000Z";
const EARLIER = "2025-06-01T12:00:00.000Z";
const TENANT = "11111111-2222-3333-4444-555555555555";
const PARTNER = "contoso-cloud-partners";
const ACTOR = { userId: "admin-user-1", name: "Avery Admin" };
const CORRELATION = "corr-0001";

function context(): DecisionContext {
  let counter = 0;
  return { tenantId: TENANT, actor: ACTOR, now: NOW, correlationId: CORRELATION, newId: () => `id-${++counter}` };
}

function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return InvitationSchema.parse({
    id: "INV-0001",
    tenantId: TENANT,
    partnerId: PARTNER,
    partnerName: "Contoso Cloud Partners",
    relationshipTypes: ["resellerAndDelegatedAdministrator"],
    roles: [ROLE.userAdministrator, ROLE.helpdeskAdministrator],
    durationDays: 180,
    message: "We would like to manage your licenses.",
    status: "pending",
    createdAt: "2026-03-01T08:00:00.000Z",
    expiresAt: "2026-05-30T08:00:00.000Z",
    ...overrides,
  });
}

function relationship(overrides: Partial<Relationship> = {}): Relationship {
  return RelationshipSchema.parse({
    tenantId: TENANT,
    partnerId: PARTNER,
    partnerName: "Contoso Cloud Partners",
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.globalReader, expiresAt: "2026-12-01T00:00:00.000Z" },
      { roleId: ROLE.userAdministrator, expiresAt: "2026-12-01T00:00:00.000Z" },
    ],
    agreement: { status: "notAccepted" },
    status: "active",
    since: EARLIER,
    ...overrides,
  });
}

const AGREEMENT: Agreement = {
  version: "MCA-2026-01",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "a".repeat(64),
  effectiveFrom: "2026-01-01T00:00:00.000Z",
  templateId: MCA_TEMPLATE_ID,
};

/** The accepting admin as Partner Center's Agreement record names them. */
const CONTACT: PrimaryContact = { firstName: "Avery", lastName: "Admin", email: "avery@fabrikam.example", phoneNumber: "+46 8 123 45" };

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}

function failure<T>(result: Result<T>): Failure {
  if (result.ok) throw new Error("expected a failure, got success");
  return result;
}

describe("acceptInvitation", () => {
  it("marks a pending invitation accepted, recording when and by whom", () => {
    const { invitation: decided } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(decided.status).to.equal("accepted");
    expect(decided.decidedAt).to.equal(NOW);
    expect(decided.decidedBy).to.deep.equal(ACTOR);
    expect(decided.id).to.equal("INV-0001");
    expect(() => InvitationSchema.parse(decided)).not.to.throw();
  });

  it("creates an active relationship with the invitation's types and each asked role until now + the asked duration", () => {
    const asked = invitation({ relationshipTypes: ["reseller", "delegatedAdministrator"], durationDays: 180 });
    const { relationship: created } = value(acceptInvitation(asked, undefined, AGREEMENT, CONTACT, context()));
    const endsAt = addDays(NOW, 180);
    expect(endsAt).to.equal("2026-09-06T09:00:00.000Z");
    expect(created.status).to.equal("active");
    expect(created.tenantId).to.equal(TENANT);
    expect(created.partnerId).to.equal(PARTNER);
    expect(created.partnerName).to.equal("Contoso Cloud Partners");
    expect(created.types).to.deep.equal(["reseller", "delegatedAdministrator"]);
    expect(created.roles).to.deep.equal([
      { roleId: ROLE.userAdministrator, expiresAt: endsAt },
      { roleId: ROLE.helpdeskAdministrator, expiresAt: endsAt },
    ]);
    expect(created.since).to.equal(NOW);
    expect(created.endsAt).to.equal(endsAt);
    expect(() => RelationshipSchema.parse(created)).not.to.throw();
  });

  it("records the current agreement version as accepted on the relationship", () => {
    const { relationship: created } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(created.agreement).to.deep.equal({ status: "accepted", version: "MCA-2026-01" });
  });

  it("writes an acceptance row naming who accepted which agreement version for which partner, and when", () => {
    const { acceptance } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(acceptance).to.include({ tenantId: TENANT, agreementVersion: "MCA-2026-01", partnerId: PARTNER, acceptedAt: NOW });
    expect(acceptance.acceptedBy).to.deep.equal(ACTOR);
    expect(acceptance.id).to.match(/^id-\d+$/);
    expect(() => AcceptanceSchema.parse(acceptance)).not.to.throw();
  });

  it("audits the decision as invitation.accept on the partner's invitation, carrying the correlation id", () => {
    const { audit, relationship: created } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(audit.action).to.equal("invitation.accept");
    expect(audit.target).to.equal(`partner:${PARTNER}/invitation:INV-0001`);
    expect(audit.correlationId).to.equal(CORRELATION);
    expect(audit.tenantId).to.equal(TENANT);
    expect(audit.actor).to.deep.equal(ACTOR);
    expect(audit.at).to.equal(NOW);
    expect(audit.before).to.deep.equal({ invitation: "pending", relationship: null });
    expect(audit.after).to.deep.equal({ invitation: "accepted", relationship: created, agreementVersion: "MCA-2026-01" });
    expect(() => AuditEventSchema.parse(audit)).not.to.throw();
  });

  it("queues a pending invitationAccepted notification to the partner with no delivery attempts yet", () => {
    const { notification, acceptance } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(notification.type).to.equal("invitationAccepted");
    expect(notification.recipient).to.deep.equal({ kind: "partner", partnerId: PARTNER });
    expect(notification.status).to.equal("pending");
    expect(notification.attempts).to.equal(0);
    expect(notification.createdAt).to.equal(NOW);
    expect(notification.correlationId).to.equal(CORRELATION);
    expect(notification.payload).to.deep.equal({
      invitationId: "INV-0001",
      acceptanceId: acceptance.id,
      endsAt: addDays(NOW, 180),
      roles: [ROLE.userAdministrator, ROLE.helpdeskAdministrator],
    });
    expect(() => NotificationSchema.parse(notification)).not.to.throw();
  });

  it("gives the acceptance, audit event and notification distinct ids from the context", () => {
    const { acceptance, audit, notification } = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    const ids = [acceptance.id, audit.id, notification.id];
    expect(new Set(ids).size).to.equal(3);
    for (const id of ids) expect(id).to.match(/^id-\d+$/);
  });

  it("does not change the invitation it was given", () => {
    const original = invitation();
    const snapshot = structuredClone(original);
    value(acceptInvitation(original, undefined, AGREEMENT, CONTACT, context()));
    expect(original).to.deep.equal(snapshot);
  });

  describe("with an existing active relationship", () => {
    const existing = relationship({
      types: ["reseller"],
      roles: [
        { roleId: ROLE.globalReader, expiresAt: "2026-12-01T00:00:00.000Z" },
        { roleId: ROLE.userAdministrator, expiresAt: "2026-12-01T00:00:00.000Z" },
      ],
      since: EARLIER,
    });
    const asked = invitation({
      relationshipTypes: ["reseller", "delegatedAdministrator"],
      roles: [ROLE.userAdministrator, ROLE.helpdeskAdministrator],
      durationDays: 30,
    });

    it("unions the existing types with the asked ones, without duplicates", () => {
      const { relationship: merged } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      expect(merged.types).to.deep.equal(["reseller", "delegatedAdministrator"]);
    });

    it("keeps roles that were not asked again with their old expiry", () => {
      const { relationship: merged } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      expect(merged.roles).to.deep.include({ roleId: ROLE.globalReader, expiresAt: "2026-12-01T00:00:00.000Z" });
    });

    it("gives re-asked and newly asked roles the new expiry, once each", () => {
      const { relationship: merged } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      const endsAt = addDays(NOW, 30);
      expect(merged.roles).to.deep.include({ roleId: ROLE.userAdministrator, expiresAt: endsAt });
      expect(merged.roles).to.deep.include({ roleId: ROLE.helpdeskAdministrator, expiresAt: endsAt });
      expect(merged.roles.filter((r) => r.roleId === ROLE.userAdministrator)).to.have.length(1);
      expect(merged.roles).to.have.length(3);
    });

    it("keeps the date the relationship started", () => {
      const { relationship: merged } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      expect(merged.since).to.equal(EARLIER);
      expect(merged.status).to.equal("active");
    });

    it("lets the relationship last as long as its longest kept role, so no role outlives it", () => {
      const { relationship: merged } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      expect(merged.endsAt).to.equal("2026-12-01T00:00:00.000Z");
      for (const role of merged.roles) expect(role.expiresAt <= merged.endsAt!, role.roleId).to.equal(true);
    });

    it("puts the existing relationship in the audit event's before", () => {
      const { audit } = value(acceptInvitation(asked, existing, AGREEMENT, CONTACT, context()));
      expect(audit.before).to.deep.equal({ invitation: "pending", relationship: existing });
    });
  });

  describe("with a relationship whose end was requested", () => {
    const ending = relationship({
      types: ["reseller"],
      roles: [{ roleId: ROLE.globalReader, expiresAt: "2026-12-01T00:00:00.000Z" }],
      status: "terminationRequested",
      since: EARLIER,
    });
    const asked = invitation({ relationshipTypes: ["advisor"], roles: [ROLE.helpdeskAdministrator], durationDays: 30 });

    it("treats it as still in force: keeps its types, roles and start date, and makes it active again", () => {
      const { relationship: merged } = value(acceptInvitation(asked, ending, AGREEMENT, CONTACT, context()));
      expect(merged.types).to.deep.equal(["reseller", "advisor"]);
      expect(merged.roles.map((r) => r.roleId)).to.have.members([ROLE.globalReader, ROLE.helpdeskAdministrator]);
      expect(merged.since).to.equal(EARLIER);
      expect(merged.status).to.equal("active");
    });
  });

  describe("with an existing terminated relationship", () => {
    const ended = relationship({
      types: ["advisor"],
      roles: [{ roleId: ROLE.globalReader, expiresAt: "2026-12-01T00:00:00.000Z" }],
      status: "terminated",
      since: EARLIER,
    });
    const asked = invitation({ relationshipTypes: ["delegatedAdministrator"], roles: [ROLE.licenseAdministrator], durationDays: 60 });

    it("starts types and roles fresh from the invitation", () => {
      const { relationship: fresh } = value(acceptInvitation(asked, ended, AGREEMENT, CONTACT, context()));
      expect(fresh.types).to.deep.equal(["delegatedAdministrator"]);
      expect(fresh.roles).to.deep.equal([{ roleId: ROLE.licenseAdministrator, expiresAt: addDays(NOW, 60) }]);
    });

    it("starts the relationship again from now", () => {
      const { relationship: fresh } = value(acceptInvitation(asked, ended, AGREEMENT, CONTACT, context()));
      expect(fresh.since).to.equal(NOW);
      expect(fresh.status).to.equal("active");
    });
  });

  it("refuses an invitation that is no longer pending with INVITATION.NOT_PENDING", () => {
    for (const status of ["accepted", "declined", "expired", "withdrawn"] as const) {
      const result = acceptInvitation(invitation({ status }), undefined, AGREEMENT, CONTACT, context());
      expect(failure(result).code, status).to.equal(TRANSITION_ERRORS.notPending);
      expect(TRANSITION_ERRORS.notPending).to.equal("INVITATION.NOT_PENDING");
    }
  });

  it("refuses a pending invitation whose expiry has passed with INVITATION.EXPIRED", () => {
    const result = acceptInvitation(invitation({ expiresAt: "2026-03-09T09:00:00.000Z" }), undefined, AGREEMENT, CONTACT, context());
    expect(failure(result).code).to.equal("INVITATION.EXPIRED");
  });

  it("refuses a pending invitation that expires exactly now with INVITATION.EXPIRED", () => {
    const result = acceptInvitation(invitation({ expiresAt: NOW }), undefined, AGREEMENT, CONTACT, context());
    expect(failure(result).code).to.equal("INVITATION.EXPIRED");
  });
});

describe("the admins' invitation cards after a decision", () => {
  const kinds = (decision: { writes: readonly { kind: string; value: unknown }[] }) =>
    decision.writes.map((w) => (w.kind === "notification" ? `notification:${(w.value as { type: string }).type}` : w.kind));

  it("refreshes the cards of an invitation the bot announced, in the same decision, when it is accepted or declined", () => {
    const announced = invitation({ announced: true });
    const accepted = value(acceptInvitation(announced, undefined, AGREEMENT, CONTACT, context()));
    expect(accepted.refresh?.type).to.equal("cardRefresh");
    expect(kinds(accepted.decision)).to.include("notification:cardRefresh");
    const declined = value(declineInvitation(announced, undefined, context()));
    expect(kinds(declined.decision)).to.include("notification:cardRefresh");
  });

  it("queues no refresh for an invitation that reached no admin's chat: there is no card to update", () => {
    const accepted = value(acceptInvitation(invitation(), undefined, AGREEMENT, CONTACT, context()));
    expect(accepted.refresh).to.equal(undefined);
    expect(kinds(accepted.decision)).to.deep.equal([
      "relationship",
      "invitation",
      "acceptance",
      "audit",
      "notification:invitationAccepted",
    ]);
    expect(kinds(value(declineInvitation(invitation(), "no", context())).decision)).to.not.include("notification:cardRefresh");
  });

  it("marks an invitation a partner sends through the bot as announced, with the card that announces it", () => {
    const sent = value(
      sendInvitation(
        {
          id: "INV-9",
          partner: { id: PARTNER, name: "Contoso" },
          relationshipTypes: ["reseller"],
          roles: [],
          durationDays: 30,
          message: "",
        },
        context(),
      ),
    );
    expect(sent.invitation.announced).to.equal(true);
    expect(kinds(sent.decision)).to.deep.equal(["invitation", "audit", "notification:invitationReceived"]);
  });
});

describe("declineInvitation", () => {
  it("marks a pending invitation declined with when, who and the reason given", () => {
    const { invitation: decided } = value(declineInvitation(invitation(), "We already have a reseller.", context()));
    expect(decided.status).to.equal("declined");
    expect(decided.decidedAt).to.equal(NOW);
    expect(decided.decidedBy).to.deep.equal(ACTOR);
    expect(decided.declineReason).to.equal("We already have a reseller.");
    expect(() => InvitationSchema.parse(decided)).not.to.throw();
  });

  it("stores no reason when none is given", () => {
    const { invitation: decided } = value(declineInvitation(invitation(), undefined, context()));
    expect(decided.status).to.equal("declined");
    expect(decided).not.to.have.property("declineReason");
  });

  it("audits invitation.decline on the partner's invitation with the reason", () => {
    const { audit } = value(declineInvitation(invitation(), "Not now.", context()));
    expect(audit.action).to.equal("invitation.decline");
    expect(audit.target).to.equal(`partner:${PARTNER}/invitation:INV-0001`);
    expect(audit.correlationId).to.equal(CORRELATION);
    expect(audit.before).to.deep.equal({ status: "pending" });
    expect(audit.after).to.deep.equal({ status: "declined", reason: "Not now." });
    expect(() => AuditEventSchema.parse(audit)).not.to.throw();
  });

  it("tells the partner with an invitationDeclined notification carrying the reason", () => {
    const { notification } = value(declineInvitation(invitation(), "Not now.", context()));
    expect(notification.type).to.equal("invitationDeclined");
    expect(notification.recipient).to.deep.equal({ kind: "partner", partnerId: PARTNER });
    expect(notification.payload).to.deep.equal({ invitationId: "INV-0001", reason: "Not now." });
    expect(notification.status).to.equal("pending");
    expect(notification.attempts).to.equal(0);
    expect(() => NotificationSchema.parse(notification)).not.to.throw();
  });

  it("sends an empty reason to the partner when none is given", () => {
    const { notification, audit } = value(declineInvitation(invitation(), undefined, context()));
    expect(notification.payload).to.deep.equal({ invitationId: "INV-0001", reason: "" });
    expect(audit.after).to.deep.equal({ status: "declined", reason: null });
  });

  it("refuses an invitation that is no longer pending with INVITATION.NOT_PENDING", () => {
    const result = declineInvitation(
      invitation({ status: "accepted", decidedAt: EARLIER, decidedBy: ACTOR }),
      "changed my mind",
      context(),
    );
    expect(failure(result).code).to.equal("INVITATION.NOT_PENDING");
  });
});

describe("typesWithoutAdminRoles", () => {
  it("turns Reseller & delegated administrator into Reseller", () => {
    expect(typesWithoutAdminRoles(["resellerAndDelegatedAdministrator"])).to.deep.equal(["reseller"]);
  });

  it("drops Delegated administrator and Advisor", () => {
    expect(typesWithoutAdminRoles(["delegatedAdministrator", "advisor", "partner"])).to.deep.equal(["partner"]);
  });

  it("keeps the types that hold no admin roles", () => {
    const plain: PartnerType[] = ["partner", "mpsaPartner", "lobPartner", "reseller"];
    expect(typesWithoutAdminRoles(plain)).to.deep.equal(plain);
  });

  it("lists Reseller once when the partner was both Reseller and Reseller & delegated administrator", () => {
    expect(typesWithoutAdminRoles(["reseller", "resellerAndDelegatedAdministrator"])).to.deep.equal(["reseller"]);
  });

  it("leaves no type for a partner that was only a delegated administrator", () => {
    expect(typesWithoutAdminRoles(["delegatedAdministrator"])).to.deep.equal([]);
  });
});

describe("removeRoles", () => {
  it("clears the roles and drops the admin part of the types, leaving the relationship active", () => {
    const { relationship: updated } = value(
      removeRoles(relationship({ types: ["resellerAndDelegatedAdministrator", "advisor"] }), context()),
    );
    expect(updated.roles).to.deep.equal([]);
    expect(updated.types).to.deep.equal(["reseller"]);
    expect(updated.status).to.equal("active");
    expect(updated.since).to.equal(EARLIER);
    expect(() => RelationshipSchema.parse(updated)).not.to.throw();
  });

  it("refuses a relationship that holds no roles with RELATIONSHIP.NO_ROLES", () => {
    expect(failure(removeRoles(relationship({ roles: [] }), context())).code).to.equal("RELATIONSHIP.NO_ROLES");
  });

  it("refuses a terminated relationship with RELATIONSHIP.NOT_ACTIVE", () => {
    expect(failure(removeRoles(relationship({ status: "terminated" }), context())).code).to.equal("RELATIONSHIP.NOT_ACTIVE");
  });

  it("refuses an expired relationship with RELATIONSHIP.NOT_ACTIVE", () => {
    expect(failure(removeRoles(relationship({ status: "expired" }), context())).code).to.equal("RELATIONSHIP.NOT_ACTIVE");
  });

  it("still removes roles while the end of the relationship is pending", () => {
    const pending = relationship({ status: "terminationRequested", terminationRequestedAt: EARLIER });
    const { relationship: updated } = value(removeRoles(pending, context()));
    expect(updated.roles).to.deep.equal([]);
    expect(updated.status).to.equal("terminationRequested");
  });

  it("audits relationship.removeRoles with the old roles and types before and the new ones after", () => {
    const before = relationship({ types: ["resellerAndDelegatedAdministrator"] });
    const { audit } = value(removeRoles(before, context()));
    expect(audit.action).to.equal("relationship.removeRoles");
    expect(audit.target).to.equal(`partner:${PARTNER}`);
    expect(audit.before).to.deep.equal({ types: ["resellerAndDelegatedAdministrator"], roles: before.roles });
    expect(audit.after).to.deep.equal({ types: ["reseller"], roles: [] });
    expect(() => AuditEventSchema.parse(audit)).not.to.throw();
  });

  it("tells the partner which role ids were removed with a rolesRemoved notification", () => {
    const { notification } = value(removeRoles(relationship(), context()));
    expect(notification.type).to.equal("rolesRemoved");
    expect(notification.recipient).to.deep.equal({ kind: "partner", partnerId: PARTNER });
    expect(notification.payload).to.deep.equal({ removedRoles: [ROLE.globalReader, ROLE.userAdministrator] });
    expect(() => NotificationSchema.parse(notification)).not.to.throw();
  });
});

describe("acceptAgreement", () => {
  it("records the agreement version as accepted on a relationship that had not accepted it", () => {
    const result = value(acceptAgreement(relationship({ agreement: { status: "notAccepted" } }), AGREEMENT, CONTACT, context()));
    expect(result.relationship.agreement).to.deep.equal({ status: "accepted", version: "MCA-2026-01" });
    expect(result.relationship.roles).to.deep.equal(relationship().roles);
    expect(result.acceptance).to.include({ tenantId: TENANT, agreementVersion: "MCA-2026-01", partnerId: PARTNER, acceptedAt: NOW });
    expect(result.acceptance.acceptedBy).to.deep.equal(ACTOR);
    expect(() => AcceptanceSchema.parse(result.acceptance)).not.to.throw();
  });

  it("audits agreement.accept with the agreement before and after", () => {
    const { audit } = value(acceptAgreement(relationship({ agreement: { status: "notAccepted" } }), AGREEMENT, CONTACT, context()));
    expect(audit.action).to.equal("agreement.accept");
    expect(audit.target).to.equal(`partner:${PARTNER}`);
    expect(audit.before).to.deep.equal({ agreement: { status: "notAccepted" } });
    expect(audit.after).to.deep.equal({ agreement: { status: "accepted", version: "MCA-2026-01" } });
    expect(audit.correlationId).to.equal(CORRELATION);
  });

  it("tells the partner with an agreementAccepted notification naming the version and the acceptance", () => {
    const { notification, acceptance } = value(acceptAgreement(relationship(), AGREEMENT, CONTACT, context()));
    expect(notification.type).to.equal("agreementAccepted");
    expect(notification.recipient).to.deep.equal({ kind: "partner", partnerId: PARTNER });
    expect(notification.payload).to.deep.equal({ agreementVersion: "MCA-2026-01", acceptanceId: acceptance.id });
    expect(notification.status).to.equal("pending");
    expect(notification.attempts).to.equal(0);
  });

  it("refuses when this version is already accepted with AGREEMENT.ALREADY_ACCEPTED", () => {
    const result = acceptAgreement(
      relationship({ agreement: { status: "accepted", version: "MCA-2026-01" } }),
      AGREEMENT,
      CONTACT,
      context(),
    );
    expect(failure(result).code).to.equal("AGREEMENT.ALREADY_ACCEPTED");
  });

  it("accepts a newer version when an older one was accepted", () => {
    const result = acceptAgreement(
      relationship({ agreement: { status: "accepted", version: "MCA-2024-01" } }),
      AGREEMENT,
      CONTACT,
      context(),
    );
    const { relationship: updated, acceptance } = value(result);
    expect(updated.agreement).to.deep.equal({ status: "accepted", version: "MCA-2026-01" });
    expect(acceptance.agreementVersion).to.equal("MCA-2026-01");
  });

  it("says a terminated relationship is not active, even if it had accepted this version", () => {
    const ended = relationship({ status: "terminated", agreement: { status: "accepted", version: AGREEMENT.version } });
    expect(failure(acceptAgreement(ended, AGREEMENT, CONTACT, context())).code).to.equal("RELATIONSHIP.NOT_ACTIVE");
  });

  it("refuses a relationship that is not active with RELATIONSHIP.NOT_ACTIVE", () => {
    for (const status of ["terminationRequested", "terminated", "expired"] as const) {
      const result = acceptAgreement(relationship({ status, agreement: { status: "notAccepted" } }), AGREEMENT, CONTACT, context());
      expect(failure(result).code, status).to.equal("RELATIONSHIP.NOT_ACTIVE");
    }
  });
});

describe("requestEnd", () => {
  it("moves an active relationship to terminationRequested, stamped now", () => {
    const { relationship: updated } = value(requestEnd(relationship(), "We are moving to another partner.", context()));
    expect(updated.status).to.equal("terminationRequested");
    expect(updated.terminationRequestedAt).to.equal(NOW);
    expect(updated.roles).to.deep.equal(relationship().roles);
    expect(() => RelationshipSchema.parse(updated)).not.to.throw();
  });

  it("tells the partner with a terminationRequested notification carrying the message", () => {
    const { notification, audit } = value(requestEnd(relationship(), "We are moving to another partner.", context()));
    expect(notification.type).to.equal("terminationRequested");
    expect(notification.recipient).to.deep.equal({ kind: "partner", partnerId: PARTNER });
    expect(notification.payload).to.deep.equal({ message: "We are moving to another partner." });
    expect(audit.action).to.equal("relationship.requestEnd");
    expect(audit.target).to.equal(`partner:${PARTNER}`);
    expect(audit.after).to.deep.equal({ status: "terminationRequested", message: "We are moving to another partner." });
  });

  it("sends an empty message when none is given", () => {
    const { notification } = value(requestEnd(relationship(), undefined, context()));
    expect(notification.payload).to.deep.equal({ message: "" });
  });

  it("says a terminated relationship is not active, even if it had accepted this version", () => {
    const ended = relationship({ status: "terminated", agreement: { status: "accepted", version: AGREEMENT.version } });
    expect(failure(acceptAgreement(ended, AGREEMENT, CONTACT, context())).code).to.equal("RELATIONSHIP.NOT_ACTIVE");
  });

  it("refuses a relationship that is not active with RELATIONSHIP.NOT_ACTIVE", () => {
    for (const status of ["terminationRequested", "terminated", "expired"] as const) {
      expect(failure(requestEnd(relationship({ status }), undefined, context())).code, status).to.equal("RELATIONSHIP.NOT_ACTIVE");
    }
  });
});

describe("sendContactRequest", () => {
  const requester = { userId: ACTOR.userId, name: ACTOR.name, email: "avery@contoso.example" };
  const partners = ["fabrikam-it", "northwind-msp", "tailspin-cloud"];

  it("writes one contact request row for all the partners", () => {
    const { contactRequest } = sendContactRequest("CR-0A1B2C3D4E", partners, "Help moving 200 mailboxes.", requester, context());
    expect(contactRequest).to.deep.equal({
      id: "CR-0A1B2C3D4E",
      tenantId: TENANT,
      partnerIds: partners,
      businessNeeds: "Help moving 200 mailboxes.",
      requester,
      createdAt: NOW,
    });
    expect(() => ContactRequestSchema.parse(contactRequest)).not.to.throw();
  });

  it("writes one audit event for the request", () => {
    const { audit } = sendContactRequest("CR-0A1B2C3D4E", partners, "Help moving 200 mailboxes.", requester, context());
    expect(audit.action).to.equal("contactRequest.send");
    expect(audit.target).to.equal("contactRequest:CR-0A1B2C3D4E");
    expect(audit.before).to.equal(null);
    expect(audit.after).to.deep.equal({ partnerIds: partners, businessNeeds: "Help moving 200 mailboxes." });
  });

  it("queues one contactRequest notification per partner, in the order given", () => {
    const { notifications, audit } = sendContactRequest("CR-0A1B2C3D4E", partners, "Help moving 200 mailboxes.", requester, context());
    expect(notifications.map((n) => n.recipient)).to.deep.equal(partners.map((partnerId) => ({ kind: "partner", partnerId })));
    for (const n of notifications) {
      expect(n.type).to.equal("contactRequest");
      expect(n.payload).to.deep.equal({ contactRequestId: "CR-0A1B2C3D4E" });
      expect(n.status).to.equal("pending");
      expect(() => NotificationSchema.parse(n)).not.to.throw();
    }
    expect(new Set([audit.id, ...notifications.map((n) => n.id)]).size).to.equal(4);
  });
});

describe("isExpired", () => {
  it("treats an invitation expiring exactly now as expired", () => {
    expect(isExpired(invitation({ expiresAt: NOW }), NOW)).to.equal(true);
  });

  it("treats an invitation expiring one millisecond from now as still open", () => {
    expect(isExpired(invitation({ expiresAt: "2026-03-10T09:00:00.001Z" }), NOW)).to.equal(false);
  });
});
