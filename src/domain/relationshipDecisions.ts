import { recordAcceptance, type Agreement, type PrimaryContact, type RecordedAcceptance } from "./agreement.js";
import type { AuditEvent } from "./audit.js";
import { write, type Decision } from "./decision.js";
import { auditEvent, notification, relationshipTarget, TRANSITION_ERRORS, type DecisionContext } from "./decisionRows.js";
import type { Notification } from "./notification.js";
import { ADMIN_PARTNER_TYPES, type PartnerType } from "./partnerTypes.js";
import type { Relationship } from "./relationship.js";
import { fail, ok, type Result } from "./result.js";

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

/** The MCA accepted for a partner the organization already works with, by `contact` (Partner Center's primary contact). */
export function acceptAgreement(
  relationship: Relationship,
  agreement: Agreement,
  contact: PrimaryContact,
  ctx: DecisionContext,
): Result<RelationshipChanged & { acceptance: RecordedAcceptance }> {
  if (relationship.status !== "active") return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.agreement.status === "accepted" && relationship.agreement.version === agreement.version) {
    return fail(TRANSITION_ERRORS.agreementAlreadyAccepted, "agreement already accepted");
  }
  const updated: Relationship = { ...relationship, agreement: { status: "accepted", version: agreement.version } };
  const acceptance = recordAcceptance(
    { id: ctx.newId(), tenantId: relationship.tenantId, partnerId: relationship.partnerId, actor: ctx.actor, now: ctx.now },
    agreement,
    contact,
  );
  const changed = relationshipChanged(
    updated,
    auditEvent(
      ctx,
      "agreement.accept",
      relationshipTarget(relationship.partnerId),
      { agreement: relationship.agreement },
      { agreement: updated.agreement },
    ),
    notification(ctx, relationship.partnerId, "agreementAccepted", { agreementVersion: agreement.version, acceptanceId: acceptance.id }),
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
