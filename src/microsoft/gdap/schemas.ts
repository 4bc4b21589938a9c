import { z } from "zod";
import { GDAP_RELATIONSHIP_STATUSES, type GdapRelationshipStatus } from "../../domain/microsoftSide.js";

/**
 * What Microsoft Graph v1.0 answers for `tenantRelationships/delegatedAdminRelationships`, as its reference pages
 * ("delegatedAdminRelationship resource type", "List delegatedAdminRelationships", "Create requests") describe it.
 * Every answer is parsed here; one that does not parse is a failure (`GDAP.BAD_RESPONSE`), never used.
 */

/**
 * `delegatedAdminRelationshipStatus`; `unknownFutureValue` is what Graph sends for a member added after v1.0. The
 * domain keeps the one list (invitations and relationships store Microsoft's status); the client parses with it.
 */
export const GDAP_STATUSES = GDAP_RELATIONSHIP_STATUSES;
export type GdapStatus = GdapRelationshipStatus;

/** ISO 8601 durations as Graph writes them (P730D, P2Y, P180D, PT0S). */
export const IsoDurationSchema = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/);

/**
 * A read-only timestamp. Graph's own create example answers `"activatedDateTime": ""` and the list example
 * `null` for a relationship that never became active: both mean "not yet".
 */
const OptionalTimestamp = z
  .union([z.iso.datetime({ offset: true }), z.literal(""), z.null()])
  .optional()
  .transform((value) => (value ? value : undefined));

const RelationshipWireSchema = z.object({
  "@odata.etag": z.string().min(1),
  id: z.string().min(1),
  displayName: z.string(),
  duration: IsoDurationSchema,
  customer: z.object({ tenantId: z.string().min(1), displayName: z.string().nullish() }).nullish(),
  accessDetails: z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string().min(1) })) }),
  status: z.enum(GDAP_STATUSES),
  autoExtendDuration: IsoDurationSchema.nullish(),
  createdDateTime: OptionalTimestamp,
  lastModifiedDateTime: OptionalTimestamp,
  activatedDateTime: OptionalTimestamp,
  endDateTime: OptionalTimestamp,
});

/** A relationship as the rest of Partner Desk sees it: Graph's fields, the ETag named, the roles as a list of ids. */
export const GdapRelationshipSchema = RelationshipWireSchema.transform((wire) => ({
  id: wire.id,
  etag: wire["@odata.etag"],
  displayName: wire.displayName,
  status: wire.status,
  duration: wire.duration,
  autoExtendDuration: wire.autoExtendDuration ?? undefined,
  customer: wire.customer ? { tenantId: wire.customer.tenantId, displayName: wire.customer.displayName ?? undefined } : undefined,
  roleDefinitionIds: wire.accessDetails.unifiedRoles.map((role) => role.roleDefinitionId),
  createdDateTime: wire.createdDateTime,
  lastModifiedDateTime: wire.lastModifiedDateTime,
  activatedDateTime: wire.activatedDateTime,
  endDateTime: wire.endDateTime,
}));
export type GdapRelationship = z.output<typeof GdapRelationshipSchema>;

export const GdapRelationshipPageSchema = z.object({
  value: z.array(GdapRelationshipSchema),
  "@odata.nextLink": z.string().optional(),
});

/** `delegatedAdminRelationshipRequestAction`; approve and reject are the indirect reseller's, never the partner's own. */
export const GDAP_REQUEST_ACTIONS = ["lockForApproval", "approve", "terminate", "reject", "unknownFutureValue"] as const;
export type GdapRequestAction = (typeof GDAP_REQUEST_ACTIONS)[number];

/** A `delegatedAdminRelationshipRequest` as Graph answers its creation (201). */
export const GdapRelationshipRequestSchema = z.object({
  id: z.string().min(1),
  action: z.enum(GDAP_REQUEST_ACTIONS),
  status: z.enum(["created", "pending", "succeeded", "failed", "unknownFutureValue"]),
  createdDateTime: OptionalTimestamp,
  lastModifiedDateTime: OptionalTimestamp,
});
export type GdapRelationshipRequest = z.output<typeof GdapRelationshipRequestSchema>;

/** Graph's error body: `{ error: { code, message } }`. */
export const GraphErrorSchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });
