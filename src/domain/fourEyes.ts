import type { Agreement, PrimaryContact } from "./agreement.js";
import type { AuditEvent } from "./audit.js";
import { write, type Decision } from "./decision.js";
import { auditEvent, invitationCardsRefresh, invitationTarget, TRANSITION_ERRORS, type DecisionContext } from "./decisionRows.js";
import type { Invitation } from "./invitation.js";
import type { Notification } from "./notification.js";
import { allowsAdminRoles } from "./partnerTypes.js";
import type { Relationship } from "./relationship.js";
import { fail, ok, type Result } from "./result.js";
import { ROLE } from "./roles.js";
import { fourEyesIsOn, type TenantPolicy } from "./tenantPolicy.js";
import { acceptInvitation, isExpired, type InvitationAccepted } from "./transitions.js";

/**
 * Four-eyes for Global administrator: while the tenant's policy is on, an invitation that asks for Global
 * administrator is accepted by two different admins. The first acceptance (agreement ticked, contact given) is
 * recorded on the invitation, which stays pending and grants nothing; the second admin's approval completes the
 * acceptance exactly as a single acceptance does. Either may decline meanwhile (the ordinary decline), and it
 * expires with the invitation.
 */

/** The invitation asks for the broadest role: the one four-eyes is about. */
export const asksForGlobalAdmin = (invitation: Pick<Invitation, "roles">): boolean => invitation.roles.includes(ROLE.globalAdministrator);

/** Accepting this invitation now takes two admins. */
export const needsTwoApprovals = (policy: TenantPolicy | undefined, invitation: Invitation): boolean =>
  fourEyesIsOn(policy) && asksForGlobalAdmin(invitation);

/** Accepted once, waiting for a second admin's approval. */
export const awaitingSecondApproval = (invitation: Invitation): boolean =>
  invitation.status === "pending" && invitation.firstApproval !== undefined;

export interface FirstApprovalRecorded {
  invitation: Invitation;
  audit: AuditEvent;
  refresh: Notification | undefined;
  decision: Decision;
}

/**
 * The first admin's acceptance under four-eyes: the invitation keeps its status (pending) and records who accepted,
 * when, the agreement version and their contact details. No relationship, no acceptance record, nothing to the
 * partner yet; every admin's card is refreshed to show it and wait for the second approval.
 */
export function recordFirstApproval(
  invitation: Invitation,
  agreement: Agreement,
  contact: PrimaryContact,
  ctx: DecisionContext,
): Result<FirstApprovalRecorded> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  if (isExpired(invitation, ctx.now)) return fail(TRANSITION_ERRORS.expired, "invitation expired");
  if (invitation.firstApproval?.by.userId === ctx.actor.userId)
    return fail(TRANSITION_ERRORS.sameApprover, "the first approver cannot approve again");
  if (invitation.firstApproval) return fail(TRANSITION_ERRORS.notPending, "the invitation already has its first approval");
  if (invitation.roles.length > 0 && !allowsAdminRoles(invitation.relationshipTypes))
    return fail(TRANSITION_ERRORS.rolesNeedAdminType, `roles asked with types ${invitation.relationshipTypes.join(",")}`);
  const approved: Invitation = {
    ...invitation,
    firstApproval: { by: ctx.actor, at: ctx.now, agreementVersion: agreement.version, contact },
  };
  const audit = auditEvent(
    ctx,
    "invitation.approveFirst",
    invitationTarget(invitation),
    { invitation: invitation.status },
    { invitation: "pending", awaiting: "secondApproval", agreementVersion: agreement.version },
  );
  const refresh = invitation.announced ? invitationCardsRefresh(ctx, invitation.id) : undefined;
  return ok({
    invitation: approved,
    audit,
    refresh,
    decision: {
      tenantId: invitation.tenantId,
      writes: [write.invitation(approved), write.audit(audit), ...(refresh ? [write.notification(refresh)] : [])],
    },
  });
}

/**
 * The second admin's "Approve": the acceptance completes with the first admin's agreement and contact details
 * (relationship, acceptance record, audit, the partner's notification), decided by the second admin. The first
 * admin approving again is refused; so is an approval of an agreement version that is no longer the current one.
 */
export function approveInvitation(
  invitation: Invitation,
  existing: Relationship | undefined,
  agreement: Agreement,
  ctx: DecisionContext,
): Result<InvitationAccepted> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  const first = invitation.firstApproval;
  if (!first) return fail(TRANSITION_ERRORS.noFirstApproval, "nobody has accepted the invitation yet");
  if (isExpired(invitation, ctx.now)) return fail(TRANSITION_ERRORS.expired, "invitation expired");
  if (first.by.userId === ctx.actor.userId) return fail(TRANSITION_ERRORS.sameApprover, "the first approver cannot approve again");
  if (first.agreementVersion !== agreement.version)
    return fail(TRANSITION_ERRORS.agreementChanged, `accepted ${first.agreementVersion}, current ${agreement.version}`);
  return acceptInvitation(invitation, existing, agreement, first.contact, ctx);
}

/** What an admin's "Accept & authorize" does under the tenant's policy: the whole acceptance, or the first of two. */
export type AcceptanceStep = ({ kind: "accepted" } & InvitationAccepted) | ({ kind: "firstApproval" } & FirstApprovalRecorded);

export function acceptUnderPolicy(
  invitation: Invitation,
  existing: Relationship | undefined,
  agreement: Agreement,
  contact: PrimaryContact,
  policy: TenantPolicy | undefined,
  ctx: DecisionContext,
): Result<AcceptanceStep> {
  // Accepted once already: another admin's acceptance is the second approval, whatever the policy says now.
  if (invitation.firstApproval) {
    const approved = approveInvitation(invitation, existing, agreement, ctx);
    return approved.ok ? ok({ kind: "accepted", ...approved.value }) : approved;
  }
  if (needsTwoApprovals(policy, invitation)) {
    const first = recordFirstApproval(invitation, agreement, contact, ctx);
    return first.ok ? ok({ kind: "firstApproval", ...first.value }) : first;
  }
  const accepted = acceptInvitation(invitation, existing, agreement, contact, ctx);
  return accepted.ok ? ok({ kind: "accepted", ...accepted.value }) : accepted;
}
