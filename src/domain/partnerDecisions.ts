import { write, type Decision } from "./decision.js";
import { auditEvent, invitationTarget, notification, relationshipTarget, TRANSITION_ERRORS, type DecisionContext } from "./decisionRows.js";
import type { Invitation } from "./invitation.js";
import type { CarriedOutRemoval } from "./microsoftRemoval.js";
import type { MicrosoftSide } from "./microsoftSide.js";
import type { AuditEvent } from "./audit.js";
import type { Notification } from "./notification.js";
import type { Relationship } from "./relationship.js";
import { fail, ok, type Failure, type Result } from "./result.js";
import { allowsAdminRoles } from "./partnerTypes.js";
import { addDays, INVITATION_TTL_DAYS } from "./time.js";

/** What a partner contact asks a customer for; checked by the form before it becomes a decision. */
export interface InvitationToSend {
  id: string;
  partner: { id: string; name: string };
  relationshipTypes: Invitation["relationshipTypes"];
  roles: Invitation["roles"];
  durationDays: number;
  message: string;
  /** The GDAP relationship the partner's connection created and locked for approval; absent when standalone. */
  microsoft?: MicrosoftSide;
}

/**
 * What a partner may not ask for: admin roles without a type that gets them (a Reseller gets none). The form
 * checks it before anything is asked of Microsoft; sending checks it again, so no caller can store it.
 */
export function askProblem(asked: Pick<InvitationToSend, "relationshipTypes" | "roles">): Failure | undefined {
  if (asked.roles.length > 0 && !allowsAdminRoles(asked.relationshipTypes))
    return fail(TRANSITION_ERRORS.rolesNeedAdminType, `admin roles asked with types ${asked.relationshipTypes.join(",")}`);
  return undefined;
}

/**
 * A partner sends a customer an invitation: it waits, pending, for the customer's admins (90 days at most); the
 * admins who talk to the bot get it as a card. Written in the customer's partition, by the partner's contact.
 * A connected partner's invitation carries its GDAP relationship, already created and locked for approval in
 * Microsoft: the decision only records it (the Graph calls come first, in the feature, and store nothing).
 */
export function sendInvitation(
  asked: InvitationToSend,
  ctx: DecisionContext,
): Result<{ invitation: Invitation; audit: AuditEvent; notification: Notification; decision: Decision }> {
  const refused = askProblem(asked);
  if (refused) return refused;
  const invitation: Invitation = {
    id: asked.id,
    tenantId: ctx.tenantId,
    partnerId: asked.partner.id,
    partnerName: asked.partner.name,
    relationshipTypes: asked.relationshipTypes,
    roles: asked.roles,
    durationDays: asked.durationDays,
    message: asked.message,
    status: "pending",
    createdAt: ctx.now,
    expiresAt: addDays(ctx.now, INVITATION_TTL_DAYS),
    // The card that announces it is queued in this same decision.
    announced: true,
    ...(asked.microsoft ? { microsoft: asked.microsoft } : {}),
  };
  const audit = auditEvent(ctx, "invitation.send", invitationTarget(invitation), null, { invitation });
  const toAdmins: Notification = {
    ...notification(ctx, asked.partner.id, "invitationReceived", { invitationId: invitation.id }),
    recipient: { kind: "tenantAdmins", tenantId: ctx.tenantId },
  };
  return ok({
    invitation,
    audit,
    notification: toAdmins,
    decision: { tenantId: ctx.tenantId, writes: [write.invitation(invitation), write.audit(audit), write.notification(toAdmins)] },
  });
}

/**
 * The partner confirms the end the customer asked for: the relationship ends and every role with it. A connected
 * partner's connection asked Microsoft to terminate the GDAP relationship first: `inMicrosoft` is what Microsoft
 * answered, kept as the relationship's side (terminationRequested until Microsoft finishes), and told the admins.
 */
export function confirmEnd(
  relationship: Relationship,
  ctx: DecisionContext,
  inMicrosoft?: CarriedOutRemoval,
): Result<{ relationship: Relationship; audit: AuditEvent; notification: Notification; decision: Decision }> {
  if (relationship.status !== "terminationRequested") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  const updated: Relationship = {
    ...relationship,
    status: "terminated",
    roles: [],
    endsAt: ctx.now,
    ...(inMicrosoft ? { microsoft: inMicrosoft.side } : {}),
  };
  const audit = auditEvent(
    ctx,
    "relationship.end",
    relationshipTarget(relationship.partnerId),
    { status: relationship.status, roles: relationship.roles },
    {
      status: "terminated",
      roles: [],
      ...(inMicrosoft ? { inMicrosoft: { answer: inMicrosoft.answer, status: inMicrosoft.side.status } } : {}),
    },
  );
  const toAdmins: Notification = {
    ...notification(ctx, relationship.partnerId, "relationshipEnded", {
      partnerName: relationship.partnerName,
      ...(inMicrosoft ? { inMicrosoft: inMicrosoft.answer } : {}),
    }),
    recipient: { kind: "tenantAdmins", tenantId: relationship.tenantId },
  };
  return ok({
    relationship: updated,
    audit,
    notification: toAdmins,
    decision: { tenantId: relationship.tenantId, writes: [write.relationship(updated), write.audit(audit), write.notification(toAdmins)] },
  });
}
