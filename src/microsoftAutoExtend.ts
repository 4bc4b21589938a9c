import { AUTO_EXTEND_DURATION, type TurnedOnAutoExtension } from "./domain/extension.js";
import { fail, ok, type Result } from "./domain/result.js";
import { GDAP_ERROR, type GdapClient } from "./microsoft/gdap/index.js";
import { sideOf } from "./microsoft/gdapSide.js";

/** A stale ETag is read again and tried once more; a second 412 means it keeps changing, and the partner is told so. */
const CONFLICT_RETRIES = 1;

/**
 * Auto-extension turned on in the partner's tenant, as "Update delegatedAdminRelationship" allows it: the relationship
 * read fresh (its `@odata.etag`), then PATCHed with `If-Match` and `{ autoExtendDuration: "P180D" }`. Graph allows it
 * while created or active and never with Global Administrator (refused before sending). Nothing is stored here.
 */
export async function turnOnAutoExtend(
  client: GdapClient,
  relationshipId: string,
  clock: () => Date,
  partnerTenantId?: string,
  approvalLinkOf?: (relationshipId: string) => string,
): Promise<Result<TurnedOnAutoExtension>> {
  for (let attempt = 0; ; attempt++) {
    const read = await client.getRelationship(relationshipId);
    if (!read.ok) return read;
    const relationship = read.value;
    if (relationship.autoExtendDuration === AUTO_EXTEND_DURATION)
      return ok({ answer: "alreadyOn", side: sideOf(relationship, clock(), partnerTenantId, approvalLinkOf) });
    const updated = await client.updateAutoExtend(relationship, AUTO_EXTEND_DURATION);
    if (updated.ok) {
      if (updated.value.kind === "updated") {
        const shown = updated.value.relationship;
        const side = sideOf(shown, clock(), partnerTenantId, approvalLinkOf);
        return ok({ answer: shown.autoExtendDuration === AUTO_EXTEND_DURATION ? "turnedOn" : "accepted", side });
      }
      // Accepted as an operation: what Microsoft shows now decides what may be said.
      const again = await client.getRelationship(relationshipId);
      const side = sideOf(again.ok ? again.value : relationship, clock(), partnerTenantId, approvalLinkOf);
      return ok({ answer: again.ok && again.value.autoExtendDuration === AUTO_EXTEND_DURATION ? "turnedOn" : "accepted", side });
    }
    if (updated.code !== GDAP_ERROR.CONFLICT) return updated;
    if (attempt >= CONFLICT_RETRIES)
      return fail(GDAP_ERROR.CONFLICT, `the relationship changed in Microsoft between each read and its update (${attempt + 1} tries)`, {
        tries: attempt + 1,
      });
  }
}
