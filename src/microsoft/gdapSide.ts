import type { MicrosoftSide } from "../domain/microsoftSide.js";
import { approvalLink, type GdapRelationship } from "./gdap/index.js";

/** Microsoft's side as Partner Desk keeps it; `approvalLinkOf` is the wiring's (the simulated admin center in the demo). */
export function sideOf(
  relationship: GdapRelationship,
  now: Date,
  partnerTenantId?: string,
  approvalLinkOf: (relationshipId: string) => string = approvalLink,
): MicrosoftSide {
  return {
    relationshipId: relationship.id,
    displayName: relationship.displayName,
    ...(partnerTenantId ? { partnerTenantId } : {}),
    status: relationship.status,
    approvalLink: approvalLinkOf(relationship.id),
    ...(relationship.activatedDateTime ? { activatedAt: new Date(relationship.activatedDateTime).toISOString() } : {}),
    ...(relationship.endDateTime ? { endsAt: new Date(relationship.endDateTime).toISOString() } : {}),
    ...(relationship.autoExtendDuration ? { autoExtendDuration: relationship.autoExtendDuration } : {}),
    syncedAt: now.toISOString(),
  };
}
