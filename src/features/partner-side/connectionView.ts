import type { Banner, Fact } from "../../cards/models.js";
import type { Partner } from "../../domain/partner.js";
import type { PartnerConnection } from "../../domain/partnerConnection.js";
import type { Failure } from "../../domain/result.js";
import { GDAP_ERROR, PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID } from "../../microsoft/gdap/errors.js";
import { fill, formatDate, simulationLabel } from "../cardText.js";
import { MICROSOFT_ERRORS } from "../ports.js";
import type { ViewContext } from "../types.js";

export interface ConnectionView {
  partner: Partner;
  partnerTenantId: string;
  connection: PartnerConnection | undefined;
  /** The admin-consent link for the partner's tenant; undefined in local mode. */
  consentUrl: string | undefined;
  banner: Banner | null;
}

/** The "Connect to Microsoft" card: what connecting means and needs, the consent link, check and disconnect. */
export function connectionCard(ctx: ViewContext, view: ConnectionView) {
  const s = ctx.strings.partnerSide.connection;
  const connected = view.connection?.status === "connected";
  return ctx.card("partnerConnection", {
    title: fill(s.title, { partner: view.partner.name }),
    statusText: statusText(ctx, view.connection),
    statusColor: connected ? "Good" : "Default",
    points: [s.pointCreate, s.pointRead, s.pointCarryOut].map((text) => ({ text })),
    facts: facts(ctx, view),
    consentUrl: view.consentUrl ?? "",
    consentHint: view.consentUrl ? s.consentHint : s.consentHintLocal,
    connected,
    banner: view.banner,
    simulationLabel: simulationLabel(ctx),
  });
}

function statusText(ctx: ViewContext, connection: PartnerConnection | undefined): string {
  const s = ctx.strings.partnerSide.connection;
  if (connection?.status === "disconnected") return s.disconnected;
  if (connection?.status !== "connected") return s.notConnected;
  const count = connection.relationshipsVisible ?? 0;
  return count === 1 ? s.connectedOne : fill(s.connected, { count });
}

function facts(ctx: ViewContext, view: ConnectionView): Fact[] {
  const s = ctx.strings.partnerSide.connection;
  const list: Fact[] = [
    { title: s.permission, value: s.permissionValue },
    { title: s.servicePrincipal, value: fill(s.servicePrincipalValue, { appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID }) },
    { title: s.yourTenant, value: view.partnerTenantId },
  ];
  const c = view.connection;
  if (c) {
    const when = formatDate(c.checkedAt, ctx.identity.locale);
    list.push({ title: s.lastChecked, value: fill(s.lastCheckedValue, { when, who: c.checkedBy.name }) });
  }
  return list;
}

/** The banner after a successful check: how many relationships Graph showed. */
export function connectedBanner(ctx: ViewContext, relationships: number): Banner {
  const s = ctx.strings.partnerSide.connection;
  return { text: relationships === 1 ? s.connectedOne : fill(s.connected, { count: relationships }), style: "good" };
}

/**
 * What a refused check tells the partner: exactly what its tenant lacks (consent, the permission, the service
 * principal), that Partner Desk has no app here (local mode), or that Microsoft did not answer. Codes not named
 * below (an outage, an answer that did not parse) are all "try again": none of them is the partner's to fix.
 */
export function refusalBanner(ctx: ViewContext, failure: Failure): Banner {
  const s = ctx.strings.partnerSide.connection;
  const text: Record<string, string> = {
    [GDAP_ERROR.NO_CONSENT]: s.missingConsent,
    [GDAP_ERROR.PERMISSION_MISSING]: s.missingPermission,
    [GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]: fill(s.missingServicePrincipal, { appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID }),
    [GDAP_ERROR.TOKEN_REFUSED]: s.tokenRefused,
    [MICROSOFT_ERRORS.localMode]: s.localMode,
  };
  return { text: Object.hasOwn(text, failure.code) ? text[failure.code]! : s.unavailable, style: "attention" };
}
