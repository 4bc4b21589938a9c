import { recordAcceptance, type Agreement, type PrimaryContact, type RecordedAcceptance } from "./agreement.js";
import type { AuditEvent } from "./audit.js";
import { write, type Decision } from "./decision.js";
import { auditEvent, notification, relationshipTarget, TRANSITION_ERRORS, type DecisionContext } from "./decisionRows.js";
import type { CarriedOutRemoval } from "./microsoftRemoval.js";
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

/** Which roles a removal takes, and what Microsoft answered when a connected partner's connection carried it out. */
export interface RoleRemoval {
  /** Entra role template ids, each one the relationship holds; absent means every role (cards sent before the choice). */
  roleIds?: readonly string[];
  /** Microsoft's answer, when the removal was carried out in the partner's tenant; absent when recorded only. */
  inMicrosoft?: CarriedOutRemoval;
}

/**
 * The chosen roles go, the rest stay; when none remains the types lose their admin part. Carried out in Microsoft,
 * the relationship keeps what Graph said: its side as Microsoft showed it, and, when Microsoft was asked to end the
 * relationship because no role would remain, the status terminationRequested.
 */
export function removeRoles(relationship: Relationship, ctx: DecisionContext, removal: RoleRemoval = {}): Result<RelationshipChanged> {
  if (relationship.status !== "active" && relationship.status !== "terminationRequested")
    return fail(TRANSITION_ERRORS.notActive, `relationship is ${relationship.status}`);
  if (relationship.roles.length === 0) return fail(TRANSITION_ERRORS.noRoles, "the partner holds no admin roles");
  const chosen = new Set((removal.roleIds ?? relationship.roles.map((r) => r.roleId)).map((id) => id.toLowerCase()));
  if (chosen.size === 0) return fail(TRANSITION_ERRORS.noRolesChosen, "no role was chosen to remove");
  const held = new Set(relationship.roles.map((r) => r.roleId.toLowerCase()));
  const notHeld = [...chosen].filter((id) => !held.has(id));
  if (notHeld.length > 0) return fail(TRANSITION_ERRORS.roleNotHeld, `the partner does not hold ${notHeld.join(", ")}`);
  const removed = relationship.roles.filter((r) => chosen.has(r.roleId.toLowerCase()));
  const roles = relationship.roles.filter((r) => !chosen.has(r.roleId.toLowerCase()));
  const carried = removal.inMicrosoft;
  const ending = carried?.answer === "terminationRequested";
  const updated: Relationship = {
    ...relationship,
    roles,
    types: roles.length === 0 ? typesWithoutAdminRoles(relationship.types) : relationship.types,
    ...(carried ? { microsoft: carried.side } : {}),
    ...(ending ? { status: "terminationRequested", terminationRequestedAt: relationship.terminationRequestedAt ?? ctx.now } : {}),
  };
  const inMicrosoft = carried
    ? { answer: carried.answer, status: carried.side.status, ...(carried.operationUrl ? { operationUrl: carried.operationUrl } : {}) }
    : undefined;
  return ok(
    relationshipChanged(
      updated,
      auditEvent(
        ctx,
        "relationship.removeRoles",
        relationshipTarget(relationship.partnerId),
        { types: relationship.types, roles: relationship.roles, ...(ending ? { status: relationship.status } : {}) },
        {
          types: updated.types,
          roles: updated.roles,
          ...(ending ? { status: updated.status } : {}),
          ...(inMicrosoft ? { inMicrosoft } : {}),
        },
      ),
      notification(ctx, relationship.partnerId, "rolesRemoved", {
        removedRoles: removed.map((r) => r.roleId),
        ...(carried ? { inMicrosoft: carried.answer } : {}),
      }),
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
