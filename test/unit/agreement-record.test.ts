import { expect } from "chai";
import {
  AcceptanceSchema,
  AgreementSchema,
  MCA_TEMPLATE_ID,
  MCA_TYPE,
  partnerCenterAgreementOf,
  PartnerCenterAgreementSchema,
  type Agreement,
  type PrimaryContact,
} from "../../src/domain/agreement.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import { InvitationSchema } from "../../src/domain/invitation.js";
import { RelationshipSchema } from "../../src/domain/relationship.js";
import { acceptAgreement, acceptInvitation } from "../../src/domain/transitions.js";

/**
 * An acceptance is stored with Partner Center's Agreement record (primaryContact, dateAgreed, templateId, type,
 * agreementLink), so the partner can confirm it there exactly as the customer's admin gave it.
 */
const NOW = "2026-03-10T09:00:00.000Z";
const TENANT = "11111111-2222-3333-4444-555555555555";
const PARTNER = "contoso-cloud-partners";
const AGREEMENT: Agreement = AgreementSchema.parse({
  version: "MCA-2026-01",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "a".repeat(64),
  effectiveFrom: "2026-01-01T00:00:00.000Z",
  templateId: "0b1c2d3e-0000-4000-8000-000000000001",
});
const CONTACT: PrimaryContact = { firstName: "Ada", lastName: "Lovelace", email: "ada@fabrikam.example" };
const ctx = (): DecisionContext => {
  let n = 0;
  return { tenantId: TENANT, actor: { userId: "u-1", name: "Ada Lovelace" }, now: NOW, correlationId: "c-1", newId: () => `id-${++n}` };
};
const OLD_ROW = {
  id: "acc-1",
  tenantId: TENANT,
  agreementVersion: "2024-06",
  partnerId: PARTNER,
  acceptedBy: { userId: "u-1", name: "Ada Lovelace" },
  acceptedAt: "2025-01-01T10:00:00.000Z",
};

describe("the acceptance in Partner Center's Agreement shape", () => {
  const invitation = InvitationSchema.parse({
    id: "INV-1",
    tenantId: TENANT,
    partnerId: PARTNER,
    partnerName: "Contoso",
    relationshipTypes: ["reseller"],
    roles: [],
    durationDays: 30,
    message: "",
    status: "pending",
    createdAt: "2026-03-01T08:00:00.000Z",
    expiresAt: "2026-05-30T08:00:00.000Z",
  });
  const relationship = RelationshipSchema.parse({
    tenantId: TENANT,
    partnerId: PARTNER,
    partnerName: "Contoso",
    types: ["reseller"],
    roles: [],
    agreement: { status: "notAccepted" },
    status: "active",
    since: "2025-06-01T12:00:00.000Z",
  });
  const accepted = {
    "accepting an invitation": () => {
      const r = acceptInvitation(invitation, undefined, AGREEMENT, CONTACT, ctx());
      if (!r.ok) throw new Error(r.code);
      return r.value.acceptance;
    },
    "accepting the agreement alone": () => {
      const r = acceptAgreement(relationship, AGREEMENT, CONTACT, ctx());
      if (!r.ok) throw new Error(r.code);
      return r.value.acceptance;
    },
  };

  for (const [path, accept] of Object.entries(accepted)) {
    it(`${path} records exactly Partner Center's fields: the admin as primary contact, the time, the template, the type, the link`, () => {
      const acceptance = accept();
      expect(partnerCenterAgreementOf(acceptance)).to.deep.equal({
        primaryContact: CONTACT,
        dateAgreed: NOW,
        templateId: AGREEMENT.templateId,
        type: "MicrosoftCustomerAgreement",
        agreementLink: AGREEMENT.url,
      });
      expect(acceptance).to.include({ agreementVersion: "MCA-2026-01", partnerId: PARTNER, acceptedAt: NOW });
      expect(AcceptanceSchema.parse(acceptance)).to.deep.equal(acceptance, "it is stored as it is made");
    });
  }

  it("reads an acceptance stored before the record existed, with no Partner Center record to show", () => {
    const old = AcceptanceSchema.parse(OLD_ROW);
    expect(old).to.deep.equal(OLD_ROW);
    expect(partnerCenterAgreementOf(old)).to.equal(undefined);
  });

  it("refuses a new row missing one Partner Center field instead of reading it as an old one", () => {
    const recorded = accepted["accepting an invitation"]();
    const { agreementLink: _dropped, ...partial } = recorded;
    expect(AcceptanceSchema.safeParse(partial).success).to.equal(false);
    expect(AcceptanceSchema.safeParse({ ...recorded, type: "MicrosoftCloudAgreement" }).success).to.equal(false);
  });

  it("takes dateAgreed only in UTC, and the contact's email only when it is one", () => {
    const record = partnerCenterAgreementOf(accepted["accepting the agreement alone"]())!;
    expect(PartnerCenterAgreementSchema.safeParse({ ...record, dateAgreed: "2026-03-10T10:00:00+01:00" }).success).to.equal(false);
    expect(
      PartnerCenterAgreementSchema.safeParse({ ...record, primaryContact: { ...CONTACT, email: "ada at fabrikam" } }).success,
    ).to.equal(false);
    expect(
      PartnerCenterAgreementSchema.safeParse({ ...record, primaryContact: { ...CONTACT, phoneNumber: "+46 8 123 45" } }).success,
    ).to.equal(true, "the phone number is optional but kept when given");
  });

  it("reads an agreement row stored without a templateId as Partner Center's documented MCA template", () => {
    const { templateId: _none, ...old } = AGREEMENT;
    expect(AgreementSchema.parse(old).templateId).to.equal(MCA_TEMPLATE_ID);
    expect(MCA_TEMPLATE_ID).to.equal("117a77b0-9360-443b-8795-c6dedc750cf9");
    expect(MCA_TYPE).to.equal("MicrosoftCustomerAgreement");
  });
});
