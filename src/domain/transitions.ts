import { recordAcceptance, type Agreement, type PrimaryContact, type RecordedAcceptance } from "./agreement.js";
import type { ContactRequest } from "./contactRequest.js";
import type { AuditEvent } from "./audit.js";
import type { Invitation } from "./invitation.js";
import type { Notification } from "./notification.js";
import { fail, ok, type Result } from "./result.js";
import type { Relationship } from "./relationship.js";
import { addDays } from "./time.js";
import { allowsAdminRoles, mergeTypes } from "./partnerTypes.js";
import {
  auditEvent,
  invitationCardsRefresh,
  invitationTarget,
  notification,
  TRANSITION_ERRORS,
  type DecisionContext,
} from "./decisionRows.js";
import { write, type Decision } from "./decision.js";

export {
  auditEvent,
  invitationCardsRefresh,
  invitationTarget,
  notification,
  relationshipTarget,
  TRANSITION_ERRORS,
  type DecisionContext,
} from "./decisionRows.js";
export { askProblem, confirmEnd, sendInvitation, type InvitationToSend } from "./partnerDecisions.js";
export {
  acceptAgreement,
  relationshipChanged,
  removeRoles,
  requestEnd,
  typesWithoutAdminRoles,
  type RelationshipChanged,
} from "./relationshipDecisions.js";

/** The admins' cards of an invitation the bot announced are updated after a decision; an unannounced one has none. */
const refreshOf = (invitation: Invitation, ctx: DecisionContext): Notification | undefined =>
  invitation.announced ? invitationCardsRefresh(ctx, invitation.id) : undefined;

/** A pending invitation past its 90 days can no longer be accepted. */
export const isExpired = (invitation: Invitation, now: string): boolean => Date.parse(invitation.expiresAt) <= Date.parse(now);

export interface InvitationAccepted {
  invitation: Invitation;
  relationship: Relationship;
  /** In Partner Center's Agreement shape, so the partner can confirm it there. */
  acceptance: RecordedAcceptance;
  audit: AuditEvent;
  notification: Notification;
  /** Brings the admins' cards of an announced invitation up to date; none when no card was sent. */
  refresh: Notification | undefined;
  /** Every row above, for storage to commit together. */
  decision: Decision;
}

/**
 * The relationship an accepted invitation leaves: the asked types and roles until now + duration (GDAP:
 * time-bound), on top of what a relationship still in force has; the agreement version as accepted.
 */
function relationshipAfterAccepting(
  invitation: Invitation,
  existing: Relationship | undefined,
  agreement: Agreement,
  now: string,
): Relationship {
  const roleEnd = addDays(now, invitation.durationDays);
  // A relationship still in force (even with an end requested) keeps what it has; a finished one starts over.
  const live = existing !== undefined && (existing.status === "active" || existing.status === "terminationRequested");
  const types = mergeTypes(live ? existing.types : [], invitation.relationshipTypes);
  const keptRoles = live ? existing.roles.filter((r) => !invitation.roles.includes(r.roleId)) : [];
  const roles = [...keptRoles, ...invitation.roles.map((roleId) => ({ roleId, expiresAt: roleEnd }))];
  // The relationship lasts as long as its longest grant, so no kept role outlives it.
  const endsAt = roles.reduce((latest, r) => (r.expiresAt > latest ? r.expiresAt : latest), roleEnd);
  return {
    tenantId: invitation.tenantId,
    partnerId: invitation.partnerId,
    partnerName: invitation.partnerName,
    types,
    roles,
    agreement: { status: "accepted", version: agreement.version },
    status: "active",
    since: live ? existing.since : now,
    endsAt,
    ...microsoftSideAfter(invitation, live ? existing : undefined),
  };
}

/** A GDAP invitation's relationship in Microsoft becomes the relationship's; a standalone one keeps what it had. */
function microsoftSideAfter(invitation: Invitation, live: Relationship | undefined): Pick<Relationship, "microsoft"> {
  const side = invitation.microsoft ?? live?.microsoft;
  return side ? { microsoft: side } : {};
}

/**
 * Accepting an invitation: the invitation is decided, the relationship gets the asked types and the asked
 * roles until now + duration (GDAP: time-bound), the agreement version is recorded as accepted by `contact`
 * (the accepting admin as Partner Center's Agreement record names them).
 */
export function acceptInvitation(
  invitation: Invitation,
  existing: Relationship | undefined,
  agreement: Agreement,
  contact: PrimaryContact,
  ctx: DecisionContext,
): Result<InvitationAccepted> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  if (isExpired(invitation, ctx.now)) return fail(TRANSITION_ERRORS.expired, "invitation expired");
  // Four-eyes: whoever accepted first cannot also be the second approval, on any path.
  const first = invitation.firstApproval;
  if (first && first.by.userId === ctx.actor.userId) return fail(TRANSITION_ERRORS.sameApprover, "the first approver cannot approve again");
  // A row written before the check (or by hand) must not grant what its types cannot hold.
  if (invitation.roles.length > 0 && !allowsAdminRoles(invitation.relationshipTypes))
    return fail(TRANSITION_ERRORS.rolesNeedAdminType, `roles asked with types ${invitation.relationshipTypes.join(",")}`);
  const roleEnd = addDays(ctx.now, invitation.durationDays);
  const relationship = relationshipAfterAccepting(invitation, existing, agreement, ctx.now);
  const decided: Invitation = { ...invitation, status: "accepted", decidedAt: ctx.now, decidedBy: ctx.actor };
  // The agreement was accepted (box ticked, contact given) by the first admin when there were two.
  const agreedBy = first ? { actor: first.by, now: first.at } : { actor: ctx.actor, now: ctx.now };
  const acceptance = recordAcceptance(
    { id: ctx.newId(), tenantId: invitation.tenantId, partnerId: invitation.partnerId, ...agreedBy },
    agreement,
    contact,
  );
  const audit = auditEvent(
    ctx,
    "invitation.accept",
    invitationTarget(invitation),
    { invitation: invitation.status, relationship: existing ?? null },
    {
      invitation: "accepted",
      relationship,
      agreementVersion: agreement.version,
      ...(first ? { firstApprovedBy: first.by, firstApprovedAt: first.at } : {}),
    },
  );
  const toPartner = notification(ctx, invitation.partnerId, "invitationAccepted", {
    invitationId: invitation.id,
    acceptanceId: acceptance.id,
    endsAt: roleEnd,
    roles: invitation.roles,
  });
  const refresh = refreshOf(invitation, ctx);
  return ok({
    invitation: decided,
    relationship,
    acceptance,
    audit,
    notification: toPartner,
    refresh,
    decision: {
      tenantId: invitation.tenantId,
      writes: [
        write.relationship(relationship),
        write.invitation(decided),
        write.acceptance(acceptance),
        write.audit(audit),
        write.notification(toPartner),
        ...(refresh ? [write.notification(refresh)] : []),
      ],
    },
  });
}

export function declineInvitation(
  invitation: Invitation,
  reason: string | undefined,
  ctx: DecisionContext,
): Result<{
  invitation: Invitation;
  audit: AuditEvent;
  notification: Notification;
  refresh: Notification | undefined;
  decision: Decision;
}> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  const decided: Invitation = {
    ...invitation,
    status: "declined",
    decidedAt: ctx.now,
    decidedBy: ctx.actor,
    ...(reason ? { declineReason: reason } : {}),
  };
  const audit = auditEvent(
    ctx,
    "invitation.decline",
    invitationTarget(invitation),
    { status: invitation.status },
    { status: "declined", reason: reason ?? null },
  );
  const toPartner = notification(ctx, invitation.partnerId, "invitationDeclined", { invitationId: invitation.id, reason: reason ?? "" });
  const refresh = refreshOf(invitation, ctx);
  return ok({
    invitation: decided,
    audit,
    notification: toPartner,
    refresh,
    decision: {
      tenantId: invitation.tenantId,
      writes: [
        write.invitation(decided),
        write.audit(audit),
        write.notification(toPartner),
        ...(refresh ? [write.notification(refresh)] : []),
      ],
    },
  });
}

export interface ContactRequestSent {
  contactRequest: ContactRequest;
  audit: AuditEvent;
  notifications: Notification[];
  decision: Decision;
}

/**
 * A contact request to one or more partners: one row, one audit event, one notification per partner. With the
 * organization's name, the tenant's display name (what partners see on every card) is updated with it.
 */
export function sendContactRequest(
  id: string,
  partnerIds: readonly string[],
  businessNeeds: string,
  requester: ContactRequest["requester"],
  ctx: DecisionContext,
): ContactRequestSent {
  const contactRequest: ContactRequest = {
    id,
    tenantId: ctx.tenantId,
    partnerIds: [...partnerIds],
    businessNeeds,
    requester,
    createdAt: ctx.now,
  };
  const audit = auditEvent(ctx, "contactRequest.send", `contactRequest:${id}`, null, { partnerIds, businessNeeds });
  const notifications = partnerIds.map((partnerId) => notification(ctx, partnerId, "contactRequest", { contactRequestId: id }));
  const profile = requester.organization
    ? [write.tenantProfile({ tenantId: ctx.tenantId, displayName: requester.organization, updatedAt: ctx.now })]
    : [];
  return {
    contactRequest,
    audit,
    notifications,
    decision: {
      tenantId: ctx.tenantId,
      writes: [write.contactRequest(contactRequest), write.audit(audit), ...notifications.map(write.notification), ...profile],
    },
  };
}
