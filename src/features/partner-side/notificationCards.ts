import type { ActionModel, Fact } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import { actionStyleFor, renderCard, type AdaptiveCardJson } from "../../cards/render.js";
import { stringsFor, type Strings } from "../../cards/strings.js";
import { partnerCenterAgreementOf } from "../../domain/agreement.js";
import type { ConversationRecord } from "../../domain/conversation.js";
import type { Notification, NotificationType } from "../../domain/notification.js";
import { NotificationSourceMissing } from "../../outbox/ports.js";
import { decidedBanner, invitationCard } from "../invitations/views.js";
import { gdapSyncCard } from "./gdapSyncCards.js";
import { autoExtensionOnCard, extensionRequestedCard } from "../lifecycle/extensionCards.js";
import { reviewContactCard, reviewNotificationCard, type ReviewCardSources } from "../access-review/notificationCards.js";
import { expiryWarningCard } from "../lifecycle/expiryCard.js";
import { formatDate, roleNames, simulationLabel, typeNames } from "../cardText.js";
import type { Ports } from "../ports.js";
import type { ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";

/** What a notification card reads: the records it points at, the current agreement, names, who gets refreshes. */
export type NotificationSources = Pick<
  Ports,
  "invitations" | "agreements" | "acceptances" | "contactRequests" | "adminAudience" | "tenantNames"
> &
  ReviewCardSources;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

export interface RenderLookups {
  /** The customer tenant's display name (the dispatcher caches it: every card of a tenant shows the same one). */
  displayName?: (tenantId: string) => Promise<string | undefined>;
  /** Microsoft is the simulated Partner Center (ViewContext.microsoftSimulated). */
  microsoftSimulated?: boolean;
}

/** Everything one notification's card is made from. */
interface CardInput {
  n: Notification;
  p: Notification["payload"];
  recipient: ConversationRecord;
  s: Strings;
  /** The customer's name as partners see it (or "unknown customer (tenant id)"). */
  customer: string;
  sources: NotificationSources;
  view: ViewContext;
  notice: (title: string, message: string, options?: NoticeOptions) => AdaptiveCardJson;
}

interface NoticeOptions {
  /** The notice tells something Microsoft said or holds (a GDAP request, its status): labelled while it is simulated. */
  fromMicrosoft?: boolean;
  facts?: Fact[];
  detailsTitle?: string;
  details?: string;
  actions?: ActionModel[];
}

/** One card per notification type: a new type does not compile until it has its card. */
const CARDS: Record<NotificationType, (c: CardInput) => AdaptiveCardJson | Promise<AdaptiveCardJson>> = {
  contactRequest: contactRequestCard,
  invitationAccepted: invitationAcceptedCard,
  invitationDeclined: ({ s, p, customer, notice }) =>
    notice(
      formatMessage(s, s.partnerSide.declinedTitle, { customer }),
      s.partnerSide.declined,
      str(p["reason"]) ? { detailsTitle: s.partnerSide.declineReason, details: str(p["reason"]) } : {},
    ),
  rolesRemoved: rolesRemovedCard,
  agreementAccepted: async (c) =>
    c.notice(
      formatMessage(c.s, c.s.partnerSide.agreementAcceptedTitle, { customer: c.customer }),
      formatMessage(c.s, c.s.partnerSide.agreementAccepted, { version: str(c.p["agreementVersion"]) }),
      await agreementRecord(c),
    ),
  terminationRequested: ({ n, s, p, customer, notice }) =>
    notice(formatMessage(s, s.partnerSide.endRequestedTitle, { customer }), s.partnerSide.endRequested, {
      ...(str(p["message"]) ? { detailsTitle: s.partnerSide.theirMessage, details: str(p["message"]) } : {}),
      actions: [{ title: s.partnerSide.confirmEnd, verb: VERBS.partnerSide.confirmEnd, data: { customerTenantId: n.tenantId } }],
    }),
  // Sent to the customer's admins: it names the partner whose relationship ended (their own organization they know).
  relationshipEnded: ({ s, p, notice }) =>
    notice(
      formatMessage(s, s.partnerSide.endedTitle, { partner: str(p["partnerName"]) }),
      // Carried out by the partner's connection: Microsoft is terminating the GDAP relationship (its roles end with it).
      formatMessage(s, str(p["inMicrosoft"]) === "terminationRequested" ? s.partnerSide.endedInMicrosoft : s.partnerSide.ended, {
        partner: str(p["partnerName"]),
      }),
    ),
  invitationReceived: adminInvitationCard,
  // A refresh names the invitation or the access review whose cards it replaces.
  cardRefresh: (c) => (c.p["reviewId"] !== undefined ? reviewNotificationCard(c.n, c.sources, c.view) : adminInvitationCard(c)),
  gdapActivated: gdapSyncCard,
  gdapExpired: gdapSyncCard,
  gdapTerminated: gdapSyncCard,
  gdapImported: gdapSyncCard,
  accessReview: ({ n, sources, view }) => reviewNotificationCard(n, sources, view),
  accessReviewReminder: ({ n, sources, view }) => reviewNotificationCard(n, sources, view),
  accessReviewContact: ({ n, s, customer, notice }) => reviewContactCard(n, s, customer, notice),
  extensionRequested: ({ n, s, customer, recipient, notice }) => extensionRequestedCard(n, s, customer, recipient.locale, notice),
  autoExtensionOn: ({ n, s, notice }) => autoExtensionOnCard(n, s, notice),
  expiryWarning: expiryWarningCard,
};

/**
 * The card a recipient gets for a notification, in their locale and with the buttons their channel supports.
 * It re-reads what it shows (the contact request, the invitation), so a card always tells the current truth.
 */
export async function renderNotification(
  n: Notification,
  recipient: ConversationRecord,
  sources: NotificationSources,
  now: Date,
  lookups: RenderLookups = {},
): Promise<AdaptiveCardJson> {
  const s = stringsFor(recipient.locale);
  const actionStyle = actionStyleFor(recipient.reference.channelId);
  const displayName = lookups.displayName ?? ((tenantId: string) => sources.tenantNames.displayName(tenantId));
  const customer = (await displayName(n.tenantId)) ?? `${s.partnerSide.unknownCustomer} (${n.tenantId})`;
  const view = viewContext(recipient, s, actionStyle, now, lookups.microsoftSimulated === true);
  const notice = (title: string, message: string, options: NoticeOptions = {}) =>
    renderCard(
      "notice",
      {
        title,
        message,
        facts: options.facts ?? [],
        detailsTitle: options.detailsTitle ?? "",
        details: options.details ?? "",
        actions: options.actions ?? [],
        banner: null,
        simulationLabel: simulationLabel(view, options.fromMicrosoft === true),
      },
      { strings: s, actionStyle },
    );
  return CARDS[n.type]({ n, p: n.payload, recipient, s, customer, sources, view, notice });
}

/**
 * The partner's card of a removal: recorded in Partner Desk only (the customer takes the roles away in the admin
 * center), or carried out by the partner's own connection, in exactly the words of Microsoft's answer.
 */
function rolesRemovedCard({ s, p, customer, notice }: CardInput): AdaptiveCardJson {
  const roles = roleNames(list(p["removedRoles"]), s);
  const carried = s.partnerSide.rolesRemovedInMicrosoft as Record<string, string>;
  const answer = str(p["inMicrosoft"]);
  if (answer && Object.hasOwn(carried, answer))
    return notice(
      formatMessage(s, s.partnerSide.rolesRemovedInMicrosoftTitle, { customer }),
      formatMessage(carried, carried[answer]!, { roles }),
      {
        fromMicrosoft: true,
      },
    );
  return notice(formatMessage(s, s.partnerSide.rolesRemovedTitle, { customer }), formatMessage(s, s.partnerSide.rolesRemoved, { roles }));
}

async function contactRequestCard({ n, p, s, customer, sources, notice }: CardInput): Promise<AdaptiveCardJson> {
  const request = await sources.contactRequests.get(n.tenantId, str(p["contactRequestId"]));
  if (!request) throw new NotificationSourceMissing(`contact request ${str(p["contactRequestId"])} is gone`);
  const r = request.value;
  const name = r.requester.organization ?? customer;
  const facts: Fact[] = [{ title: s.partnerSide.contactPerson, value: r.requester.name }];
  if (r.requester.email) facts.push({ title: s.partnerSide.email, value: r.requester.email });
  if (r.requester.phone) facts.push({ title: s.partnerSide.phone, value: r.requester.phone });
  facts.push({ title: s.partnerSide.reference, value: r.id });
  return notice(
    formatMessage(s, s.partnerSide.contactRequestTitle, { customer: name }),
    formatMessage(s, s.partnerSide.contactRequestIntro, { customer: name }),
    {
      facts,
      detailsTitle: s.partnerSide.businessNeeds,
      details: r.businessNeeds,
      actions: [
        {
          title: s.partnerSide.sendInvitation,
          verb: VERBS.partnerSide.invitationForm,
          data: { customerTenantId: n.tenantId, contactRequestId: r.id },
        },
      ],
    },
  );
}

async function invitationAcceptedCard(c: CardInput): Promise<AdaptiveCardJson> {
  const { n, p, s, customer, sources, recipient, view, notice } = c;
  const invitation = await sources.invitations.get(n.tenantId, str(p["invitationId"]));
  const types = invitation ? typeNames(invitation.value.relationshipTypes, s) : "";
  // A GDAP request: the customer accepted the agreement; the roles wait for its Global administrator's approval.
  const gdap = invitation?.value.microsoft !== undefined;
  return notice(
    formatMessage(s, s.partnerSide.acceptedTitle, { customer }),
    formatMessage(s, gdap ? s.partnerSide.acceptedGdap : s.partnerSide.accepted, {
      customer,
      types,
      endDate: formatDate(str(p["endsAt"]) || view.now.toISOString(), recipient.locale),
      roles: roleNames(list(p["roles"]), s),
    }),
    { ...(await agreementRecord(c)), fromMicrosoft: gdap },
  );
}

/**
 * Partner Center's Agreement record of the acceptance a notification names, as facts the partner copies into
 * Partner Center to confirm it (Partner Desk has not confirmed it there, and the card never says it has).
 * Notifications queued before acceptances carried the record, and acceptances recorded before it, show none.
 */
async function agreementRecord({ n, p, s, sources }: CardInput): Promise<NoticeOptions> {
  const acceptanceId = str(p["acceptanceId"]);
  if (!acceptanceId) return {};
  const read = await sources.acceptances.get(n.tenantId, acceptanceId);
  if (!read) throw new NotificationSourceMissing(`acceptance ${acceptanceId} is gone`);
  const record = partnerCenterAgreementOf(read.value);
  if (!record) return {};
  const t = s.partnerSide;
  const facts: Fact[] = [
    { title: t.agreementRecordFirstName, value: record.primaryContact.firstName },
    { title: t.agreementRecordLastName, value: record.primaryContact.lastName },
    { title: t.agreementRecordEmail, value: record.primaryContact.email },
    ...(record.primaryContact.phoneNumber ? [{ title: t.agreementRecordPhone, value: record.primaryContact.phoneNumber }] : []),
    { title: t.agreementRecordDateAgreed, value: record.dateAgreed },
    { title: t.agreementRecordTemplateId, value: record.templateId },
    { title: t.agreementRecordType, value: record.type },
    { title: t.agreementRecordLink, value: record.agreementLink },
  ];
  return { facts, detailsTitle: t.agreementRecordTitle, details: t.confirmInPartnerCenter };
}

/** An admin's invitation card, as it is now: sent when the invitation arrives, replaced after every decision. */
async function adminInvitationCard({ n, p, sources, view }: CardInput): Promise<AdaptiveCardJson> {
  const [invitation, agreement, adminIds] = await Promise.all([
    sources.invitations.get(n.tenantId, str(p["invitationId"])),
    sources.agreements.current(view.now),
    sources.adminAudience.teamsAdminIds(n.tenantId),
  ]);
  if (!invitation) throw new NotificationSourceMissing(`invitation ${str(p["invitationId"])} is gone`);
  const decided = invitation.value.status !== "pending" ? decidedBanner(view, invitation.value) : null;
  return invitationCard(view, invitation.value, agreement, decided, adminIds);
}

/** The little a view needs to render for someone who is not on a turn right now: no roles, no ports. */
function viewContext(
  recipient: ConversationRecord,
  s: Strings,
  actionStyle: ReturnType<typeof actionStyleFor>,
  now: Date,
  microsoftSimulated: boolean,
): ViewContext {
  return {
    identity: { tenantId: recipient.tenantId, userId: recipient.userId, name: recipient.name, locale: recipient.locale },
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle }),
    now,
    microsoftSimulated,
  };
}
