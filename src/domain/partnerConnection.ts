import { z } from "zod";

/** Who did something, as the channel vouched for them. */
const ActorSchema = z.object({ userId: z.string().min(1), name: z.string() });

export const CONNECTION_STATUSES = ["connected", "disconnected"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** What the last check found: "CONNECTION.OK", or the code of what was missing when a check was stored anyway. */
export const CONNECTION_CHECK_OK = "CONNECTION.OK";

/**
 * A partner's connection to Microsoft: its admin consented to Partner Desk's app in the partner's own tenant, and
 * Partner Desk saw Graph's delegatedAdminRelationships there with an app-only token. One per partner, kept in the
 * partner's tenant (the tenant of the contact who connected it), because that is the tenant whose consent it
 * records and where the GDAP calls go.
 */
export const PartnerConnectionSchema = z.object({
  partnerId: z.string().min(1).max(64),
  /** The partner's Entra tenant (the contact's tenant): where tokens are asked for and the GDAP API is called. */
  partnerTenantId: z.string().min(1).max(64),
  status: z.enum(CONNECTION_STATUSES),
  checkedAt: z.iso.datetime(),
  checkedBy: ActorSchema,
  /** A code: CONNECTION_CHECK_OK, or a GDAP_ERROR code. */
  lastCheck: z.string().min(1).max(100),
  /** How many relationships Graph listed at the last successful check. */
  relationshipsVisible: z.number().int().nonnegative().optional(),
  connectedAt: z.iso.datetime().optional(),
  connectedBy: ActorSchema.optional(),
  disconnectedAt: z.iso.datetime().optional(),
  disconnectedBy: ActorSchema.optional(),
});
export type PartnerConnection = z.infer<typeof PartnerConnectionSchema>;
