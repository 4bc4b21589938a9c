import type { Acceptance, Agreement } from "./agreement.js";
import type { ContactRequest } from "./contactRequest.js";
import type { AuditEvent } from "./audit.js";
import type { Invitation } from "./invitation.js";
import type { Notification } from "./notification.js";
import { ADMIN_PARTNER_TYPES, type PartnerType } from "./partnerTypes.js";
import { fail, ok, type Result } from "./result.js";
import type { Relationship } from "./relationship.js";
import { addDays } from "./time.js";
import {
  auditEvent,
  invitationCardsRefresh,
  invitationTarget,
  notification,
  relationshipTarget,
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
export { confirmEnd, sendInvitation, type InvitationToSend } from "./partnerDecisions.js";

/** A pending invitation past its 90 days can no longer be accepted. */
export const isExpired = (invitation: Invitation, now: string): boolean => Date.parse(invitation.expiresAt) <= Date.parse(now);

export interface InvitationAccepted {
  invitation: Invitation;
  relationship: Relationship;
  acceptance: Acceptance;
  audit: AuditEvent;
  notification: Notification;
  refresh: Notification;
  /** Every row above, for storage to commit together. */
  decision: Decision;
}

/**
 * Accepting an invitation: the invitation is decided, the relationship gets the asked types and the asked
 * roles until now + duration (GDAP: time-bound), the agreement version is recorded as accepted.
 */
export function acceptInvitation(
  invitation: Invitation,
  existing: Relationship | undefined,
  agreement: Agreement,
  ctx: DecisionContext,
): Result<InvitationAccepted> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  if (isExpired(invitation, ctx.now)) return fail(TRANSITION_ERRORS.expired, "invitation expired");
  const roleEnd = addDays(ctx.now, invitation.durationDays);
  // A relationship still in force (even with an end requested) keeps what it has; a finished one starts over.
  const live = existing !== undefined && (existing.status === "active" || existing.status === "terminationRequested");
  const types = union(live ? existing.types : [], invitation.relationshipTypes);
  const keptRoles = live ? existing.roles.filter((r) => !invitation.roles.includes(r.roleId)) : [];
  const roles = [...keptRoles, ...invitation.roles.map((roleId) => ({ roleId, expiresAt: roleEnd }))];
  // The relationship lasts as long as its longest grant, so no kept role outlives it.
  const endsAt = roles.reduce((latest, r) => (r.expiresAt > latest ? r.expiresAt : latest), roleEnd);
  const relationship: Relationship = {
    tenantId: invitation.tenantId,
    partnerId: invitation.partnerId,
    partnerName: invitation.partnerName,
    types,
    roles,
    agreement: { status: "accepted", version: agreement.version },
    status: "active",
    since: live ? existing.since : ctx.now,
    endsAt,
  };
  const decided: Invitation = { ...invitation, status: "accepted", decidedAt: ctx.now, decidedBy: ctx.actor };
  const acceptance: Acceptance = {
    id: ctx.newId(),
    tenantId: invitation.tenantId,
    agreementVersion: agreement.version,
    partnerId: invitation.partnerId,
    acceptedBy: ctx.actor,
    acceptedAt: ctx.now,
  };
  const audit = auditEvent(
    ctx,
    "invitation.accept",
    invitationTarget(invitation),
    { invitation: invitation.status, relationship: existing ?? null },
    { invitation: "accepted", relationship, agreementVersion: agreement.version },
  );
  const toPartner = notification(ctx, invitation.partnerId, "invitationAccepted", {
    invitationId: invitation.id,
    endsAt: roleEnd,
    roles: invitation.roles,
  });
  const refresh = invitationCardsRefresh(ctx, invitation.id);
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
        write.notification(refresh),
      ],
    },
  });
}

export function declineInvitation(
  invitation: Invitation,
  reason: string | undefined,
  ctx: DecisionContext,
): Result<{ invitation: Invitation; audit: AuditEvent; notification: Notification; refresh: Notification; decision: Decision }> {
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
  const refresh = invitationCardsRefresh(ctx, invitation.id);
  return ok({
    invitation: decided,
    audit,
    notification: toPartner,
    refresh,
    decision: {
      tenantId: invitation.tenantId,
      writes: [write.invitation(decided), write.audit(audit), write.notification(toPartner), write.notification(refresh)],
    },
  });
}

/** A change to one relationship, its audit event and the notification it causes. */
export interface RelationshipChanged {
  relationship: Relationship;
  audit: AuditEvent;
  notification: Notification;
  decision: Decision;
}

export function relationshipChanged(relationship: Relationship, audit: AuditEvent, toNotify: Notification): RelationshipChanged {
  return {
    relationship,
    audit,
    notification: toNotify,
    decision: {
      tenantId: relationship.tenantId,
      writes: [write.relationship(relationship), write.audit(audit), write.notification(toNotify)],
    },
  };
}

/** Admin types lose their admin part: "Reseller & delegated administrator" becomes "Reseller". */
export function typesWithoutAdminRoles(types: readonly PartnerType[]): PartnerType[] {
  const out = types.flatMap((type): PartnerType[] =>
    type === "resellerAndDelegatedAdministrator" ? ["reseller"] : ADMIN_PARTNER_TYPES.has(type) ? [] : [type],
  );
  return [...new Set(out)];
}

export function removeRoles(relationship: Relationship, ctx: DecisionContext): Result<RelationshipChanged> {
  if (relationship.status !== "active" && relationship.status !== "terminationRequested")
    return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.roles.length === 0) return fail(TRANSITION_ERRORS.noRoles, "the partner holds no admin roles");
  const updated: Relationship = { ...relationship, roles: [], types: typesWithoutAdminRoles(relationship.types) };
  return ok(
    relationshipChanged(
      updated,
      auditEvent(
        ctx,
        "relationship.removeRoles",
        relationshipTarget(relationship.partnerId),
        { types: relationship.types, roles: relationship.roles },
        { types: updated.types, roles: [] },
      ),
      notification(ctx, relationship.partnerId, "rolesRemoved", { removedRoles: relationship.roles.map((r) => r.roleId) }),
    ),
  );
}

export function acceptAgreement(
  relationship: Relationship,
  agreement: Agreement,
  ctx: DecisionContext,
): Result<RelationshipChanged & { acceptance: Acceptance }> {
  if (relationship.status !== "active") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.agreement.status === "accepted" && relationship.agreement.version === agreement.version) {
    return fail(TRANSITION_ERRORS.agreementAlreadyAccepted, "agreement already accepted");
  }
  const updated: Relationship = { ...relationship, agreement: { status: "accepted", version: agreement.version } };
  const acceptance: Acceptance = {
    id: ctx.newId(),
    tenantId: relationship.tenantId,
    agreementVersion: agreement.version,
    partnerId: relationship.partnerId,
    acceptedBy: ctx.actor,
    acceptedAt: ctx.now,
  };
  const changed = relationshipChanged(
    updated,
    auditEvent(
      ctx,
      "agreement.accept",
      relationshipTarget(relationship.partnerId),
      { agreement: relationship.agreement },
      { agreement: updated.agreement },
    ),
    notification(ctx, relationship.partnerId, "agreementAccepted", { agreementVersion: agreement.version }),
  );
  return ok({
    ...changed,
    acceptance,
    decision: { ...changed.decision, writes: [...changed.decision.writes, write.acceptance(acceptance)] },
  });
}

export function requestEnd(relationship: Relationship, message: string | undefined, ctx: DecisionContext): Result<RelationshipChanged> {
  if (relationship.status !== "active") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  const updated: Relationship = { ...relationship, status: "terminationRequested", terminationRequestedAt: ctx.now };
  return ok(
    relationshipChanged(
      updated,
      auditEvent(
        ctx,
        "relationship.requestEnd",
        relationshipTarget(relationship.partnerId),
        { status: relationship.status },
        { status: updated.status, message: message ?? null },
      ),
      notification(ctx, relationship.partnerId, "terminationRequested", { message: message ?? "" }),
    ),
  );
}

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

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
