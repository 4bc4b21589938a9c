import { z } from "zod";
import { PersonSchema } from "./person.js";

/** Partner Center's agreement `type` for the Microsoft Customer Agreement (its other type is the older Cloud Agreement). */
export const MCA_TYPE = "MicrosoftCustomerAgreement";

/**
 * The MCA's `templateId`, as Partner Center's "Get agreement metadata for the Microsoft Customer Agreement"
 * (`GET /v1/agreements?agreementType=MicrosoftCustomerAgreement`) documents it. Partner Center wants it in every
 * confirmation of a customer's acceptance; an agreement row stored before the field existed reads as this one.
 */
export const MCA_TEMPLATE_ID = "117a77b0-9360-443b-8795-c6dedc750cf9";

/** A version of the Microsoft Customer Agreement. */
export const AgreementSchema = z.object({
  version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  title: z.string().min(1),
  url: z.url(),
  contentHash: z.string().regex(/^[a-f0-9]{64}$/),
  effectiveFrom: z.iso.datetime(),
  templateId: z.string().min(1).max(64).default(MCA_TEMPLATE_ID),
});
export type Agreement = z.infer<typeof AgreementSchema>;

/**
 * Partner Center's `Contact` as its Agreement resource uses it: the person of the customer organization who
 * accepted. First name, last name and email are required there; the phone number is optional.
 */
export const PrimaryContactSchema = z.object({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  phoneNumber: z.string().trim().min(1).max(50).optional(),
});
export type PrimaryContact = z.infer<typeof PrimaryContactSchema>;

/**
 * Partner Center's Agreement resource, field for field (less `userId`, which Partner Center takes from the
 * partner user's token): what a partner enters to confirm the customer's acceptance of the MCA.
 */
export const PartnerCenterAgreementSchema = z.object({
  primaryContact: PrimaryContactSchema,
  /** When the customer accepted, in UTC ("Z"; no other offset parses). */
  dateAgreed: z.iso.datetime(),
  templateId: z.string().min(1).max(64),
  type: z.literal(MCA_TYPE),
  agreementLink: z.url(),
});
export type PartnerCenterAgreement = z.infer<typeof PartnerCenterAgreementSchema>;

/** Who accepted which agreement version for which partner, and when (what Partner Desk recorded from the start). */
const AcceptanceFactsSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  agreementVersion: z.string().min(1),
  partnerId: z.string().min(1),
  acceptedBy: PersonSchema,
  acceptedAt: z.iso.datetime(),
});

/** An acceptance as recorded now: the facts and Partner Center's Agreement record. */
export const RecordedAcceptanceSchema = AcceptanceFactsSchema.extend(PartnerCenterAgreementSchema.shape);
export type RecordedAcceptance = z.infer<typeof RecordedAcceptanceSchema>;

/**
 * An acceptance row: recorded now, or from before Partner Desk asked for the contact details (exactly the old
 * fields, so a new row missing a Partner Center field is a corrupt row, never read as an old one).
 */
export const AcceptanceSchema = z.union([RecordedAcceptanceSchema, AcceptanceFactsSchema.strict()]);
export type Acceptance = z.infer<typeof AcceptanceSchema>;

/** Partner Center's Agreement record of an acceptance; none for one recorded before Partner Desk kept it. */
export function partnerCenterAgreementOf(acceptance: Acceptance): PartnerCenterAgreement | undefined {
  if (!("primaryContact" in acceptance)) return undefined;
  const { primaryContact, dateAgreed, templateId, type, agreementLink } = acceptance;
  return { primaryContact, dateAgreed, templateId, type, agreementLink };
}

/** What a decision knows when someone accepts: the acceptance's id, where, for which partner, who and when. */
export interface AcceptingNow {
  id: string;
  tenantId: string;
  partnerId: string;
  actor: { userId: string; name: string };
  now: string;
}

/** The acceptance of `agreement` by `contact` (the admin accepting, as Partner Center wants them), now. */
export function recordAcceptance(accepting: AcceptingNow, agreement: Agreement, contact: PrimaryContact): RecordedAcceptance {
  return {
    id: accepting.id,
    tenantId: accepting.tenantId,
    agreementVersion: agreement.version,
    partnerId: accepting.partnerId,
    acceptedBy: accepting.actor,
    acceptedAt: accepting.now,
    primaryContact: contact,
    dateAgreed: accepting.now,
    templateId: agreement.templateId,
    type: MCA_TYPE,
    agreementLink: agreement.url,
  };
}
