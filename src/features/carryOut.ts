import { isWaitingStatus } from "../domain/microsoftSide.js";
import type { Relationship } from "../domain/relationship.js";
import type { Failure } from "../domain/result.js";
import { GDAP_ERROR } from "../microsoft/gdap/errors.js";
import type { Ports } from "./ports.js";

/**
 * The partner tenant whose connection carries out a customer's removal of roles or the end of a relationship: only
 * for a relationship with a GDAP side, and only while its partner is connected (the partner agreed to this when it
 * connected). Microsoft's fresh read then decides what can be done, whatever status Partner Desk last stored. The
 * tenant is the one the relationship lives in, kept on its side; rows written before it was kept use the
 * directory's. Undefined: Partner Desk records the decision only, and the admin center is where it takes effect.
 */
export async function connectedPartnerTenant(
  ports: Pick<Ports, "partners" | "connections">,
  relationship: Relationship,
): Promise<string | undefined> {
  const side = relationship.microsoft;
  if (!side) return undefined;
  const tenantId = (side.partnerTenantId ?? (await ports.partners.get(relationship.partnerId))?.tenantId)?.toLowerCase();
  if (!tenantId) return undefined;
  const connection = await ports.connections.get(tenantId, relationship.partnerId);
  return connection?.value.status === "connected" ? tenantId : undefined;
}

/** Microsoft's status in a refusal of the removal (GDAP.NOT_ACTIVE), if it named one; "" otherwise. */
export function refusedStatus(failure: Failure): string {
  const status = failure.details?.["gdapStatus"];
  return typeof status === "string" ? status : "";
}

/** Microsoft refused because the GDAP request still waits for the customer's approval: nothing in effect to remove. */
export const refusedAsWaiting = (failure: Failure): boolean =>
  failure.code === GDAP_ERROR.NOT_ACTIVE && isWaitingStatus(refusedStatus(failure));
