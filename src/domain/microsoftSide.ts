import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * Microsoft's side of an invitation or a relationship, when the partner is connected: the GDAP relationship
 * (Graph `delegatedAdminRelationship`) it is in Microsoft 365. Only Microsoft decides its status: the customer's
 * Global administrator approves it in the admin center, so Partner Desk keeps what Graph last answered.
 */

/** `delegatedAdminRelationshipStatus` as Graph documents it (v1.0), `unknownFutureValue` included. */
export const GDAP_RELATIONSHIP_STATUSES = [
  "created",
  "approvalPending",
  "approved",
  "activating",
  "active",
  "expiring",
  "expired",
  "terminationRequested",
  "terminating",
  "terminated",
  "unknownFutureValue",
] as const;
export type GdapRelationshipStatus = (typeof GDAP_RELATIONSHIP_STATUSES)[number];

/** Statuses in which the roles are asked for but not in effect: the customer has not approved, or Microsoft is still activating. */
const WAITING_FOR_APPROVAL: ReadonlySet<GdapRelationshipStatus> = new Set(["created", "approvalPending", "approved", "activating"]);

export const MicrosoftSideSchema = z.object({
  /** Graph's id of the delegatedAdminRelationship (in the partner's tenant). */
  relationshipId: z.string().min(1).max(200),
  /** Its display name: Partner Desk's idempotency key for the request (at most 50 characters). */
  displayName: z.string().min(1).max(50),
  /**
   * The partner's Entra tenant, where the relationship lives and where Partner Desk calls Graph for it (sync,
   * removal). Absent in rows written before it was kept; the partner directory's tenant is the fallback.
   */
  partnerTenantId: z.string().min(1).max(64).optional(),
  status: z.enum(GDAP_RELATIONSHIP_STATUSES),
  /**
   * Where the customer's Global administrator approves it (the admin center's invitation link). https, or http on
   * loopback: the local demo's simulated admin center, which never leaves the machine.
   */
  approvalLink: z.url({ protocol: /^https?$/ }).refine(isHttpsOrLoopback, "an approval link is https (http only on loopback)"),
  activatedAt: z.iso.datetime().optional(),
  endsAt: z.iso.datetime().optional(),
  /** Graph's `autoExtendDuration`: `PT0S` (no auto-extension) or `P180D`. */
  autoExtendDuration: z.string().min(1).max(20).optional(),
  /** When Partner Desk last read the status from Graph. */
  syncedAt: z.iso.datetime(),
});
export type MicrosoftSide = z.infer<typeof MicrosoftSideSchema>;

function isHttpsOrLoopback(link: string): boolean {
  const url = new URL(link);
  return url.protocol === "https:" || ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/** A GDAP relationship the customer has yet to approve in the admin center (or that Microsoft is activating). */
export const waitingForApproval = (side: MicrosoftSide | undefined): boolean => side !== undefined && isWaitingStatus(side.status);
export const isWaitingStatus = (status: string): boolean => WAITING_FOR_APPROVAL.has(status as GdapRelationshipStatus);

/** What a partner asks Microsoft for; the same request always gets the same display name. */
export interface GdapRequestKey {
  partnerId: string;
  customerTenantId: string;
  relationshipTypes: readonly string[];
  roles: readonly string[];
  durationDays: number;
  message: string;
}

/** Graph's limit for a relationship's display name. */
export const GDAP_DISPLAY_NAME_MAX = 50;

/**
 * The relationship's display name: `PD-` and a hash of everything the partner asked. Display names are unique
 * among a partner's relationships, so it is the idempotency key: a retried or double-pressed send (or Teams
 * retrying a slow invoke) looks it up and finds the relationship the first press made. Lists are sorted and the
 * customer id lower-cased, so the order of the form's choices does not make a second relationship. 35 characters.
 */
export function gdapDisplayName(key: GdapRequestKey): string {
  const canonical = JSON.stringify([
    "partner-desk-gdap-v1",
    key.partnerId,
    key.customerTenantId.toLowerCase(),
    [...key.relationshipTypes].sort(),
    [...key.roles].map((r) => r.toLowerCase()).sort(),
    key.durationDays,
    key.message.trim(),
  ]);
  return `PD-${createHash("sha256").update(canonical).digest("hex").slice(0, 32)}`;
}

/**
 * The invitation of a GDAP relationship: its id derived from the relationship's, so the same relationship is one
 * invitation in Partner Desk (a second commit of it is a conflict, answered "already sent").
 */
export const invitationIdFor = (relationshipId: string): string =>
  `inv-gdap-${createHash("sha256").update(relationshipId.toLowerCase()).digest("hex").slice(0, 24)}`;

/** A duration in whole days as ISO 8601, as Graph's `duration` takes it (P1D to P730D). */
export const isoDurationOfDays = (days: number): string => {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a duration needs a whole number of days, at least 1: ${days}`);
  return `P${days}D`;
};
