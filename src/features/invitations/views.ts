import type { Banner, ConsentGrant } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Agreement } from "../../domain/agreement.js";
import type { Invitation } from "../../domain/invitation.js";
import { waitingForApproval } from "../../domain/microsoftSide.js";
import { addDays } from "../../domain/time.js";
import { isExpired } from "../../domain/transitions.js";
import type { ContactValues } from "../agreements/contact.js";
import { acceptAgreementCard } from "../agreements/views.js";
import type { ViewContext } from "../types.js";
import { VERBS } from "../verbs.js";
import { formatDate, formatDateTime, hasGlobalAdmin, roleModels, roleNames, simulationLabel, typeNames } from "../cardText.js";

export function invitationListCard(ctx: ViewContext, invitations: readonly Invitation[], banner: Banner | null = null): AdaptiveCardJson {
  const s = ctx.strings;
  const locale = ctx.identity.locale;
  // ISO timestamps sort as plain strings; no collation needed.
  const sorted = [...invitations].sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
  return ctx.card("invitationList", {
    banner,
    invitations: sorted.map((i) => ({
      id: i.id,
      partnerName: i.partnerName,
      typesText: typeNames(i.relationshipTypes, s),
      rolesText: `${s.invitations.asksFor}: ${roleNames(i.roles, s)}`,
      rolesColor: hasGlobalAdmin(i.roles) ? "Attention" : "Default",
      expiresText: `${s.invitations.expires}: ${formatDate(i.expiresAt, locale)}`,
    })),
  });
}

/** The end date the invitation would give if accepted now (GDAP: duration counts from acceptance). */
export const endDateIfAccepted = (invitation: Invitation, now: Date): string => addDays(now.toISOString(), invitation.durationDays);

/** An invitation in plain language: who, as what, which roles (broadest flagged), how long, and the agreement. */
export function invitationCard(
  ctx: ViewContext,
  invitation: Invitation,
  agreement: Agreement | undefined,
  banner: Banner | null = null,
  refreshUserIds: readonly string[] = [],
): AdaptiveCardJson {
  const s = ctx.strings;
  const locale = ctx.identity.locale;
  return ctx.card("invitation", {
    banner,
    id: invitation.id,
    title: formatMessage(s, s.invitations.detailsTitle, { partner: invitation.partnerName }),
    typesText: typeNames(invitation.relationshipTypes, s),
    durationText: formatMessage(s, s.invitations.durationValue, {
      days: invitation.durationDays,
      endDate: formatDate(endDateIfAccepted(invitation, ctx.now), locale),
    }),
    expiresText: formatDate(invitation.expiresAt, locale),
    // The agreement by its name in the reader's language: the stored title is Microsoft's English one for the same document.
    agreementText: agreement
      ? `${s.common.agreementName} (${formatMessage(s, s.invitations.agreementVersion, { version: agreement.version })})`
      : s.common.notSet,
    agreementUrl: agreement?.url ?? "https://www.microsoft.com/licensing/docs/customeragreement",
    roles: roleModels(invitation.roles, s),
    hasGlobalAdmin: hasGlobalAdmin(invitation.roles),
    message: invitation.message,
    actionable: invitation.status === "pending",
    ...gdapParts(ctx, invitation),
    ...approvalParts(ctx, invitation),
    simulationLabel: simulationLabel(ctx, invitation.microsoft !== undefined),
    // Teams allows at most 60 user ids in a refresh.
    refreshUserIds: refreshUserIds.slice(0, 60),
  });
}

/**
 * Four-eyes, as this reader should see it: who accepted first and when, and that a second admin must approve (in
 * the reader's own words if it was them); once approved, both names. Only another admin gets "Approve": the one
 * who accepted first has nothing more to give.
 */
function approvalParts(ctx: ViewContext, invitation: Invitation): { approvalText: string; approvable: boolean } {
  const s = ctx.strings;
  const first = invitation.firstApproval;
  if (!first) return { approvalText: "", approvable: false };
  const locale = ctx.identity.locale;
  const date = formatDateTime(first.at, locale);
  // It expires with the invitation: past its date there is nothing left to approve (the banner says it expired).
  if (invitation.status === "pending" && isExpired(invitation, ctx.now.toISOString())) return { approvalText: "", approvable: false };
  if (invitation.status === "pending") {
    const mine = first.by.userId === ctx.identity.userId;
    return {
      approvalText: formatMessage(s, mine ? s.invitations.awaitingSecondYou : s.invitations.awaitingSecond, { by: first.by.name, date }),
      approvable: !mine,
    };
  }
  if (invitation.status === "accepted" && invitation.decidedBy && invitation.decidedAt)
    return {
      approvalText: formatMessage(s, s.invitations.approvedByTwo, {
        first: first.by.name,
        firstDate: date,
        second: invitation.decidedBy.name,
        secondDate: formatDateTime(invitation.decidedAt, locale),
      }),
      approvable: false,
    };
  return { approvalText: "", approvable: false };
}

/** An accepted GDAP invitation whose relationship Microsoft has yet to activate: the admin center's approval is next. */
const acceptedAndWaiting = (invitation: Invitation): boolean =>
  invitation.status === "accepted" && waitingForApproval(invitation.microsoft);

/**
 * A GDAP invitation says it is a real request, approved in the admin center; once accepted in chat, and until
 * Microsoft activates it, it carries the approval link. A standalone invitation has neither.
 */
function gdapParts(ctx: ViewContext, invitation: Invitation): { gdapText: string; approvalUrl: string } {
  const s = ctx.strings.invitations;
  if (!invitation.microsoft) return { gdapText: "", approvalUrl: "" };
  if (acceptedAndWaiting(invitation)) return { gdapText: s.waitingForApproval, approvalUrl: invitation.microsoft.approvalLink };
  return { gdapText: invitation.status === "pending" ? s.gdapRequest : "", approvalUrl: "" };
}

/** "Accept agreement & authorize partner": the MCA, who accepts, the tick box and "Accept & authorize". */
export function authorizeCard(
  ctx: ViewContext,
  invitation: Invitation,
  agreement: Agreement,
  banner: Banner | null = null,
  typed: ContactValues = {},
  twoApprovals = false,
): AdaptiveCardJson {
  const s = ctx.strings;
  const intro = formatMessage(s, invitation.microsoft ? s.invitations.acceptIntroGdap : s.invitations.acceptIntro, {
    partner: invitation.partnerName,
    types: typeNames(invitation.relationshipTypes, s),
    endDate: formatDate(endDateIfAccepted(invitation, ctx.now), ctx.identity.locale),
  });
  return acceptAgreementCard(
    ctx,
    agreement,
    {
      title: s.invitations.acceptTitle,
      // A GDAP request is not granted by accepting here: the intro says the admin center's approval comes next;
      // under four-eyes, that a second admin's approval comes first.
      intro: twoApprovals ? `${intro} ${s.invitations.needsSecondApproval}` : intro,
      submitTitle: s.invitations.acceptAndAuthorize,
      verb: VERBS.invitations.accept,
      data: { invitationId: invitation.id },
      backVerb: VERBS.invitations.show,
      backData: { invitationId: invitation.id },
      gdap: invitation.microsoft !== undefined,
      grant: consentGrant(ctx, invitation),
    },
    banner,
    typed,
  );
}

/**
 * What the tick box consents to, on the card that holds it: the partner, as what, until when, and every role,
 * Global administrator flagged as the highest privilege (the card that listed the roles has just been replaced).
 */
function consentGrant(ctx: ViewContext, invitation: Invitation): ConsentGrant {
  const s = ctx.strings;
  return {
    heading: s.invitations.grantHeading,
    facts: [
      { title: s.invitations.from, value: invitation.partnerName },
      { title: s.invitations.types, value: typeNames(invitation.relationshipTypes, s) },
      { title: s.invitations.grantUntil, value: formatDate(endDateIfAccepted(invitation, ctx.now), ctx.identity.locale) },
    ],
    rolesHeading: s.invitations.asksFor,
    roles: roleModels(invitation.roles, s).map((role) => ({
      text: role.broadest ? `${role.name} ${s.invitations.highestPrivilege}` : role.name,
      color: role.broadest ? "Attention" : "Default",
    })),
  };
}

/**
 * Why an invitation can no longer be decided, as the person looking at it should read it. The admin who decided
 * keeps their own answer ("You accepted this invitation on …"); every other admin sees who decided and when, as
 * a plain fact; only a press on a button of an already decided invitation (`pressed`) adds "Nothing was changed",
 * because only then did someone try to change something.
 */
export function decidedBanner(ctx: ViewContext, invitation: Invitation, pressed = false): Banner {
  const s = ctx.strings.invitations;
  const locale = ctx.identity.locale;
  if (invitation.status === "pending" || invitation.status === "expired") {
    return { text: formatMessage(s, s.expired, { date: formatDate(invitation.expiresAt, locale) }), style: "warning" };
  }
  const status = invitation.status;
  const mine = invitation.decidedBy !== undefined && invitation.decidedBy.userId === ctx.identity.userId;
  const params = {
    // The decision itself, for the message to choose its words (ICU select): each language words it its own way.
    status,
    by: invitation.decidedBy?.name ?? "",
    date: invitation.decidedAt ? formatDateTime(invitation.decidedAt, locale) : "",
  };
  const text = pressed
    ? formatMessage(s, mine ? s.alreadyDecidedByYou : s.alreadyDecided, params)
    : formatMessage(s, mine ? s.decidedByYou[status] : s.decidedByOther[status], params);
  if (acceptedAndWaiting(invitation)) return { text: `${text} ${s.waitingForApproval}`, style: "accent" };
  if (pressed) return { text, style: "warning" };
  return { text, style: mine ? "good" : "accent" };
}
