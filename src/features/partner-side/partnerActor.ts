import type { Partner } from "../../domain/partner.js";
import { fail, ok, type Result } from "../../domain/result.js";
import type { Ports } from "../ports.js";
import type { FeatureContext } from "../types.js";

/** A partner contact's cards read the directory, the customer's requests and relationships, and decide. */
export type PartnerContext = FeatureContext<Pick<Ports, "partners" | "contactRequests" | "relationships" | "tenantNames" | "decisions">>;

export const PARTNER_ERRORS = { notAContact: "PARTNER.NOT_A_CONTACT", noLink: "PARTNER.NO_LINK" } as const;

/** The partner the acting user speaks for: only users listed as a directory partner's contacts act as partners. */
export async function actingPartner(ctx: FeatureContext<Pick<Ports, "partners">>): Promise<Result<Partner>> {
  const partner = await ctx.ports.partners.partnerOfContact(ctx.identity.tenantId, ctx.identity.userId);
  return partner ? ok(partner) : fail(PARTNER_ERRORS.notAContact, ctx.strings.partnerSide.notAContact);
}

/**
 * A partner may act for a customer only where a link exists: a contact request from that customer naming
 * it, or a relationship between them. Checked before anything of the customer's is shown or written.
 */
export async function linkedToCustomer(
  ctx: PartnerContext,
  partner: Partner,
  customerTenantId: string,
  contactRequestId?: string,
): Promise<boolean> {
  if (contactRequestId) {
    const request = await ctx.ports.contactRequests.get(customerTenantId, contactRequestId);
    if (request?.value.partnerIds.includes(partner.id)) return true;
  }
  const relationship = await ctx.ports.relationships.get(customerTenantId, partner.id);
  return relationship !== undefined && relationship.value.status !== "terminated";
}
