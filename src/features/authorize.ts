import { ADMIN_ROLES_FOR_DECISIONS, can, type Action } from "../domain/policies.js";
import { formatMessage } from "../cards/messages.js";
import { writingLocale } from "../cards/strings.js";
import { fail, type Failure } from "../domain/result.js";
import type { Ports } from "./ports.js";
import type { FeatureContext } from "./types.js";

/** Authorizing reads the actor's roles and, to name whom to ask, the tenant's role holders. */
export type AuthorizeContext = FeatureContext<Pick<Ports, "roleHolders">>;

export const POLICY_ERRORS = { missingRole: "POLICY.MISSING_ROLE", otherTenant: "POLICY.OTHER_TENANT" } as const;

/**
 * Checks the policy for the acting user against the tenant that owns the target. Returns a Failure whose
 * message says which role is needed and who in the organization has it; nothing is changed.
 */
export async function authorize(
  ctx: AuthorizeContext,
  action: Action,
  targetTenantId: string = ctx.identity.tenantId,
): Promise<Failure | undefined> {
  const roles = await ctx.roles();
  const decision = can({ ...ctx.identity, roles }, action, { tenantId: targetTenantId });
  if (decision.allowed) return undefined;
  if (decision.reason === "OTHER_TENANT") return fail(POLICY_ERRORS.otherTenant, ctx.strings.errors.unknownAction);
  const s = ctx.strings;
  return fail(
    POLICY_ERRORS.missingRole,
    `${formatMessage(s, s.errors.missingRole, { action: s.errors.onlyAdminsCan[action] })} ${await whomToAsk(ctx)}`,
    {
      action,
    },
  );
}

/** "Ask Ada Admin or Bea Billing.": the tenant's admins by name, or where to find them when none can be named. */
export async function whomToAsk(ctx: AuthorizeContext): Promise<string> {
  const s = ctx.strings;
  const admins = await adminNames(ctx);
  return admins.length > 0 ? formatMessage(s, s.errors.askAdmins, { names: orList(admins, ctx.identity.locale) }) : s.errors.askAnAdmin;
}

/** "A, B or C" in the language of the sentence it goes in; a locale the runtime does not know falls back to English. */
function orList(names: readonly string[], locale: string): string {
  try {
    return new Intl.ListFormat(writingLocale(locale), { type: "disjunction" }).format(names);
  } catch {
    return new Intl.ListFormat("en", { type: "disjunction" }).format(names);
  }
}

/**
 * A refusal sits on the invoke path, after the role lookup: Teams retries an invoke not answered within a few
 * seconds, so the names get a short budget of their own. A slower lookup goes on and fills the role cache for
 * the next refusal; this one asks for "an administrator".
 */
const NAMES_BUDGET_MS = 800;

/**
 * The tenant's Global and Billing administrators by name (Graph, or the role table where Graph is not consented),
 * at most five. Naming them is a courtesy: if the lookup fails or is slow, the refusal still stands and asks for
 * "an administrator" instead of failing or delaying the turn.
 */
async function adminNames(ctx: AuthorizeContext): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<readonly string[]>((resolve) => (timer = setTimeout(() => resolve([]), NAMES_BUDGET_MS)));
  try {
    const names = await Promise.race([ctx.ports.roleHolders.holdersOf(ctx.identity.tenantId, ADMIN_ROLES_FOR_DECISIONS), late]);
    return names.slice(0, 5);
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}
