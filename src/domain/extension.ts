import { write, type Decision } from "./decision.js";
import { auditEvent, notification, relationshipTarget, type DecisionContext } from "./decisionRows.js";
import type { MicrosoftSide } from "./microsoftSide.js";
import type { Relationship } from "./relationship.js";
import { fail, ok, type Result } from "./result.js";
import { ROLE } from "./roles.js";

/*
 * Extending a relationship (issue 13, item 2). GDAP relationships are time-bound, and Microsoft's rules are few and
 * sharp: a relationship with Global Administrator cannot extend itself (auto-extension is refused), an expired or
 * ended one cannot be restored (only replaced by a new invitation), and turning auto-extension on sends no email.
 */

/** The only auto-extension Microsoft offers: 180 days at a time. */
export const AUTO_EXTEND_DURATION = "P180D";
export const EXTENSION_MESSAGE_MAX = 500;

export const EXTENSION_ERRORS = {
  /** Global administrator among the roles: Microsoft does not auto-extend such a relationship. */
  globalAdministrator: "EXTENSION.GLOBAL_ADMINISTRATOR",
  /** Expired, terminated or ending: it cannot be extended or restored, only replaced by a new invitation. */
  ended: "EXTENSION.ENDED",
  /** No GDAP relationship in Microsoft behind it, or the partner is not connected: Partner Desk cannot change it there. */
  notConnected: "EXTENSION.NOT_CONNECTED",
  /** Microsoft extends it already. */
  alreadyOn: "EXTENSION.ALREADY_ON",
} as const;

/**
 * What Microsoft answered when a connected partner turned auto-extension on. Partner Desk records exactly this:
 * - `turnedOn`: Graph shows the relationship with autoExtendDuration P180D (after our PATCH, or read after a 202);
 * - `alreadyOn`: Microsoft's fresh read showed it on already: nothing was sent;
 * - `accepted`: Graph accepted the change (202) but does not show it yet: nothing may say it is on.
 */
export interface TurnedOnAutoExtension {
  answer: "turnedOn" | "alreadyOn" | "accepted";
  side: MicrosoftSide;
}

export const holdsGlobalAdministrator = (relationship: Pick<Relationship, "roles">): boolean =>
  relationship.roles.some((r) => r.roleId.toLowerCase() === ROLE.globalAdministrator);

/** Whether this relationship can be extended in place (auto-extension), or why not; a new invitation always can. */
export function autoExtensionRefusal(relationship: Relationship, connected: boolean): string | undefined {
  if (relationship.status !== "active") return EXTENSION_ERRORS.ended;
  if (holdsGlobalAdministrator(relationship)) return EXTENSION_ERRORS.globalAdministrator;
  if (!connected || !relationship.microsoft) return EXTENSION_ERRORS.notConnected;
  if (relationship.microsoft.autoExtendDuration === AUTO_EXTEND_DURATION) return EXTENSION_ERRORS.alreadyOn;
  return undefined;
}

/**
 * The customer asks the partner to extend: an audit event and the partner's card, which offers the answers the
 * relationship allows (auto-extension only when nothing rules it out at the moment of asking; the partner's press
 * checks again).
 */
export function requestExtension(
  relationship: Relationship,
  message: string | undefined,
  autoExtendPossible: boolean,
  ctx: DecisionContext,
): Result<{ decision: Decision }> {
  if (relationship.status === "terminated") return fail(EXTENSION_ERRORS.ended, "the relationship has ended");
  const audit = auditEvent(ctx, "extension.request", relationshipTarget(relationship.partnerId), undefined, {
    endsAt: relationship.endsAt ?? null,
    message: message ?? null,
  });
  const toPartner = notification(ctx, relationship.partnerId, "extensionRequested", {
    roles: relationship.roles.map((r) => r.roleId),
    endsAt: relationship.endsAt ?? "",
    status: relationship.status,
    autoExtendPossible,
    ...(message ? { message } : {}),
  });
  return ok({ decision: { tenantId: relationship.tenantId, writes: [write.audit(audit), write.notification(toPartner)] } });
}

/**
 * Microsoft said auto-extension is on: the relationship keeps Microsoft's side as Graph showed it, and the customer's
 * admins are told here, since Microsoft sends no email about it.
 */
export function recordAutoExtension(
  relationship: Relationship,
  side: MicrosoftSide,
  ctx: DecisionContext,
): { decision: Decision; relationship: Relationship } {
  const updated: Relationship = { ...relationship, microsoft: side };
  const audit = auditEvent(
    ctx,
    "extension.autoExtend",
    relationshipTarget(relationship.partnerId),
    { autoExtendDuration: relationship.microsoft?.autoExtendDuration ?? null },
    { autoExtendDuration: side.autoExtendDuration ?? null },
  );
  const toAdmins = {
    ...notification(ctx, "", "autoExtensionOn", { partnerId: relationship.partnerId, partnerName: relationship.partnerName }),
    recipient: { kind: "tenantAdmins" as const, tenantId: relationship.tenantId },
  };
  return {
    relationship: updated,
    decision: { tenantId: relationship.tenantId, writes: [write.relationship(updated), write.audit(audit), write.notification(toAdmins)] },
  };
}
