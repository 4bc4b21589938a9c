import { GDAP_ERROR, gdapFailure, type GdapFailure } from "./errors.js";
import { IsoDurationSchema } from "./schemas.js";

/** Global Administrator's role template id: auto-extension is not allowed when it is among the roles. */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = "62e90394-69f5-4237-9190-012177145e10";

/** The documented limits of a new relationship ("Create delegatedAdminRelationship"). */
export const GDAP_LIMITS = { displayNameMaxLength: 50, minDays: 1, maxDays: 730 } as const;

/** `autoExtendDuration` values Graph supports: P0D and PT0S (never extended) and P180D. */
export const AUTO_EXTEND_VALUES = ["PT0S", "P0D", "P180D"] as const;
export type GdapAutoExtend = (typeof AUTO_EXTEND_VALUES)[number];

export interface NewGdapRelationship {
  /** The idempotency key: unique among the partner's relationships, at most 50 characters. */
  displayName: string;
  /** ISO 8601, between P1D and P2Y (730 days). */
  duration: string;
  customer: { tenantId: string; displayName?: string };
  roleDefinitionIds: readonly string[];
  /** Defaults to PT0S with Global Administrator among the roles (P180D is refused with it), else P180D. */
  autoExtendDuration?: GdapAutoExtend;
}

/**
 * The length of an ISO 8601 duration in days, or undefined for one with a time part other than zero or with
 * months (whose length in days depends on the start date). P2Y counts as 730 days, as Microsoft's own limit is.
 */
export function durationDays(duration: string): number | undefined {
  if (!IsoDurationSchema.safeParse(duration).success) return undefined;
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(.*))?$/.exec(duration);
  if (!match || (match[2] && Number(match[2]) !== 0)) return undefined;
  if (match[5] !== undefined && !/^(0+H)?(0+M)?(0+(\.0+)?S)?$/.test(match[5])) return undefined;
  return Number(match[1] ?? 0) * 365 + Number(match[3] ?? 0) * 7 + Number(match[4] ?? 0);
}

/** The auto-extension a new relationship gets: PT0S when Global Administrator is asked for, otherwise P180D. */
export function defaultAutoExtend(roleDefinitionIds: readonly string[]): GdapAutoExtend {
  return roleDefinitionIds.some((id) => id.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID) ? "PT0S" : "P180D";
}

/** The documented rules, checked before anything is sent: a refusal names the rule. */
export function invalidNewRelationship(input: NewGdapRelationship): GdapFailure | undefined {
  const invalid = (message: string) => gdapFailure(GDAP_ERROR.INVALID_REQUEST, message);
  const name = input.displayName.trim();
  if (name.length === 0) return invalid("a relationship needs a display name");
  if (input.displayName.length > GDAP_LIMITS.displayNameMaxLength)
    return invalid(`the display name has ${input.displayName.length} characters; Graph allows at most ${GDAP_LIMITS.displayNameMaxLength}`);
  const days = durationDays(input.duration);
  if (days === undefined || days < GDAP_LIMITS.minDays || days > GDAP_LIMITS.maxDays)
    return invalid(`the duration ${input.duration} is not between P1D and P2Y (730 days)`);
  if (input.roleDefinitionIds.length === 0) return invalid("a relationship needs at least one role");
  const autoExtend = input.autoExtendDuration ?? defaultAutoExtend(input.roleDefinitionIds);
  if (autoExtend === "P180D" && defaultAutoExtend(input.roleDefinitionIds) === "PT0S")
    return invalid("auto-extension (P180D) is not allowed when Global Administrator is among the roles");
  return undefined;
}
