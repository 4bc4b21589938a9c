import { randomUUID } from "node:crypto";
import type { SimulatedRelationship } from "./ledger.js";

/**
 * The documented rules and shapes of Microsoft Graph's delegatedAdminRelationship: "delegatedAdminRelationship
 * resource type", "Create delegatedAdminRelationship" and "Update delegatedAdminRelationship" (v1.0).
 */

export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
/** Microsoft's "Partner Customer Delegated Administration" app, whose service principal the partner tenant needs. */
export const SERVICE_PRINCIPAL_APP_ID = "2832473f-ec63-45fb-976f-5d45a7d4bb91";

/** The documented validation of a relationship's properties, or undefined. */
export function refusalOf(input: {
  displayName: string | undefined;
  duration: string | undefined;
  roles: string[];
  autoExtendDuration: string;
}): string | undefined {
  if (!input.displayName) return "displayName is required.";
  if (input.displayName.length > 50) return "displayName must be at most 50 characters.";
  const length = input.duration ? days(input.duration) : NaN;
  if (!(length >= 1 && length <= 730)) return "duration must be between P1D and P2Y.";
  if (input.roles.length === 0) return "accessDetails must name at least one role.";
  if (!["PT0S", "P0D", "P180D"].includes(input.autoExtendDuration)) return "autoExtendDuration must be PT0S, P0D or P180D.";
  if (input.autoExtendDuration === "P180D" && input.roles.includes(GLOBAL_ADMINISTRATOR))
    return "autoExtendDuration is not supported when the Global Administrator role is requested.";
  return undefined;
}

/** Days in PnYnWnD (years of 365 days); NaN for anything else. */
export function days(duration: string): number {
  const match = /^P(?:(\d+)Y)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  if (!match || duration === "P") return NaN;
  return Number(match[1] ?? 0) * 365 + Number(match[2] ?? 0) * 7 + Number(match[3] ?? 0);
}

/** A relationship as Graph sends it: `@odata.etag`, and null for dates that have not happened. */
export function wire(r: SimulatedRelationship): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    "@odata.etag": r.etag,
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    customer: r.customer,
    accessDetails: { unifiedRoles: r.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: r.status,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
  };
}

/** Graph's error body: `{ error: { code, message, innerError } }`. */
export function graphError(code: string, message: string) {
  return {
    error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID(), "client-request-id": randomUUID() } },
  };
}
