import type { Actor } from "./identity.js";
import { ROLE, type RoleTemplateId } from "./roles.js";

export type Action = "invitation.accept" | "invitation.decline" | "relationship.removeRoles" | "relationship.end" | "agreement.accept" | "partnerTypes.read";

/** Actions that change the tenant's partner relationships: the procedure reserves them for these two roles. */
export const ADMIN_ROLES_FOR_DECISIONS: readonly RoleTemplateId[] = [ROLE.globalAdministrator, ROLE.billingAdministrator];

const decisionActions: ReadonlySet<Action> = new Set(["invitation.accept", "invitation.decline", "relationship.removeRoles", "relationship.end", "agreement.accept"]);

export type Decision = { allowed: true } | { allowed: false; reason: "OTHER_TENANT" | "MISSING_ROLE"; requiredRoles: readonly RoleTemplateId[] };

/** Pure policy: may this actor do this to something owned by targetTenantId? Nobody acts across tenants. */
export function can(actor: Actor, action: Action, target: { tenantId: string }): Decision {
  if (actor.tenantId.toLowerCase() !== target.tenantId.toLowerCase()) {
    return { allowed: false, reason: "OTHER_TENANT", requiredRoles: [] };
  }
  if (!decisionActions.has(action)) return { allowed: true };
  const holds = actor.roles.some((role) => ADMIN_ROLES_FOR_DECISIONS.includes(role));
  return holds ? { allowed: true } : { allowed: false, reason: "MISSING_ROLE", requiredRoles: ADMIN_ROLES_FOR_DECISIONS };
}
