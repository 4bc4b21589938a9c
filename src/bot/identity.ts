import type { Activity } from "botbuilder";
import type { Config } from "../config.js";
import { DEMO } from "../demo/constants.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Identity } from "../features/types.js";

export const IDENTITY_ERRORS = { noTenant: "IDENTITY.NO_TENANT", tenantNotAllowed: "IDENTITY.TENANT_NOT_ALLOWED" } as const;

/**
 * Who is acting comes from the activity the channel signed (aadObjectId, tenant), never from card data.
 * In local mode the Emulator has no Entra identity, so its users play the demo admin, the demo partner
 * contact when their user id is DEMO_PARTNER_USER_ID, or a demo member without roles ("demo-member").
 */
export function identify(activity: Partial<Activity>, config: Pick<Config, "localMode" | "allowedTenants" | "demo">): Result<Identity> {
  const locale = typeof activity.locale === "string" ? activity.locale : "en-US";
  const sentTenant: unknown = activity.conversation?.tenantId;
  // A tenant that is there but not a string is a malformed identity: refuse rather than guess from elsewhere.
  if (sentTenant !== undefined && sentTenant !== null && typeof sentTenant !== "string") return fail(IDENTITY_ERRORS.noTenant, "conversation.tenantId is not a string");
  const name = activity.from?.name ?? "";
  const channelData = (activity.channelData ?? {}) as { tenant?: { id?: unknown } };
  let tenantId = activity.conversation?.tenantId ?? (typeof channelData.tenant?.id === "string" ? channelData.tenant.id : undefined);
  let userId = activity.from?.aadObjectId;

  if ((!tenantId || !userId) && config.localMode && activity.channelId !== "msteams") {
    const fromId = activity.from?.id;
    const demo = fromId === config.demo.partnerUserId ? DEMO.partnerContact : fromId === DEMO.member.emulatorUserId ? DEMO.member : DEMO.admin;
    tenantId = demo.tenantId;
    userId = demo.userId;
  }
  if (!tenantId || !userId) return fail(IDENTITY_ERRORS.noTenant, "no tenant or user id on the activity");
  tenantId = tenantId.toLowerCase();
  if (config.allowedTenants && !config.allowedTenants.has(tenantId)) {
    return fail(IDENTITY_ERRORS.tenantNotAllowed, `tenant ${tenantId} is not in ALLOWED_TENANTS`);
  }
  return ok({ tenantId, userId, name: name || userId, locale });
}
