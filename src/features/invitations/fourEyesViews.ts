import { formatMessage } from "../../cards/messages.js";
import type { Banner } from "../../cards/models.js";
import type { Invitation } from "../../domain/invitation.js";
import { TRANSITION_ERRORS } from "../../domain/transitions.js";
import { formatDateTime } from "../cardText.js";
import type { ViewContext } from "../types.js";

/** After the first of two acceptances: what was recorded, and that nothing is granted until a second admin approves. */
export const firstApprovalBanner = (ctx: ViewContext, invitation: Invitation): Banner => ({
  text: formatMessage(ctx.strings, ctx.strings.invitations.firstApprovalRecorded, { partner: invitation.partnerName }),
  style: "accent",
});

/**
 * Why a four-eyes step was refused, in words for the person who pressed: the same admin approving twice, or an
 * agreement that changed since the first acceptance. Undefined for any other refusal (the card's state says it).
 */
export function fourEyesRefusal(ctx: ViewContext, invitation: Invitation, code: string): Banner | undefined {
  const s = ctx.strings;
  const first = invitation.firstApproval;
  if (!first) return undefined;
  if (code === TRANSITION_ERRORS.sameApprover)
    return {
      text: formatMessage(s, s.invitations.sameApprover, { date: formatDateTime(first.at, ctx.identity.locale) }),
      style: "warning",
    };
  if (code === TRANSITION_ERRORS.agreementChanged)
    return { text: formatMessage(s, s.invitations.approvalAgreementChanged, { by: first.by.name }), style: "warning" };
  return undefined;
}

/**
 * The banner after an acceptance completed: in the words of the one who completed it. A second admin approved
 * what another accepted (with the agreement); a single admin accepted both. A GDAP request still waits for the
 * admin center's approval.
 */
export function acceptedBanner(ctx: ViewContext, invitation: Invitation): Banner {
  const s = ctx.strings.invitations;
  const gdap = invitation.microsoft !== undefined;
  const first = invitation.firstApproval;
  const text = first
    ? formatMessage(ctx.strings, gdap ? s.approvedSecondGdap : s.approvedSecond, { partner: invitation.partnerName, first: first.by.name })
    : formatMessage(ctx.strings, gdap ? s.acceptedGdap : s.accepted, { partner: invitation.partnerName });
  return { text, style: gdap ? "accent" : "good" };
}
