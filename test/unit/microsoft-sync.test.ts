import { expect } from "chai";
import { AuditEventSchema, type AuditEvent } from "../../src/domain/audit.js";
import type { Decision } from "../../src/domain/decision.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import { InvitationSchema, type Invitation } from "../../src/domain/invitation.js";
import { invitationIdFor, type MicrosoftSide } from "../../src/domain/microsoftSide.js";
import {
  MICROSOFT_365_ADMIN_CENTER,
  MICROSOFT_GRAPH,
  SYNC_SOURCE,
  syncFromGraph,
  type GraphRelationship,
  type PartnerDeskRows,
  type SyncPartner,
} from "../../src/domain/microsoftSync.js";
import { NotificationSchema, type Notification } from "../../src/domain/notification.js";
import { RelationshipSchema, type Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { approvalLink } from "../../src/microsoft/gdap/index.js";

/*
 * Status sync, the rules: what Microsoft Graph says about one GDAP relationship, made Partner Desk's record in one
 * decision of the customer's partition, audited as Microsoft Graph's, with both sides told of what matters.
 */

const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000001";
const PARTNER: SyncPartner = { id: "granular-partners", name: "Granular Partners AB", tenantId: PARTNER_TENANT };
const GRAPH_ID = "5e2c0a5d-1111-4222-8333-444444444444-1b1b1b1b-5555-4666-8777-888888888888";
const OTHER_GRAPH_ID = "9f9f9f9f-1111-4222-8333-444444444444-2c2c2c2c-5555-4666-8777-888888888888";
const SENT = "2026-03-01T08:00:00.000Z";
const EARLIER = "2026-03-05T08:00:00.000Z";
const NOW = "2026-03-10T09:00:00.000Z";
const ACTIVATED = "2026-03-10T08:30:00.000Z";
const MICROSOFT_END = "2026-09-06T08:30:00.000Z";

function context(): DecisionContext {
  let counter = 0;
  return { tenantId: CUSTOMER, actor: { ...MICROSOFT_GRAPH }, now: NOW, correlationId: "gdap-sync-1", newId: () => `id-${++counter}` };
}

function graph(overrides: Partial<GraphRelationship> = {}): GraphRelationship {
  return {
    id: GRAPH_ID,
    displayName: "PD-0123456789abcdef0123456789abcdef",
    status: "approvalPending",
    customerTenantId: CUSTOMER,
    roleIds: [ROLE.helpdeskAdministrator, ROLE.userAdministrator],
    autoExtendDuration: "P180D",
    approvalLink: approvalLink(GRAPH_ID),
    ...overrides,
  };
}

const active = (overrides: Partial<GraphRelationship> = {}) =>
  graph({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END, ...overrides });

function side(overrides: Partial<MicrosoftSide> = {}): MicrosoftSide {
  return {
    relationshipId: GRAPH_ID,
    displayName: "PD-0123456789abcdef0123456789abcdef",
    partnerTenantId: PARTNER_TENANT,
    status: "approvalPending",
    approvalLink: approvalLink(GRAPH_ID),
    autoExtendDuration: "P180D",
    syncedAt: EARLIER,
    ...overrides,
  };
}

function invitation(overrides: Partial<Invitation> = {}): Invitation {
  return InvitationSchema.parse({
    id: invitationIdFor(GRAPH_ID),
    tenantId: CUSTOMER,
    partnerId: PARTNER.id,
    partnerName: PARTNER.name,
    relationshipTypes: ["resellerAndDelegatedAdministrator"],
    roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator],
    durationDays: 180,
    message: "Identity help",
    status: "pending",
    createdAt: SENT,
    expiresAt: "2026-05-30T08:00:00.000Z",
    announced: true,
    microsoft: side(),
    ...overrides,
  });
}

/** The relationship an admin's acceptance in chat left: the roles asked for, waiting for the admin center. */
function relationship(overrides: Partial<Relationship> = {}): Relationship {
  return RelationshipSchema.parse({
    tenantId: CUSTOMER,
    partnerId: PARTNER.id,
    partnerName: PARTNER.name,
    types: ["resellerAndDelegatedAdministrator"],
    roles: [
      { roleId: ROLE.helpdeskAdministrator, expiresAt: "2026-09-06T09:00:00.000Z" },
      { roleId: ROLE.userAdministrator, expiresAt: "2026-09-06T09:00:00.000Z" },
    ],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: EARLIER,
    endsAt: "2026-09-06T09:00:00.000Z",
    microsoft: side(),
    ...overrides,
  });
}

const accepted = (overrides: Partial<Invitation> = {}) =>
  invitation({ status: "accepted", decidedAt: EARLIER, decidedBy: { userId: "admin", name: "Ada Admin" }, ...overrides });

function sync(g: GraphRelationship, rows: Partial<PartnerDeskRows>) {
  return syncFromGraph(g, PARTNER, { invitation: rows.invitation, relationship: rows.relationship }, context());
}

/** The verdict's decision, which the rule under test must make. */
function decided(g: GraphRelationship, rows: Partial<PartnerDeskRows>): Decision {
  const verdict = sync(g, rows);
  expect(verdict?.decision, "a decision").to.not.equal(undefined);
  return verdict!.decision!;
}

const relationshipOf = (decision: Decision): Relationship | undefined =>
  decision.writes.flatMap((w) => (w.kind === "relationship" ? [w.value] : []))[0];
const invitationOf = (decision: Decision): Invitation | undefined =>
  decision.writes.flatMap((w) => (w.kind === "invitation" ? [w.value] : []))[0];
const notificationsOf = (decision: Decision): Notification[] =>
  decision.writes.flatMap((w) => (w.kind === "notification" ? [w.value] : []));
const auditOf = (decision: Decision): AuditEvent => {
  const audits = decision.writes.flatMap((w) => (w.kind === "audit" ? [w.value] : []));
  expect(audits).to.have.length(1);
  return audits[0]!;
};

/** One notification to the customer's admins and one to the partner, of `type`. */
function expectBothSidesTold(decision: Decision, type: Notification["type"], relationshipId = GRAPH_ID): Notification[] {
  const told = notificationsOf(decision).filter((n) => n.type === type);
  expect(told.map((n) => n.recipient)).to.have.deep.members([
    { kind: "tenantAdmins", tenantId: CUSTOMER },
    { kind: "partner", partnerId: PARTNER.id },
  ]);
  for (const n of told) {
    expect(() => NotificationSchema.parse(n)).to.not.throw();
    expect(n.tenantId).to.equal(CUSTOMER);
    expect(n.payload).to.include({ partnerId: PARTNER.id, relationshipId, source: SYNC_SOURCE });
  }
  return told;
}

describe("status sync: Partner Desk follows what Microsoft Graph says of a GDAP relationship", () => {
  describe("nothing changed", () => {
    it("makes no decision when the invitation and the relationship already say what Graph says", () => {
      expect(sync(graph(), { invitation: accepted(), relationship: relationship() })).to.equal(undefined);
    });

    it("makes none for a relationship in effect that Partner Desk already follows, and keeps the old syncedAt", () => {
      const following = relationship({
        roles: [
          { roleId: ROLE.helpdeskAdministrator, expiresAt: MICROSOFT_END },
          { roleId: ROLE.userAdministrator, expiresAt: MICROSOFT_END },
        ],
        endsAt: MICROSOFT_END,
        microsoft: side({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }),
      });
      expect(sync(active(), { invitation: accepted({ microsoft: following.microsoft! }), relationship: following })).to.equal(undefined);
    });

    it("makes none for a request Graph shows that nobody in Partner Desk sent, nor for one that has ended", () => {
      for (const status of ["approvalPending", "expired", "terminated"] as const)
        expect(sync(graph({ id: OTHER_GRAPH_ID, status }), {}), status).to.equal(undefined);
    });

    it("ignores a status Graph added after v1.0 (unknownFutureValue) and a relationship of another customer", () => {
      expect(sync(graph({ status: "unknownFutureValue" }), { invitation: accepted(), relationship: relationship() })).to.equal(undefined);
      expect(sync(active({ customerTenantId: "c0ffee00-0000-4000-8000-0000000000ff" }), { relationship: relationship() })).to.equal(
        undefined,
      );
    });
  });

  describe("Microsoft's side", () => {
    it("updates the side of both the invitation and the relationship in one decision of the customer's partition", () => {
      const decision = decided(graph({ status: "activating" }), { invitation: accepted(), relationship: relationship() });
      expect(decision.tenantId).to.equal(CUSTOMER);
      expect(invitationOf(decision)?.microsoft).to.include({ status: "activating", syncedAt: NOW });
      expect(relationshipOf(decision)?.microsoft).to.include({ status: "activating", syncedAt: NOW });
      expect(relationshipOf(decision)?.status, "nothing else changes before the approval takes effect").to.equal("active");
      expect(notificationsOf(decision), "nobody is told of an intermediate step").to.deep.equal([]);
    });

    it("writes only the row whose side changed", () => {
      const decision = decided(graph({ autoExtendDuration: "PT0S" }), { invitation: accepted(), relationship: relationship() });
      expect(invitationOf(decision)?.microsoft?.autoExtendDuration).to.equal("PT0S");
      expect(relationshipOf(decision)?.microsoft?.autoExtendDuration).to.equal("PT0S");
      const onlyRelationship = decided(graph({ autoExtendDuration: "PT0S" }), {
        invitation: accepted({ microsoft: side({ autoExtendDuration: "PT0S" }) }),
        relationship: relationship(),
      });
      expect(invitationOf(onlyRelationship)).to.equal(undefined);
      expect(relationshipOf(onlyRelationship)?.microsoft?.autoExtendDuration).to.equal("PT0S");
    });

    it("audits every change with Microsoft Graph as the actor and as the source", () => {
      const audit = auditOf(decided(graph({ status: "approved" }), { invitation: accepted(), relationship: relationship() }));
      expect(() => AuditEventSchema.parse(audit)).to.not.throw();
      expect(audit.actor).to.deep.equal({ userId: "microsoft-graph", name: "Microsoft Graph" });
      expect(audit.action).to.equal("microsoft.sync");
      expect(audit.after).to.deep.include({ source: "Microsoft Graph" });
      expect(audit.target).to.equal(`partner:${PARTNER.id}/microsoft:${GRAPH_ID}`);
    });
  });

  describe("the relationship's status, from Graph's", () => {
    it("makes an approved request active with Graph's roles until Microsoft's end date, and tells both sides", () => {
      const decision = decided(active(), { invitation: accepted(), relationship: relationship() });
      const after = relationshipOf(decision)!;
      expect(after.status).to.equal("active");
      expect(after.endsAt).to.equal(MICROSOFT_END);
      expect(after.roles).to.have.deep.members([
        { roleId: ROLE.helpdeskAdministrator, expiresAt: MICROSOFT_END },
        { roleId: ROLE.userAdministrator, expiresAt: MICROSOFT_END },
      ]);
      expect(after.microsoft).to.include({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END });
      expect(after.agreement, "the agreement accepted in chat stays").to.deep.equal({ status: "accepted", version: "2024-06" });
      const [told] = expectBothSidesTold(decision, "gdapActivated");
      expect(told!.payload).to.deep.include({ endsAt: MICROSOFT_END, roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator] });
    });

    it("takes Graph's roles as they are (a role removed in Microsoft leaves Partner Desk too)", () => {
      const following = relationship({ microsoft: side({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }) });
      const after = relationshipOf(decided(active({ roleIds: [ROLE.helpdeskAdministrator] }), { relationship: following }))!;
      expect(after.roles).to.deep.equal([{ roleId: ROLE.helpdeskAdministrator, expiresAt: MICROSOFT_END }]);
    });

    it("keeps an expiring relationship active, and tells nobody", () => {
      const following = relationship({ microsoft: side({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }) });
      const decision = decided(active({ status: "expiring" }), { relationship: following });
      expect(relationshipOf(decision)).to.deep.include({ status: "active" });
      expect(relationshipOf(decision)?.microsoft?.status).to.equal("expiring");
      expect(notificationsOf(decision)).to.deep.equal([]);
    });

    it("expires an expired relationship with no roles left, and tells both sides", () => {
      const following = relationship({ microsoft: side({ status: "expiring", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }) });
      const decision = decided(active({ status: "expired" }), { relationship: following });
      expect(relationshipOf(decision)).to.deep.include({ status: "expired", roles: [], endsAt: MICROSOFT_END });
      expectBothSidesTold(decision, "gdapExpired");
    });

    it("shows termination requested while Microsoft is ending it, with the roles still in effect, and tells nobody yet", () => {
      const following = relationship({ microsoft: side({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }) });
      for (const status of ["terminationRequested", "terminating"] as const) {
        const decision = decided(active({ status }), { relationship: following });
        expect(relationshipOf(decision), status).to.deep.include({ status: "terminationRequested", terminationRequestedAt: NOW });
        expect(relationshipOf(decision)?.roles, status).to.have.length(2);
        expect(notificationsOf(decision), status).to.deep.equal([]);
      }
    });

    it("ends a terminated relationship with no roles left, and tells both sides", () => {
      const following = relationship({
        status: "terminationRequested",
        terminationRequestedAt: EARLIER,
        microsoft: side({ status: "terminating", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }),
      });
      const decision = decided(active({ status: "terminated", endsAt: NOW }), { relationship: following });
      expect(relationshipOf(decision)).to.deep.include({ status: "terminated", roles: [], endsAt: NOW });
      expectBothSidesTold(decision, "gdapTerminated");
    });

    it("keeps an end the customer asked for in chat while Graph still shows the relationship active", () => {
      const asked = relationship({
        status: "terminationRequested",
        terminationRequestedAt: EARLIER,
        microsoft: side({ status: "active", activatedAt: ACTIVATED, endsAt: MICROSOFT_END }),
      });
      expect(sync(active(), { relationship: asked })?.decision).to.not.equal(undefined); // Graph's roles and dates are taken...
      expect(relationshipOf(decided(active(), { relationship: asked }))?.status).to.equal("terminationRequested"); // ...the request stays
    });

    it("leaves a role Partner Desk cannot name out of the row, and keeps it in the audit event", () => {
      const security = "194ae4cb-b126-40b2-bd5b-6091b380977d";
      const decision = decided(active({ roleIds: [ROLE.helpdeskAdministrator, security] }), {
        invitation: accepted(),
        relationship: relationship(),
      });
      expect(relationshipOf(decision)?.roles.map((r) => r.roleId)).to.deep.equal([ROLE.helpdeskAdministrator]);
      expect((auditOf(decision).after as { graph: { unnamedRoles: string[] } }).graph.unnamedRoles).to.deep.equal([security]);
    });
  });

  describe("a pending invitation", () => {
    it("is accepted, decided by the Microsoft 365 admin center, when Microsoft shows it active", () => {
      const decision = decided(active(), { invitation: invitation() });
      expect(invitationOf(decision)).to.deep.include({ status: "accepted", decidedAt: NOW, decidedBy: { ...MICROSOFT_365_ADMIN_CENTER } });
      expect(invitationOf(decision)?.microsoft?.status).to.equal("active");
      const created = relationshipOf(decision)!;
      expect(() => RelationshipSchema.parse(created)).to.not.throw();
      expect(created).to.deep.include({
        status: "active",
        agreement: { status: "notAccepted" },
        types: ["resellerAndDelegatedAdministrator"],
        since: ACTIVATED,
        endsAt: MICROSOFT_END,
      });
      expect(created.microsoft?.relationshipId).to.equal(GRAPH_ID);
      expectBothSidesTold(decision, "gdapActivated");
      expect(
        notificationsOf(decision).filter((n) => n.type === "cardRefresh"),
        "the admins' invitation cards update",
      ).to.have.length(1);
    });

    it("is withdrawn when Microsoft terminated the request, and expired when Microsoft let it expire; no relationship", () => {
      const withdrawn = decided(graph({ status: "terminated" }), { invitation: invitation() });
      expect(invitationOf(withdrawn)).to.deep.include({ status: "withdrawn", decidedAt: NOW, decidedBy: { ...MICROSOFT_GRAPH } });
      expect(relationshipOf(withdrawn)).to.equal(undefined);
      const expired = decided(graph({ status: "expired" }), { invitation: invitation() });
      expect(invitationOf(expired)).to.deep.include({ status: "expired", expiresAt: NOW });
      expect(relationshipOf(expired)).to.equal(undefined);
      for (const decision of [withdrawn, expired]) {
        expect(notificationsOf(decision).map((n) => n.type)).to.deep.equal(["cardRefresh"]);
      }
    });
  });

  describe("a relationship made outside Partner Desk", () => {
    const outside = () => active({ id: OTHER_GRAPH_ID, displayName: "Contoso - helpdesk", approvalLink: approvalLink(OTHER_GRAPH_ID) });

    it("is imported into the customer's inventory when in effect and Partner Desk has no relationship with the partner", () => {
      const decision = decided(outside(), {});
      const created = relationshipOf(decision)!;
      expect(() => RelationshipSchema.parse(created)).to.not.throw();
      expect(created).to.deep.include({
        tenantId: CUSTOMER,
        partnerId: PARTNER.id,
        partnerName: PARTNER.name,
        types: ["delegatedAdministrator"],
        agreement: { status: "notAccepted" },
        status: "active",
        endsAt: MICROSOFT_END,
      });
      expect(created.microsoft).to.include({ relationshipId: OTHER_GRAPH_ID, status: "active", partnerTenantId: PARTNER_TENANT });
      expect(auditOf(decision).action).to.equal("microsoft.import");
      expectBothSidesTold(decision, "gdapImported", OTHER_GRAPH_ID);
    });

    it("replaces an ended relationship, keeping what was agreed", () => {
      const ended = relationship({ status: "expired", roles: [], microsoft: side({ status: "expired" }) });
      const after = relationshipOf(decided(outside(), { relationship: ended }))!;
      expect(after).to.deep.include({ status: "active", since: ACTIVATED, agreement: { status: "accepted", version: "2024-06" } });
      expect(after.microsoft?.relationshipId).to.equal(OTHER_GRAPH_ID);
    });

    it("links a standalone record (no Microsoft side) with its roles from Graph", () => {
      const standalone = relationship({ types: ["reseller"], microsoft: undefined });
      const decision = decided(outside(), { relationship: standalone });
      const after = relationshipOf(decision)!;
      expect(after).to.deep.include({ since: EARLIER, types: ["reseller", "delegatedAdministrator"] });
      expect(after.microsoft?.relationshipId).to.equal(OTHER_GRAPH_ID);
      expectBothSidesTold(decision, "gdapImported", OTHER_GRAPH_ID);
    });

    it("is left alone, and counted untracked, when the partner's relationship follows another live Graph relationship", () => {
      const verdict = sync(outside(), { relationship: relationship() });
      expect(verdict).to.deep.equal({ untracked: true });
    });
  });
});
