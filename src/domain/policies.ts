import type { Actor } from "./identity.js";
import { ROLE, type RoleTemplateId } from "./roles.js";

export type Action =
  | "invitation.read"
  | "invitation.accept"
  | "invitation.decline"
  | "relationship.read"
  | "relationship.removeRoles"
  | "relationship.end"
  | "agreement.accept"
  | "directory.contact"
  | "partnerTypes.read"
  | "demoStory.reset"
  | "audit.export"
  /** The tenant's own rules (four-eyes for Global administrator): reading them too is for the admins who decide. */
  | "settings.change"
  | "partnerAccess.review"
  | "relationship.askExtension";

/**
 * The procedure reserves decisions to these two roles. Reading the tenant's invitations and relationships
 * (who holds admin access) and contacting partners on the organization's behalf are reserved to them too;
 * what partner types mean is public knowledge.
 */
export const ADMIN_ROLES_FOR_DECISIONS: readonly RoleTemplateId[] = [ROLE.globalAdministrator, ROLE.billingAdministrator];

const openToEveryone: ReadonlySet<Action> = new Set(["partnerTypes.read"]);

export type Decision =
  { allowed: true } | { allowed: false; reason: "OTHER_TENANT" | "MISSING_ROLE"; requiredRoles: readonly RoleTemplateId[] };

/** Pure policy: may this actor do this to something owned by targetTenantId? Nobody acts across tenants. */
export function can(actor: Actor, action: Action, target: { tenantId: string }): Decision {
  if (actor.tenantId.toLowerCase() !== target.tenantId.toLowerCase()) {
    return { allowed: false, reason: "OTHER_TENANT", requiredRoles: [] };
  }
  if (openToEveryone.has(action)) return { allowed: true };
  const holds = actor.roles.some((role) => ADMIN_ROLES_FOR_DECISIONS.includes(role));
  return holds ? { allowed: true } : { allowed: false, reason: "MISSING_ROLE", requiredRoles: ADMIN_ROLES_FOR_DECISIONS };
}
