import { formatMessage } from "../../cards/messages.js";
import type { ActionModel, Fact } from "../../cards/models.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Strings } from "../../cards/strings.js";
import type { Notification } from "../../domain/notification.js";
import { ROLE } from "../../domain/roles.js";
import { formatDate, roleNames } from "../cardText.js";
import { VERBS } from "../verbs.js";

type Notice = (
  title: string,
  message: string,
  options?: { facts?: Fact[]; detailsTitle?: string; details?: string; actions?: ActionModel[]; fromMicrosoft?: boolean },
) => AdaptiveCardJson;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * The partner's card of a customer's request to extend: what ends when, the customer's message, the rules in plain
 * words, and the answers the relationship allowed when asked (a new invitation always; auto-extension only without
 * Global administrator, active, connected).
 */
export function extensionRequestedCard(n: Notification, s: Strings, customer: string, locale: string, notice: Notice): AdaptiveCardJson {
  const t = s.extension;
  const p = n.payload;
  const roles = list(p["roles"]);
  const endsAt = str(p["endsAt"]);
  const expired = str(p["status"]) === "expired";
  const globalAdmin = roles.some((r) => r.toLowerCase() === ROLE.globalAdministrator);
  const intro = expired
    ? formatMessage(s, t.requestExpired, { customer })
    : endsAt
      ? formatMessage(s, t.request, { customer, date: formatDate(endsAt, locale) })
      : formatMessage(s, t.requestNoEnd, { customer });
  const rules = globalAdmin ? t.requestGlobalAdmin : formatMessage(s, t.requestRules, { customer });
  const actions: ActionModel[] = [
    { title: t.answerInvitation, verb: VERBS.partnerSide.invitationForm, data: { customerTenantId: n.tenantId, extend: true } },
  ];
  if (p["autoExtendPossible"] === true && !expired && !globalAdmin)
    actions.push({ title: t.answerAutoExtend, verb: VERBS.partnerSide.autoExtend, data: { customerTenantId: n.tenantId } });
  const facts: Fact[] = [
    { title: t.roles, value: roleNames(roles, s) },
    ...(endsAt ? [{ title: t.ends, value: formatDate(endsAt, locale) }] : []),
  ];
  const message = str(p["message"]);
  return notice(formatMessage(s, t.requestTitle, { customer }), `${intro} ${rules}`, {
    facts,
    ...(message ? { detailsTitle: t.theirMessage, details: message } : {}),
    actions,
  });
}

/** The customer's admins learn here that Microsoft turned auto-extension on: Microsoft sends no email about it. */
export function autoExtensionOnCard(n: Notification, s: Strings, notice: Notice): AdaptiveCardJson {
  const partner = str(n.payload["partnerName"]);
  return notice(formatMessage(s, s.extension.autoExtendedTitle, { partner }), formatMessage(s, s.extension.autoExtended, { partner }), {
    fromMicrosoft: true,
  });
}
