import { expect } from "chai";
import { AgreementSchema, type Agreement, type PrimaryContact } from "../../src/domain/agreement.js";
import { InvitationSchema, type Invitation } from "../../src/domain/invitation.js";
import {
  GDAP_DISPLAY_NAME_MAX,
  gdapDisplayName,
  invitationIdFor,
  isoDurationOfDays,
  MicrosoftSideSchema,
  waitingForApproval,
  type GdapRequestKey,
  type MicrosoftSide,
} from "../../src/domain/microsoftSide.js";
import { RelationshipSchema } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { acceptInvitation, sendInvitation, type DecisionContext } from "../../src/domain/transitions.js";
import { MICROSOFT_ERRORS } from "../../src/features/ports.js";
import { approvalLink, durationDays, GdapClient } from "../../src/microsoft/gdap/index.js";
import { requestRelationship } from "../../src/microsoftWiring.js";
import { FakeGdap } from "../helpers/fakeGdap.js";

const CUSTOMER = "c0ffee00-0000-4000-8000-0000000000e1";
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-0000000000a1";
const NOW = "2026-12-01T10:00:00.000Z";

const key = (overrides: Partial<GdapRequestKey> = {}): GdapRequestKey => ({
  partnerId: "contoso",
  customerTenantId: CUSTOMER,
  relationshipTypes: ["reseller", "delegatedAdministrator"],
  roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator],
  durationDays: 180,
  message: "Hello",
  ...overrides,
});

const side: MicrosoftSide = {
  relationshipId: "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
  displayName: gdapDisplayName(key()),
  status: "approvalPending",
  approvalLink: approvalLink("5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"),
  syncedAt: NOW,
};

describe("a GDAP request's display name: the idempotency key of a send", () => {
  it("is the same for the same request, whatever the order of the form's choices or the customer id's case", () => {
    const reordered = key({
      relationshipTypes: ["delegatedAdministrator", "reseller"],
      roles: [ROLE.userAdministrator, ROLE.helpdeskAdministrator],
      customerTenantId: CUSTOMER.toUpperCase(),
    });
    expect(gdapDisplayName(reordered)).to.equal(gdapDisplayName(key()));
  });

  it("differs when anything asked differs: partner, customer, types, roles, duration or message", () => {
    const names = new Set(
      [
        key(),
        key({ partnerId: "fabrikam" }),
        key({ customerTenantId: "c0ffee00-0000-4000-8000-0000000000e2" }),
        key({ relationshipTypes: ["reseller"] }),
        key({ roles: [ROLE.helpdeskAdministrator] }),
        key({ durationDays: 181 }),
        key({ message: "Hello again" }),
      ].map(gdapDisplayName),
    );
    expect(names.size).to.equal(7);
  });

  it("fits Graph's 50 characters and says it is Partner Desk's", () => {
    const name = gdapDisplayName(key({ message: "x".repeat(2000), partnerId: "p".repeat(64) }));
    expect(name.length).to.be.at.most(GDAP_DISPLAY_NAME_MAX).and.to.be.at.most(50);
    expect(name).to.match(/^PD-[0-9a-f]{32}$/);
  });

  it("derives one invitation id per relationship, within the invitation id's 64 characters", () => {
    const id = invitationIdFor(side.relationshipId);
    expect(id).to.equal(invitationIdFor(side.relationshipId.toUpperCase()));
    expect(id).to.not.equal(invitationIdFor(`${side.relationshipId}-2`));
    expect(InvitationSchema.shape.id.safeParse(id).success).to.equal(true);
  });
});

describe("a GDAP duration in ISO 8601", () => {
  it("writes whole days as Graph's duration takes them, and reads back the same number of days", () => {
    for (const days of [1, 90, 180, 730]) {
      expect(isoDurationOfDays(days)).to.equal(`P${days}D`);
      expect(durationDays(isoDurationOfDays(days))).to.equal(days);
    }
  });

  it("refuses a duration that is not a whole number of days from 1", () => {
    expect(() => isoDurationOfDays(0)).to.throw(RangeError);
    expect(() => isoDurationOfDays(1.5)).to.throw(RangeError);
  });
});

describe("the model keeps Microsoft's side, and rows written before it still parse", () => {
  const oldInvitation = {
    id: "inv-abc",
    tenantId: CUSTOMER,
    partnerId: "contoso",
    partnerName: "Contoso",
    relationshipTypes: ["reseller"],
    roles: [],
    durationDays: 30,
    message: "",
    status: "pending",
    createdAt: NOW,
    expiresAt: "2027-03-01T10:00:00.000Z",
  };
  const oldRelationship = {
    tenantId: CUSTOMER,
    partnerId: "contoso",
    partnerName: "Contoso",
    types: ["reseller"],
    roles: [],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: NOW,
  };

  it("parses an invitation and a relationship stored without a Microsoft side", () => {
    expect(InvitationSchema.parse(oldInvitation).microsoft).to.equal(undefined);
    expect(RelationshipSchema.parse(oldRelationship).microsoft).to.equal(undefined);
  });

  it("parses them with one, and refuses an approval link that is not https", () => {
    expect(InvitationSchema.parse({ ...oldInvitation, microsoft: side }).microsoft).to.deep.equal(side);
    expect(RelationshipSchema.parse({ ...oldRelationship, microsoft: side }).microsoft).to.deep.equal(side);
    expect(MicrosoftSideSchema.safeParse({ ...side, approvalLink: "http://admin.microsoft.com/x" }).success).to.equal(false);
  });

  it("counts created, approvalPending, approved and activating as waiting for approval, and active or ended as not", () => {
    for (const status of ["created", "approvalPending", "approved", "activating"] as const)
      expect(waitingForApproval({ ...side, status }), status).to.equal(true);
    for (const status of ["active", "expiring", "expired", "terminated"] as const)
      expect(waitingForApproval({ ...side, status }), status).to.equal(false);
    expect(waitingForApproval(undefined)).to.equal(false);
  });
});

describe("the decisions carry Microsoft's side", () => {
  const ctx = (tenantId = CUSTOMER): DecisionContext => ({
    tenantId,
    actor: { userId: "u1", name: "Paula Partner" },
    now: NOW,
    correlationId: "c1",
    newId: () => "id-1",
  });
  const agreement: Agreement = AgreementSchema.parse({
    version: "2024-06",
    title: "Microsoft Customer Agreement",
    url: "https://www.microsoft.com/licensing/docs/customeragreement",
    contentHash: "a".repeat(64),
    effectiveFrom: "2024-06-01T00:00:00.000Z",
  });
  const contact: PrimaryContact = { firstName: "Ada", lastName: "Admin", email: "ada@fabrikam.example" };
  const sent = (microsoft?: MicrosoftSide): Invitation => {
    const result = sendInvitation(
      {
        id: microsoft ? invitationIdFor(microsoft.relationshipId) : "inv-standalone",
        partner: { id: "contoso", name: "Contoso" },
        relationshipTypes: ["delegatedAdministrator"],
        roles: [ROLE.helpdeskAdministrator],
        durationDays: 180,
        message: "",
        ...(microsoft ? { microsoft } : {}),
      },
      ctx(),
    );
    if (!result.ok) throw new Error(result.message);
    return result.value.invitation;
  };

  it("stores a connected partner's invitation with its relationship in Microsoft, and a standalone one without", () => {
    expect(sent(side).microsoft).to.deep.equal(side);
    expect(sent()).to.not.have.property("microsoft");
  });

  it("hands the GDAP relationship to the relationship an accepted invitation makes; a standalone acceptance adds none", () => {
    const accepted = acceptInvitation(sent(side), undefined, agreement, contact, { ...ctx(), actor: { userId: "a", name: "Ada" } });
    if (!accepted.ok) expect.fail(accepted.message);
    expect(accepted.value.relationship.microsoft).to.deep.equal(side);
    const standalone = acceptInvitation(sent(), undefined, agreement, contact, ctx());
    if (!standalone.ok) expect.fail(standalone.message);
    expect(standalone.value.relationship).to.not.have.property("microsoft");
  });
});

describe("requestRelationship: ensure by display name, then lock for approval (loopback delegatedAdminRelationships)", () => {
  const graph = new FakeGdap();
  const client = () => new GdapClient({ baseUrl: graph.baseUrl, token: graph.tokenFor(PARTNER_TENANT), sleep: () => Promise.resolve() });
  const clock = () => new Date(NOW);
  const request = (displayName: string, roles: string[] = [ROLE.helpdeskAdministrator]) => ({
    displayName,
    customerTenantId: CUSTOMER,
    customerName: "Fabrikam",
    roles,
    durationDays: 180,
  });
  before(async () => {
    await graph.start();
    graph.partner(PARTNER_TENANT);
  });
  after(() => graph.stop());

  it("creates one relationship locked for approval, and finds the same one when the send is repeated", async () => {
    const first = await requestRelationship(client(), request("PD-repeat"), clock);
    const second = await requestRelationship(client(), request("PD-repeat"), clock);
    if (!first.ok || !second.ok) expect.fail("expected success");
    expect(second.value).to.deep.equal(first.value);
    expect(first.value).to.deep.include({ displayName: "PD-repeat", status: "approvalPending", syncedAt: NOW });
    expect(first.value.approvalLink).to.equal(approvalLink(first.value.relationshipId));
    const held = graph.relationshipsOf(PARTNER_TENANT).filter((r) => r.displayName === "PD-repeat");
    expect(held).to.have.length(1);
    expect(held[0]).to.deep.include({ status: "approvalPending", duration: "P180D", autoExtendDuration: "P180D" });
    expect(held[0]!.customer).to.deep.include({ tenantId: CUSTOMER });
  });

  it("asks no auto-extension when Global Administrator is among the roles", async () => {
    const result = await requestRelationship(client(), request("PD-global", [ROLE.globalAdministrator]), clock);
    expect(result.ok).to.equal(true);
    const [held] = graph.relationshipsOf(PARTNER_TENANT).filter((r) => r.displayName === "PD-global");
    expect(held).to.deep.include({ autoExtendDuration: "PT0S", roleDefinitionIds: [ROLE.globalAdministrator] });
  });

  it("refuses to send again a request whose relationship is already past approval in Microsoft", async () => {
    graph.seed(PARTNER_TENANT, { displayName: "PD-active", customer: { tenantId: CUSTOMER }, status: "active" });
    const result = await requestRelationship(client(), request("PD-active"), clock);
    expect(result).to.deep.include({ ok: false, code: MICROSOFT_ERRORS.requestAlreadyDecided });
  });
});
