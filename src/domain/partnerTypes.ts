import { z } from "zod";

/** The seven partner types of the admin center's procedure; their plain-language meaning lives in the strings files. */
export const PARTNER_TYPES = [
  "reseller",
  "delegatedAdministrator",
  "resellerAndDelegatedAdministrator",
  "partner",
  "advisor",
  "mpsaPartner",
  "lobPartner",
] as const;

export const PartnerTypeSchema = z.enum(PARTNER_TYPES);
export type PartnerType = z.infer<typeof PartnerTypeSchema>;

/** Types that hand the partner admin roles in the customer's directory. */
export const ADMIN_PARTNER_TYPES: ReadonlySet<PartnerType> = new Set([
  "delegatedAdministrator",
  "resellerAndDelegatedAdministrator",
  "advisor",
]);
