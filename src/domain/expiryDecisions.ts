import { write, type Decision } from "./decision.js";
import { auditEvent, notification, relationshipTarget, type DecisionContext } from "./decisionRows.js";
import type { EndMoment, ExpiryWarning, LetItEnd } from "./expiryWarning.js";
import type { Relationship } from "./relationship.js";

/** Who sends expiry warnings: Partner Desk itself, on its schedule (the history names it so). */
export const PARTNER_DESK_SCHEDULER = { userId: "partner-desk-scheduler", name: "Partner Desk" } as const;

/**
 * One expiry warning as one decision in the customer's partition: the marker (created: a second sender conflicts and
 * writes nothing), a card to the customer's admins (unless they chose to let this end come) and one to the partner's
 * contacts, and the audit event.
 */
export function expiryWarningDecision(
  relationship: Relationship,
  moment: EndMoment,
  warning: Pick<ExpiryWarning, "daysBefore" | "late">,
  ctx: DecisionContext,
  options: { adminsLetItEnd?: boolean } = {},
): Decision {
  const marker: ExpiryWarning = {
    tenantId: relationship.tenantId,
    partnerId: relationship.partnerId,
    endsAt: moment.endsAt,
    daysBefore: warning.daysBefore,
    sentAt: ctx.now,
    late: warning.late,
  };
  const payload = {
    partnerId: relationship.partnerId,
    partnerName: relationship.partnerName,
    endsAt: moment.endsAt,
    daysBefore: warning.daysBefore,
    roles: moment.roles,
    whole: moment.whole,
    late: warning.late,
  };
  const toPartner = notification(ctx, relationship.partnerId, "expiryWarning", payload);
  const toAdmins = {
    ...notification(ctx, relationship.partnerId, "expiryWarning", payload),
    recipient: { kind: "tenantAdmins" as const, tenantId: ctx.tenantId },
  };
  const audit = auditEvent(ctx, "expiry.warned", relationshipTarget(relationship.partnerId), undefined, {
    endsAt: moment.endsAt,
    daysBefore: warning.daysBefore,
    late: warning.late,
    roles: moment.roles,
    whole: moment.whole,
    ...(options.adminsLetItEnd ? { toAdmins: false } : {}),
  });
  const cards = options.adminsLetItEnd ? [write.notification(toPartner)] : [write.notification(toAdmins), write.notification(toPartner)];
  return { tenantId: relationship.tenantId, writes: [write.expiryWarning(marker), ...cards, write.audit(audit)] };
}

/**
 * An admin's "Let it end": they know and let the end come. Audited, and remembered for that end, so the later
 * warnings about it no longer go to the admins (the partner is still warned). The relationship does not change.
 */
export function letItEndDecision(relationship: Relationship, endsAt: string, ctx: DecisionContext): Decision {
  const audit = auditEvent(ctx, "expiry.letEnd", relationshipTarget(relationship.partnerId), undefined, { endsAt });
  const choice: LetItEnd = { tenantId: relationship.tenantId, partnerId: relationship.partnerId, endsAt, by: ctx.actor, at: ctx.now };
  return { tenantId: relationship.tenantId, writes: [write.letItEnd(choice), write.audit(audit)] };
}
