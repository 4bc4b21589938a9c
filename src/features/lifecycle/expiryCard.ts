import type { Fact } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Strings } from "../../cards/strings.js";
import { expiryWording } from "../../domain/expiryWarning.js";
import type { Notification } from "../../domain/notification.js";
import { formatDate, roleNames } from "../cardText.js";
import type { ViewContext } from "../types.js";

/** What the card needs of the notification being rendered (notificationCards.ts hands it over). */
export interface ExpiryCardInput {
  n: Notification;
  s: Strings;
  /** The customer's name as partners see it. */
  customer: string;
  recipient: { locale: string };
  view: Pick<ViewContext, "now" | "card">;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * "ends in 5 days", "ended yesterday" ("end in 5 days" for roles): counted from the day the card is shown, so a late
 * card tells the truth.
 */
export function expiryWhen(s: Strings, endsAt: string, now: Date, whole = true): { when: string; ended: boolean } {
  const wording = expiryWording(endsAt, now);
  const args = {
    kind: wording.kind,
    days: wording.kind === "endsIn" ? wording.days : 0,
    daysAgo: wording.kind === "ended" ? wording.daysAgo : 0,
  };
  return {
    when: formatMessage(s.expiry, whole ? s.expiry.when : s.expiry.whenRoles, args),
    ended: wording.kind === "ended" || wording.kind === "endedToday",
  };
}

/**
 * An expiry warning, told to one side: the customer's admins (what ends, when, which roles, and what they can do
 * about it: extend, remove the roles now, let it end) or the partner's contacts. Worded from the day it is rendered;
 * a late one says it is late.
 */
export function expiryWarningCard({ n, s, customer, recipient, view }: ExpiryCardInput): AdaptiveCardJson {
  const t = s.expiry;
  const p = n.payload;
  const endsAt = str(p["endsAt"]);
  const partnerId = str(p["partnerId"]);
  const whole = p["whole"] !== false;
  const { when, ended } = expiryWhen(s, endsAt, view.now, whole);
  const toAdmins = n.recipient.kind === "tenantAdmins";
  const texts = toAdmins ? t.admin : t.partner;
  const names = {
    partner: str(p["partnerName"]),
    customer,
    when,
    endDate: formatDate(endsAt, recipient.locale),
    roles: roleNames(list(p["roles"]), s),
  };
  const message = whole ? (ended ? texts.relationshipEnded : texts.relationshipComing) : ended ? texts.rolesEnded : texts.rolesComing;
  const facts: Fact[] = [
    { title: t.roles, value: names.roles },
    { title: ended ? t.ended : t.ends, value: names.endDate },
  ];
  return view.card("expiryWarning", {
    title: formatMessage(texts, whole ? texts.titleRelationship : texts.titleRoles, names),
    message: formatMessage(texts, message, names),
    facts,
    late: p["late"] === true ? t.late : "",
    partnerId,
    endsAt,
    adminActions: toAdmins && partnerId !== "",
    ended,
  });
}
