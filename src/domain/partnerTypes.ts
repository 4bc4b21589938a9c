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

/** Roles are granted only with a type that gets admin roles; a Reseller (or Partner, MPSA, LOB) alone gets none. */
export const allowsAdminRoles = (types: readonly PartnerType[]): boolean => types.some((type) => ADMIN_PARTNER_TYPES.has(type));

/**
 * The types of a relationship after another invitation from the same partner: each type once, and Reseller or
 * Delegated administrator not beside Reseller & delegated administrator, which already means both; in the
 * procedure's order.
 */
export function mergeTypes(held: readonly PartnerType[], added: readonly PartnerType[]): PartnerType[] {
  const all = new Set([...held, ...added]);
  if (all.has("resellerAndDelegatedAdministrator")) {
    all.delete("reseller");
    all.delete("delegatedAdministrator");
  }
  return PARTNER_TYPES.filter((type) => all.has(type));
}
