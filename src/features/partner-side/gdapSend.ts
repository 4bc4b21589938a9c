import type { Banner, Fact } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import { gdapDisplayName, type GdapRequestKey, type MicrosoftSide } from "../../domain/microsoftSide.js";
import type { Partner } from "../../domain/partner.js";
import { ok, type Failure, type Result } from "../../domain/result.js";
import { GDAP_ERROR, PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID } from "../../microsoft/gdap/errors.js";

import { MICROSOFT_ERRORS, type Ports } from "../ports.js";
import type { FeatureContext, ViewContext } from "../types.js";

/** Sending reads the partner's connection and, when it is connected, asks Microsoft first. */
export type GdapSendContext = FeatureContext<Pick<Ports, "connections" | "microsoft">>;

export type AskedInvitation = Omit<GdapRequestKey, "partnerId" | "customerTenantId">;

/**
 * Microsoft's side of an invitation, made before anything is stored: for a connected partner that asks for
 * roles, its GDAP relationship in the partner's own tenant (found by the request's display name, or created,
 * and locked for approval). A partner that is not connected, or asks for no roles (nothing to approve in the
 * admin center), sends as before: `undefined`, Partner Desk's record only.
 */
export async function microsoftSideFor(
  ctx: GdapSendContext,
  partner: Pick<Partner, "id">,
  customer: { tenantId: string; name: string | undefined },
  asked: AskedInvitation,
): Promise<Result<MicrosoftSide | undefined>> {
  if (asked.roles.length === 0) return ok(undefined);
  // The partner's tenant is the acting contact's own, as the channel vouched for it: where it connected.
  const partnerTenantId = ctx.identity.tenantId;
  const connection = await ctx.ports.connections.get(partnerTenantId, partner.id);
  if (connection?.value.status !== "connected") return ok(undefined);
  const displayName = gdapDisplayName({ ...asked, partnerId: partner.id, customerTenantId: customer.tenantId });
  return ctx.ports.microsoft.requestRelationship(partnerTenantId, {
    displayName,
    customerTenantId: customer.tenantId,
    ...(customer.name ? { customerName: customer.name } : {}),
    roles: asked.roles,
    durationDays: asked.durationDays,
  });
}

/** What a refused GDAP request tells the partner: what happened, by code, and that nothing was sent or stored. */
export function gdapRefusalBanner(ctx: ViewContext, failure: Failure): Banner {
  const s = ctx.strings.partnerSide;
  const status = typeof failure.details?.["status"] === "string" ? failure.details["status"] : "";
  const texts: Record<string, string> = {
    [GDAP_ERROR.NO_CONSENT]: s.gdapRefusedConsent,
    [GDAP_ERROR.PERMISSION_MISSING]: s.gdapRefusedPermission,
    [GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]: formatMessage(s, s.gdapRefusedServicePrincipal, {
      appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID,
    }),
    [GDAP_ERROR.TOKEN_REFUSED]: s.gdapRefusedToken,
    [GDAP_ERROR.INVALID_REQUEST]: formatMessage(s, s.gdapInvalid, { reason: failure.message }),
    [GDAP_ERROR.DUPLICATE_NAME]: s.gdapNameTaken,
    [MICROSOFT_ERRORS.requestAlreadyDecided]: formatMessage(s, s.gdapAlreadyDecided, { status: gdapStatusText(ctx, status) }),
    [MICROSOFT_ERRORS.localMode]: s.connection.localMode,
  };
  const what = Object.hasOwn(texts, failure.code) ? texts[failure.code]! : s.gdapUnavailable;
  return { text: `${what} ${s.gdapNothingSent}`, style: "attention" };
}

/** A GDAP status in plain words ("waiting for approval"); Graph's own word for a status we have no text for. */
export function gdapStatusText(ctx: ViewContext, status: string): string {
  const texts = ctx.strings.gdapStatuses as Record<string, string>;
  return Object.hasOwn(texts, status) ? texts[status]! : status;
}

/** The relationship in Microsoft, as facts on the partner's cards. */
export function gdapFacts(ctx: ViewContext, side: MicrosoftSide): Fact[] {
  const s = ctx.strings.partnerSide;
  return [
    { title: s.gdapRelationship, value: side.displayName },
    { title: s.gdapStatus, value: gdapStatusText(ctx, side.status) },
  ];
}
