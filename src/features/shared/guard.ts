import { can, type Action } from "../../domain/policies.js";
import { fail, type Failure } from "../../domain/result.js";
import { ROLE } from "../../domain/roles.js";
import type { FeatureContext } from "../types.js";
import { fill } from "./text.js";

export const POLICY_ERRORS = { missingRole: "POLICY.MISSING_ROLE", otherTenant: "POLICY.OTHER_TENANT" } as const;

/**
 * Checks the policy for the acting user against the tenant that owns the target. Returns a Failure whose
 * message says which role is needed and who in the organization has it; nothing is changed.
 */
export async function authorize(ctx: FeatureContext, action: Action, targetTenantId: string = ctx.identity.tenantId): Promise<Failure | undefined> {
  const roles = await ctx.roles();
  const decision = can({ ...ctx.identity, roles }, action, { tenantId: targetTenantId });
  if (decision.allowed) return undefined;
  if (decision.reason === "OTHER_TENANT") return fail(POLICY_ERRORS.otherTenant, ctx.strings.errors.unknownAction);
  const s = ctx.strings;
  const admins = await adminNames(ctx);
  const who = admins.length > 0 ? fill(s.errors.askAdmins, { names: admins.join(", ") }) : s.errors.askAnAdmin;
  return fail(POLICY_ERRORS.missingRole, `${fill(s.errors.missingRole, { action: s.errors.actions[action] })} ${who}`, { action });
}

/** Known Global/Billing administrators of the tenant (from the role assignment table), at most five. */
async function adminNames(ctx: FeatureContext): Promise<string[]> {
  const assignments = await ctx.services.repos.roleAssignments.listForTenant(ctx.identity.tenantId);
  const names = assignments
    .filter((a) => a.roleId === ROLE.globalAdministrator || a.roleId === ROLE.billingAdministrator)
    .map((a) => a.userName)
    .filter((n): n is string => !!n);
  return [...new Set(names)].sort().slice(0, 5);
}
