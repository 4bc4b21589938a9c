import type { Banner, Fact } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { Partner } from "../../domain/partner.js";
import { CONNECTION_CHECK_OK, type PartnerConnection } from "../../domain/partnerConnection.js";
import type { Failure } from "../../domain/result.js";
import { GDAP_ERROR, PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID } from "../../microsoft/gdap/errors.js";
import { formatDate, simulationLabel } from "../cardText.js";
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
  const failing = connected && view.connection?.lastCheck !== CONNECTION_CHECK_OK;
  return ctx.card("partnerConnection", {
    title: formatMessage(s, s.title, { partner: view.partner.name }),
    statusText: statusText(ctx, view.connection),
    statusColor: failing ? "Attention" : connected ? "Good" : "Default",
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
  if (connection.lastCheck !== CONNECTION_CHECK_OK)
    return formatMessage(s, s.connectedButFailing, { reason: FAILING_REASONS(ctx)[connection.lastCheck] ?? connection.lastCheck });
  const count = connection.relationshipsVisible ?? 0;
  return formatMessage(s, s.connected, { count: count });
}

function facts(ctx: ViewContext, view: ConnectionView): Fact[] {
  const s = ctx.strings.partnerSide.connection;
  const list: Fact[] = [
    { title: s.permission, value: s.permissionValue },
    {
      title: s.servicePrincipal,
      value: formatMessage(s, s.servicePrincipalValue, { appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID }),
    },
    { title: s.yourTenant, value: view.partnerTenantId },
  ];
  const c = view.connection;
  if (c) {
    const when = formatDate(c.checkedAt, ctx.identity.locale);
    list.push({ title: s.lastChecked, value: formatMessage(s, s.lastCheckedValue, { when, who: c.checkedBy.name }) });
  }
  return list;
}

/** The banner after a successful check: how many relationships Graph showed. */
export function connectedBanner(ctx: ViewContext, relationships: number): Banner {
  const s = ctx.strings.partnerSide.connection;
  return { text: formatMessage(s, s.connected, { count: relationships }), style: "good" };
}

/** What the partner must fix, in a few words, for the status line of a connection whose last check was refused. */
const FAILING_REASONS = (ctx: ViewContext): Record<string, string> => {
  const s = ctx.strings.partnerSide.connection;
  return {
    [GDAP_ERROR.NO_CONSENT]: s.reasonConsent,
    [GDAP_ERROR.PERMISSION_MISSING]: s.reasonPermission,
    [GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]: s.reasonServicePrincipal,
    [GDAP_ERROR.TOKEN_REFUSED]: s.reasonToken,
  };
};

/** Refusals that say something about the partner's tenant (stored on a connected partner), not that Microsoft is busy. */
export const isPartnersToFix = (code: string): boolean =>
  code === GDAP_ERROR.NO_CONSENT ||
  code === GDAP_ERROR.PERMISSION_MISSING ||
  code === GDAP_ERROR.SERVICE_PRINCIPAL_MISSING ||
  code === GDAP_ERROR.TOKEN_REFUSED;

/**
 * What a refused check tells the partner: exactly what its tenant lacks (consent, the permission, the service
 * principal), that Partner Desk has no app here (local mode), or that Microsoft did not answer. Codes not named
 * below (an outage, an answer that did not parse) are all "try again": none of them is the partner's to fix.
 */
export function refusalBanner(ctx: ViewContext, failure: Failure, recorded = false): Banner {
  const s = ctx.strings.partnerSide.connection;
  // A connected partner's refusal was stored: its cards now say the connection needs attention, so "Nothing was
  // changed" would be untrue. Partner Desk still changed nothing in Microsoft 365.
  if (recorded)
    return {
      text: formatMessage(s, s.checkFailedRecorded, { reason: FAILING_REASONS(ctx)[failure.code] ?? failure.code }),
      style: "attention",
    };
  const text: Record<string, string> = {
    [GDAP_ERROR.NO_CONSENT]: s.missingConsent,
    [GDAP_ERROR.PERMISSION_MISSING]: s.missingPermission,
    [GDAP_ERROR.SERVICE_PRINCIPAL_MISSING]: formatMessage(s, s.missingServicePrincipal, {
      appId: PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID,
    }),
    [GDAP_ERROR.TOKEN_REFUSED]: s.tokenRefused,
    [MICROSOFT_ERRORS.localMode]: s.localMode,
  };
  return { text: Object.hasOwn(text, failure.code) ? text[failure.code]! : s.unavailable, style: "attention" };
}
