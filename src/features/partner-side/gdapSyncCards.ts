import type { ActionModel, Fact } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Strings } from "../../cards/strings.js";
import type { Notification } from "../../domain/notification.js";
import { formatDate, roleNames } from "../cardText.js";
import { VERBS } from "../verbs.js";

/** The status sync's notification types, each with its card for the customer's admins and for the partner. */
type SyncNotificationType = "gdapActivated" | "gdapExpired" | "gdapTerminated" | "gdapImported";

/** What the card needs of the notification being rendered (notificationCards.ts hands it over). */
export interface SyncCardInput {
  n: Notification;
  s: Strings;
  /** The customer's name as partners see it. */
  customer: string;
  recipient: { locale: string };
  notice: (
    title: string,
    message: string,
    options?: { facts?: Fact[]; actions?: ActionModel[]; fromMicrosoft?: boolean },
  ) => AdaptiveCardJson;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * What Microsoft Graph said about a GDAP relationship, told to one side: the customer's admins (with the partner's
 * details one press away) or the partner. Every sentence says it is Microsoft Graph's word, with the roles and
 * Microsoft's own end date: Partner Desk claims nothing about roles that Graph did not report.
 */
export function gdapSyncCard({ n, s, customer, recipient, notice }: SyncCardInput): AdaptiveCardJson {
  const t = s.gdapSync;
  const p = n.payload;
  const type = n.type as SyncNotificationType;
  const toAdmins = n.recipient.kind === "tenantAdmins";
  const texts = toAdmins ? t.admin[type] : t.partner[type];
  const endsAt = str(p["endsAt"]);
  const names = { partner: str(p["partnerName"]), customer, endDate: endsAt ? formatDate(endsAt, recipient.locale) : t.noEndDate };
  const facts: Fact[] = [
    { title: t.roles, value: roleNames(list(p["roles"]), s) },
    { title: t.ends, value: names.endDate },
    { title: t.relationship, value: str(p["displayName"]) },
  ];
  const partnerId = str(p["partnerId"]);
  const actions: ActionModel[] = toAdmins && partnerId ? [{ title: t.details, verb: VERBS.relationships.show, data: { partnerId } }] : [];
  return notice(formatMessage(texts, texts.title, names), formatMessage(texts, texts.message, names), {
    facts,
    actions,
    fromMicrosoft: true,
  });
}
