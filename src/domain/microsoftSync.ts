import { write, type Decision, type Write } from "./decision.js";
import { auditEvent, invitationCardsRefresh, notification, relationshipTarget, type DecisionContext } from "./decisionRows.js";
import type { Invitation } from "./invitation.js";
import type { Notification, NotificationType } from "./notification.js";
import type { Relationship } from "./relationship.js";
import {
  approvedInAdminCenter,
  beforeApproval,
  followed,
  imported,
  inEffect,
  invitationAfter,
  isLive,
  sameRow,
  sideFrom,
  stamped,
  SYNC_SOURCE,
  unnamedRoles,
  type GraphRelationship,
  type SyncPartner,
} from "./microsoftSyncRows.js";

export {
  MICROSOFT_365_ADMIN_CENTER,
  MICROSOFT_GRAPH,
  SYNC_SOURCE,
  type GraphReadBudget,
  type GraphRelationship,
  type SyncPartner,
} from "./microsoftSyncRows.js";

/**
 * Status sync: what Microsoft Graph says about one of a connected partner's GDAP relationships, made Partner Desk's
 * record in the customer's tenant. Microsoft alone decides a GDAP relationship's status (the customer approves and
 * removes in the admin center), so the sync follows it: every change is one decision in the customer's partition,
 * audited as coming from Microsoft Graph, and the transitions people must hear of go to both sides' outboxes.
 */

/** The transitions that notify the customer's admins and the partner, and the notification type of each. */
export const SYNC_TRANSITIONS = {
  activated: "gdapActivated",
  expired: "gdapExpired",
  terminated: "gdapTerminated",
  imported: "gdapImported",
} as const satisfies Record<string, NotificationType>;
export type SyncTransition = keyof typeof SYNC_TRANSITIONS;

/** What Partner Desk holds for one Graph relationship, in the customer's tenant, as the sync read it. */
export interface PartnerDeskRows {
  /** The invitation whose GDAP relationship this is (its id is invitationIdFor(relationship id)), if any. */
  invitation: Invitation | undefined;
  /** The customer's relationship with the partner, if any. */
  relationship: Relationship | undefined;
}

export interface SyncVerdict {
  /** Every row that changes, in the customer's partition; absent when Partner Desk already says what Microsoft says. */
  decision?: Decision;
  transition?: SyncTransition;
  /**
   * Microsoft shows the relationship in effect, but the customer's relationship with this partner follows another
   * Graph relationship still in force: left as it is (one relationship per partner), and counted.
   */
  untracked: boolean;
}

/** Audit actions of the sync: a followed relationship changed, or one made outside Partner Desk was taken in. */
export const SYNC_AUDIT_ACTIONS = { sync: "microsoft.sync", import: "microsoft.import" } as const;

/**
 * The decision that brings Partner Desk's rows for one Graph relationship to what Microsoft says, or undefined
 * when they already say it (no write per pass when nothing changed). `ctx` is the customer's tenant, with Microsoft
 * Graph as the actor.
 */
export function syncFromGraph(
  graph: GraphRelationship,
  partner: SyncPartner,
  rows: PartnerDeskRows,
  ctx: DecisionContext,
): SyncVerdict | undefined {
  const customerTenantId = graph.customerTenantId;
  // A value Graph added after v1.0 says nothing Partner Desk can act on; a relationship without a customer has no home.
  if (graph.status === "unknownFutureValue" || !customerTenantId || customerTenantId.toLowerCase() !== ctx.tenantId.toLowerCase())
    return undefined;
  const invitation =
    rows.invitation?.partnerId === partner.id && rows.invitation.microsoft?.relationshipId === graph.id ? rows.invitation : undefined;
  const nextInvitation =
    invitation && invitationAfter(invitation, sideFrom(graph, invitation.microsoft, partner.tenantId, ctx.now), graph, ctx.now);
  const plan = relationshipPlan(graph, partner, invitation, rows.relationship, ctx.now);
  if (plan === "untracked") {
    const decision = nextInvitation && decide(graph, partner, { invitation, nextInvitation }, ctx);
    return { ...(decision ? { decision: decision.decision } : {}), untracked: true };
  }
  const decided = decide(graph, partner, { invitation, nextInvitation, relationship: rows.relationship, plan }, ctx);
  return decided
    ? { decision: decided.decision, ...(decided.transition ? { transition: decided.transition } : {}), untracked: false }
    : undefined;
}

interface Plan {
  next: Relationship;
  transition: SyncTransition | undefined;
}

/** The customer's relationship with the partner after this Graph relationship: followed, approved, imported, or left. */
function relationshipPlan(
  graph: GraphRelationship,
  partner: SyncPartner,
  invitation: Invitation | undefined,
  relationship: Relationship | undefined,
  now: string,
): Plan | "untracked" | undefined {
  if (relationship?.microsoft?.relationshipId === graph.id) {
    const next = followed(relationship, sideFrom(graph, relationship.microsoft, partner.tenantId, now), graph, now);
    return { next, transition: transitionOf(relationship, next) };
  }
  // Only a relationship in effect enters the inventory: Partner Desk does not import requests or ended ones.
  if (!inEffect(graph.status)) return undefined;
  const side = sideFrom(graph, undefined, partner.tenantId, now);
  if (invitation?.status === "pending")
    return { next: approvedInAdminCenter(invitation, relationship, side, graph, now), transition: "activated" };
  if (relationship && isLive(relationship) && relationship.microsoft && !["expired", "terminated"].includes(relationship.microsoft.status))
    return "untracked";
  return { next: imported(relationship, side, graph, partner, graph.customerTenantId!, now), transition: "imported" };
}

/** What a followed relationship's change means to people: the roles took effect, or ended. */
function transitionOf(before: Relationship, after: Relationship): SyncTransition | undefined {
  if (beforeApproval(before.microsoft?.status) && after.microsoft && inEffect(after.microsoft.status)) return "activated";
  if (before.status !== "expired" && after.status === "expired") return "expired";
  if (before.status !== "terminated" && after.status === "terminated") return "terminated";
  return undefined;
}

interface Rows {
  invitation: Invitation | undefined;
  nextInvitation: Invitation | undefined;
  relationship?: Relationship | undefined;
  plan?: Plan | undefined;
}

/** The rows that changed, their audit event and notifications, as one decision; undefined when none changed. */
function decide(
  graph: GraphRelationship,
  partner: SyncPartner,
  rows: Rows,
  ctx: DecisionContext,
): { decision: Decision; transition: SyncTransition | undefined } | undefined {
  const invitationChanged = rows.invitation && rows.nextInvitation && !sameRow(rows.invitation, rows.nextInvitation);
  const relationshipChanged = rows.plan && !sameRow(rows.relationship, rows.plan.next);
  if (!invitationChanged && !relationshipChanged) return undefined;
  const invitation = invitationChanged ? stamped(rows.nextInvitation!, ctx.now) : undefined;
  const relationship = relationshipChanged ? stamped(rows.plan!.next, ctx.now) : undefined;
  const transition = relationshipChanged ? rows.plan!.transition : undefined;
  const audit = auditEvent(
    ctx,
    transition === "imported" ? SYNC_AUDIT_ACTIONS.import : SYNC_AUDIT_ACTIONS.sync,
    `${relationshipTarget(partner.id)}/microsoft:${graph.id}`,
    { invitation: rows.invitation && invitationChanged ? summary(rows.invitation) : null, relationship: rows.relationship ?? null },
    {
      source: SYNC_SOURCE,
      graph: { id: graph.id, status: graph.status, roles: graph.roleIds, endsAt: graph.endsAt ?? null, unnamedRoles: unnamedRoles(graph) },
      invitation: invitation ? summary(invitation) : null,
      relationship: relationship ?? null,
    },
  );
  const writes: Write[] = [
    ...(relationship ? [write.relationship(relationship)] : []),
    ...(invitation ? [write.invitation(invitation)] : []),
    write.audit(audit),
    ...notificationsOf(transition, graph, partner, relationship, ctx).map(write.notification),
    // The admins' invitation cards show the invitation's new status in place.
    ...(invitation && invitation.announced && invitation.status !== rows.invitation!.status
      ? [write.notification(invitationCardsRefresh(ctx, invitation.id))]
      : []),
  ];
  return { decision: { tenantId: ctx.tenantId, writes }, transition };
}

const summary = (invitation: Invitation) => ({ id: invitation.id, status: invitation.status, microsoft: invitation.microsoft ?? null });

/** A transition people must hear of goes to the customer's admins and to the partner: what Microsoft said, roles, end. */
function notificationsOf(
  transition: SyncTransition | undefined,
  graph: GraphRelationship,
  partner: SyncPartner,
  relationship: Relationship | undefined,
  ctx: DecisionContext,
): Notification[] {
  if (!transition || !relationship) return [];
  const payload = {
    partnerId: partner.id,
    partnerName: relationship.partnerName,
    relationshipId: graph.id,
    displayName: graph.displayName,
    status: graph.status,
    roles: [...graph.roleIds],
    endsAt: graph.endsAt ?? relationship.endsAt ?? "",
    source: SYNC_SOURCE,
  };
  const type = SYNC_TRANSITIONS[transition];
  const toPartner = notification(ctx, partner.id, type, payload);
  const toAdmins: Notification = {
    ...notification(ctx, partner.id, type, payload),
    recipient: { kind: "tenantAdmins", tenantId: ctx.tenantId },
  };
  return [toAdmins, toPartner];
}
