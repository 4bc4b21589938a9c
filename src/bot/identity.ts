import type { Activity } from "botbuilder";
import { fail, ok, type Result } from "../domain/result.js";
import type { Identity } from "../features/types.js";
import { boundDisplayName } from "../http/readActivity.js";

export const IDENTITY_ERRORS = { noTenant: "IDENTITY.NO_TENANT", tenantNotAllowed: "IDENTITY.TENANT_NOT_ALLOWED" } as const;

/**
 * Who a local client's user (the Emulator or Agents Playground: no Entra identity) plays, by their channel
 * user id. The composition root passes the demo's people in local mode and nothing otherwise, so the identity
 * edge never knows the demo exists.
 */
export type LocalIdentities = (channelUserId: string | undefined) => { tenantId: string; userId: string };

export interface IdentityRules {
  /** Only these tenants may use the bot (lower-case ids); null allows every tenant. */
  allowedTenants: ReadonlySet<string> | null;
  /** Local mode only: who a user without an Entra identity plays. Absent, such a user is refused. */
  localIdentities?: LocalIdentities | undefined;
  /**
   * Local mode only: the tenant a local client's user really belongs to, by their Entra object id. Agents
   * Playground puts every user it plays in one tenant (its config's), so the demo's partner contact would arrive
   * in the customer's tenant; this puts them back in the partner's. Undefined keeps the tenant the activity says.
   */
  localTenantOf?: ((userId: string) => string | undefined) | undefined;
}

/**
 * Who is acting comes from the activity the channel signed (aadObjectId, tenant), never from card data.
 * Outside Teams, in local mode, a user without an Entra identity plays whoever `localIdentities` says.
 */
export function identify(activity: Partial<Activity>, rules: IdentityRules): Result<Identity> {
  const locale = typeof activity.locale === "string" ? activity.locale : "en-US";
  const sentTenant: unknown = activity.conversation?.tenantId;
  // A tenant that is there but not a string is a malformed identity: refuse rather than guess from elsewhere.
  if (sentTenant !== undefined && sentTenant !== null && typeof sentTenant !== "string")
    return fail(IDENTITY_ERRORS.noTenant, "conversation.tenantId is not a string");
  // Bounded again here (the HTTP edge already did): identity is what features store as the actor's name.
  const name = typeof activity.from?.name === "string" ? boundDisplayName(activity.from.name) : "";
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: unknown } };
  let tenantId = activity.conversation?.tenantId ?? (typeof channelData.tenant?.id === "string" ? channelData.tenant.id : undefined);
  let userId = activity.from?.aadObjectId;

  if ((!tenantId || !userId) && rules.localIdentities && activity.channelId !== "msteams") {
    const local = rules.localIdentities(activity.from?.id);
    tenantId = local.tenantId;
    userId = local.userId;
  }
  if (!tenantId || !userId) return fail(IDENTITY_ERRORS.noTenant, "no tenant or user id on the activity");
  tenantId = (rules.localTenantOf?.(userId) ?? tenantId).toLowerCase();
  if (rules.allowedTenants && !rules.allowedTenants.has(tenantId)) {
    return fail(IDENTITY_ERRORS.tenantNotAllowed, `tenant ${tenantId} is not in ALLOWED_TENANTS`);
  }
  const timeZone = timeZoneOf(activity);
  return ok({ tenantId, userId, name: name || userId, locale, ...(timeZone ? { timeZone } : {}) });
}

/**
 * The client's time zone: Teams sends `localTimezone` and a clientInfo entity with `timezone`. Both are client
 * input, so only a zone the runtime knows is kept; anything else leaves times in UTC.
 */
export function timeZoneOf(activity: Partial<Activity>): string | undefined {
  const clientInfo = (activity.entities ?? []).find((e) => e.type === "clientInfo") as { timezone?: unknown } | undefined;
  for (const candidate of [activity.localTimezone, clientInfo?.timezone]) {
    if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > 64) continue;
    try {
      return new Intl.DateTimeFormat("en", { timeZone: candidate }).resolvedOptions().timeZone;
    } catch {
      // not a zone this runtime knows: try the next source
    }
  }
  return undefined;
}
