import { ENDING_OR_ENDED, IN_EFFECT, type CarriedOutRemoval } from "./domain/microsoftRemoval.js";
import { fail, ok, type Result } from "./domain/result.js";
import type { RemovalRequest } from "./features/ports.js";
import { GDAP_ERROR, type GdapClient, type GdapRelationship } from "./microsoft/gdap/index.js";
import { sideOf } from "./microsoft/gdapSide.js";

/**
 * How often a stale ETag is read again and the removal decided afresh: once. Someone (Partner Center, another
 * instance) changed the relationship between our read and our PATCH; a second 412 means it keeps changing, and the
 * admin is told so rather than Partner Desk pressing on.
 */
const CONFLICT_RETRIES = 1;

/**
 * A customer's removal carried out in the partner's tenant, as Microsoft's "Update delegatedAdminRelationship" and
 * "Create requests" pages allow it: the relationship is read fresh (its `@odata.etag`); while it is `active` the
 * roles that remain are PATCHed with `If-Match` (Graph answers 200 with the relationship, or 202 Accepted for the
 * long-running removal, Global Administrator's among them); when no role would remain it is terminated
 * (`requests { action: terminate }`, allowed while active or expiring), because a relationship keeps at least one
 * role. Roles Graph does not show are not sent (nothing to remove); a relationship still waiting for the customer's
 * approval has nothing in effect to remove, and Partner Desk never approves one. Nothing is stored here.
 */
export async function carryOutRemoval(
  client: GdapClient,
  request: RemovalRequest,
  clock: () => Date,
  partnerTenantId?: string,
  approvalLinkOf?: (relationshipId: string) => string,
): Promise<Result<CarriedOutRemoval>> {
  for (let attempt = 0; ; attempt++) {
    const read = await client.getRelationship(request.relationshipId);
    if (!read.ok) return read;
    const relationship = read.value;
    const side = () => sideOf(relationship, clock(), partnerTenantId, approvalLinkOf);
    if (ENDING_OR_ENDED.has(relationship.status)) return ok({ answer: "nothingToRemove", side: side() });
    if (!IN_EFFECT.has(relationship.status)) return notInEffect(relationship);

    const { removing, remaining } = split(relationship, request.roles);
    if (removing.length === 0) return ok({ answer: "nothingToRemove", side: side() });
    if (remaining.length === 0) {
      const terminated = await client.terminate(relationship.id);
      if (!terminated.ok) return terminated;
      // Graph's request answer carries no relationship; "Create requests" documents terminate's next status.
      return ok({
        answer: "terminationRequested",
        side: sideOf({ ...relationship, status: "terminationRequested" }, clock(), partnerTenantId, approvalLinkOf),
      });
    }
    if (relationship.status !== "active") return notInEffect(relationship);

    const updated = await client.updateAccessDetails(relationship, remaining);
    if (updated.ok) {
      const answer = updated.value;
      if (answer.kind === "updated")
        return ok({ answer: "removed", side: sideOf(answer.relationship, clock(), partnerTenantId, approvalLinkOf) });
      return ok({ answer: "accepted", side: side(), ...(answer.operationUrl ? { operationUrl: answer.operationUrl } : {}) });
    }
    if (updated.code !== GDAP_ERROR.CONFLICT) return updated;
    if (attempt >= CONFLICT_RETRIES)
      return fail(
        GDAP_ERROR.CONFLICT,
        `the relationship changed in Microsoft between each read and its update (${attempt + 1} tries); nothing was removed`,
        { tries: attempt + 1 },
      );
  }
}

/** The roles Graph shows split into those the removal takes and those that stay (role ids compared in lower case). */
function split(relationship: GdapRelationship, roles: RemovalRequest["roles"]): { removing: string[]; remaining: string[] } {
  const chosen = roles === "all" ? undefined : new Set(roles.map((id) => id.toLowerCase()));
  const goes = (id: string) => chosen === undefined || chosen.has(id.toLowerCase());
  return {
    removing: relationship.roleDefinitionIds.filter(goes),
    remaining: relationship.roleDefinitionIds.filter((id) => !goes(id)),
  };
}

/** Roles change only while active (and end with a terminate while expiring); waiting or unknown: nothing to send. */
function notInEffect(relationship: GdapRelationship) {
  return fail(
    GDAP_ERROR.NOT_ACTIVE,
    `the relationship is ${relationship.status} in Microsoft; its roles can only be removed while it is active`,
    { gdapStatus: relationship.status },
  );
}
