import type { AuditAction, AuditEvent } from "./audit.js";
import type { Invitation } from "./invitation.js";
import type { Notification, NotificationType } from "./notification.js";

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
  /** A removal that chose no role (every box unticked): nothing to do, so nothing is written. */
  noRolesChosen: "RELATIONSHIP.NO_ROLES_CHOSEN",
  /** A removal that names a role the partner does not hold (a stale card): refused rather than guessed. */
  roleNotHeld: "RELATIONSHIP.ROLE_NOT_HELD",
  notActive: "RELATIONSHIP.NOT_ACTIVE",
  agreementAlreadyAccepted: "AGREEMENT.ALREADY_ACCEPTED",
  /** An invitation asking for admin roles without a type that gets them (e.g. Reseller only). */
  rolesNeedAdminType: "INVITATION.ROLES_NEED_ADMIN_TYPE",
  /** Four-eyes: the admin who accepted first tried to be the second approval too. Nothing is written. */
  sameApprover: "INVITATION.SAME_APPROVER",
  /** Four-eyes: an approval pressed for an invitation nobody has accepted first (a stale or hand-made press). */
  noFirstApproval: "INVITATION.NO_FIRST_APPROVAL",
  /** Four-eyes: the agreement changed since the first admin accepted it; the second cannot approve another version. */
  agreementChanged: "INVITATION.AGREEMENT_CHANGED",
} as const;

/** Audit targets start with the partner, so a partner's history is one prefix match. */
export const relationshipTarget = (partnerId: string): string => `partner:${partnerId}`;
export const invitationTarget = (invitation: Pick<Invitation, "partnerId" | "id">): string =>
  `partner:${invitation.partnerId}/invitation:${invitation.id}`;

export function auditEvent(ctx: DecisionContext, action: AuditAction, target: string, before: unknown, after: unknown): AuditEvent {
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
