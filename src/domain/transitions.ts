import type { Acceptance, Agreement } from "./agreement.js";
import type { ContactRequest } from "./contactRequest.js";
import type { AuditEvent } from "./audit.js";
import type { Invitation } from "./invitation.js";
import type { Notification, NotificationType } from "./notification.js";
import { ADMIN_PARTNER_TYPES, type PartnerType } from "./partnerTypes.js";
import { fail, ok, type Result } from "./result.js";
import type { Relationship } from "./relationship.js";
import { addDays } from "./time.js";

/** Everything a decision needs to know about who made it and when. */
export interface DecisionContext {
  tenantId: string;
  actor: { userId: string; name: string };
  now: string;
  correlationId: string;
  newId(): string;
}

export const TRANSITION_ERRORS = {
  notPending: "INVITATION.NOT_PENDING",
  expired: "INVITATION.EXPIRED",
  noRoles: "RELATIONSHIP.NO_ROLES",
  notActive: "RELATIONSHIP.NOT_ACTIVE",
  agreementAlreadyAccepted: "AGREEMENT.ALREADY_ACCEPTED",
} as const;

/** Audit targets start with the partner, so a partner's history is one prefix match. */
export const relationshipTarget = (partnerId: string): string => `partner:${partnerId}`;
export const invitationTarget = (invitation: Pick<Invitation, "partnerId" | "id">): string =>
  `partner:${invitation.partnerId}/invitation:${invitation.id}`;

export function auditEvent(ctx: DecisionContext, action: string, target: string, before: unknown, after: unknown): AuditEvent {
  return {
    id: ctx.newId(),
    tenantId: ctx.tenantId,
    actor: ctx.actor,
    action,
    target,
    before,
    after,
    at: ctx.now,
    correlationId: ctx.correlationId,
  };
}

export function notification(
  ctx: DecisionContext,
  partnerId: string,
  type: NotificationType,
  payload: Notification["payload"],
): Notification {
  return {
    id: ctx.newId(),
    tenantId: ctx.tenantId,
    recipient: { kind: "partner", partnerId },
    type,
    payload,
    status: "pending",
    attempts: 0,
    createdAt: ctx.now,
    correlationId: ctx.correlationId,
    deliveries: {},
  };
}

/** After a decision on an invitation, the cards every admin already received are brought up to date. */
export function invitationCardsRefresh(ctx: DecisionContext, invitationId: string): Notification {
  return { ...notification(ctx, "", "cardRefresh", { invitationId }), recipient: { kind: "tenantAdmins", tenantId: ctx.tenantId } };
}

/** A pending invitation past its 90 days can no longer be accepted. */
export const isExpired = (invitation: Invitation, now: string): boolean => Date.parse(invitation.expiresAt) <= Date.parse(now);

export interface InvitationAccepted {
  invitation: Invitation;
  relationship: Relationship;
  acceptance: Acceptance;
  audit: AuditEvent;
  notification: Notification;
  refresh: Notification;
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
  return ok({
    invitation: decided,
    relationship,
    acceptance,
    audit: auditEvent(
      ctx,
      "invitation.accept",
      invitationTarget(invitation),
      { invitation: invitation.status, relationship: existing ?? null },
      { invitation: "accepted", relationship, agreementVersion: agreement.version },
    ),
    notification: notification(ctx, invitation.partnerId, "invitationAccepted", {
      invitationId: invitation.id,
      endsAt: roleEnd,
      roles: invitation.roles,
    }),
    refresh: invitationCardsRefresh(ctx, invitation.id),
  });
}

export function declineInvitation(
  invitation: Invitation,
  reason: string | undefined,
  ctx: DecisionContext,
): Result<{ invitation: Invitation; audit: AuditEvent; notification: Notification; refresh: Notification }> {
  if (invitation.status !== "pending") return fail(TRANSITION_ERRORS.notPending, `invitation is ${invitation.status}`);
  const decided: Invitation = {
    ...invitation,
    status: "declined",
    decidedAt: ctx.now,
    decidedBy: ctx.actor,
    ...(reason ? { declineReason: reason } : {}),
  };
  return ok({
    invitation: decided,
    audit: auditEvent(
      ctx,
      "invitation.decline",
      invitationTarget(invitation),
      { status: invitation.status },
      { status: "declined", reason: reason ?? null },
    ),
    notification: notification(ctx, invitation.partnerId, "invitationDeclined", { invitationId: invitation.id, reason: reason ?? "" }),
    refresh: invitationCardsRefresh(ctx, invitation.id),
  });
}

/** Admin types lose their admin part: "Reseller & delegated administrator" becomes "Reseller". */
export function typesWithoutAdminRoles(types: readonly PartnerType[]): PartnerType[] {
  const out = types.flatMap((type): PartnerType[] =>
    type === "resellerAndDelegatedAdministrator" ? ["reseller"] : ADMIN_PARTNER_TYPES.has(type) ? [] : [type],
  );
  return [...new Set(out)];
}

export function removeRoles(
  relationship: Relationship,
  ctx: DecisionContext,
): Result<{ relationship: Relationship; audit: AuditEvent; notification: Notification }> {
  if (relationship.status !== "active" && relationship.status !== "terminationRequested")
    return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.roles.length === 0) return fail(TRANSITION_ERRORS.noRoles, "the partner holds no admin roles");
  const updated: Relationship = { ...relationship, roles: [], types: typesWithoutAdminRoles(relationship.types) };
  return ok({
    relationship: updated,
    audit: auditEvent(
      ctx,
      "relationship.removeRoles",
      relationshipTarget(relationship.partnerId),
      { types: relationship.types, roles: relationship.roles },
      { types: updated.types, roles: [] },
    ),
    notification: notification(ctx, relationship.partnerId, "rolesRemoved", { removedRoles: relationship.roles.map((r) => r.roleId) }),
  });
}

export function acceptAgreement(
  relationship: Relationship,
  agreement: Agreement,
  ctx: DecisionContext,
): Result<{ relationship: Relationship; acceptance: Acceptance; audit: AuditEvent; notification: Notification }> {
  if (relationship.status !== "active") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.agreement.status === "accepted" && relationship.agreement.version === agreement.version) {
    return fail(TRANSITION_ERRORS.agreementAlreadyAccepted, "agreement already accepted");
  }
  const updated: Relationship = { ...relationship, agreement: { status: "accepted", version: agreement.version } };
  return ok({
    relationship: updated,
    acceptance: {
      id: ctx.newId(),
      tenantId: relationship.tenantId,
      agreementVersion: agreement.version,
      partnerId: relationship.partnerId,
      acceptedBy: ctx.actor,
      acceptedAt: ctx.now,
    },
    audit: auditEvent(
      ctx,
      "agreement.accept",
      relationshipTarget(relationship.partnerId),
      { agreement: relationship.agreement },
      { agreement: updated.agreement },
    ),
    notification: notification(ctx, relationship.partnerId, "agreementAccepted", { agreementVersion: agreement.version }),
  });
}

export function requestEnd(
  relationship: Relationship,
  message: string | undefined,
  ctx: DecisionContext,
): Result<{ relationship: Relationship; audit: AuditEvent; notification: Notification }> {
  if (relationship.status !== "active") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  const updated: Relationship = { ...relationship, status: "terminationRequested", terminationRequestedAt: ctx.now };
  return ok({
    relationship: updated,
    audit: auditEvent(
      ctx,
      "relationship.requestEnd",
      relationshipTarget(relationship.partnerId),
      { status: relationship.status },
      { status: updated.status, message: message ?? null },
    ),
    notification: notification(ctx, relationship.partnerId, "terminationRequested", { message: message ?? "" }),
  });
}

const union = <T>(a: readonly T[], b: readonly T[]): T[] => [...new Set([...a, ...b])];

export interface ContactRequestSent {
  contactRequest: ContactRequest;
  audit: AuditEvent;
  notifications: Notification[];
}

/** A contact request to one or more partners: one row, one audit event, one notification per partner. */
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
  return {
    contactRequest,
    audit: auditEvent(ctx, "contactRequest.send", `contactRequest:${id}`, null, { partnerIds, businessNeeds }),
    notifications: partnerIds.map((partnerId) => notification(ctx, partnerId, "contactRequest", { contactRequestId: id })),
  };
}

/** The partner confirms the end the customer asked for: the relationship ends and every role with it. */
export function confirmEnd(
  relationship: Relationship,
  ctx: DecisionContext,
): Result<{ relationship: Relationship; audit: AuditEvent; notification: Notification }> {
  if (relationship.status !== "terminationRequested") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  const updated: Relationship = { ...relationship, status: "terminated", roles: [], endsAt: ctx.now };
  return ok({
    relationship: updated,
    audit: auditEvent(
      ctx,
      "relationship.end",
      relationshipTarget(relationship.partnerId),
      { status: relationship.status, roles: relationship.roles },
      { status: "terminated", roles: [] },
    ),
    notification: {
      ...notification(ctx, relationship.partnerId, "relationshipEnded", { partnerName: relationship.partnerName }),
      recipient: { kind: "tenantAdmins", tenantId: relationship.tenantId },
    },
  });
}
