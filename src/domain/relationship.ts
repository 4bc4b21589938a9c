import { z } from "zod";
import { MicrosoftSideSchema } from "./microsoftSide.js";
import { PartnerTypeSchema } from "./partnerTypes.js";
import { RoleTemplateIdSchema } from "./roles.js";

export const RelationshipStatusSchema = z.enum(["active", "terminationRequested", "terminated", "expired"]);

export const GrantedRoleSchema = z.object({ roleId: RoleTemplateIdSchema, expiresAt: z.iso.datetime() });

/** A customer tenant x partner relationship: what the partner is, which roles it holds, and until when. */
export const RelationshipSchema = z.object({
  tenantId: z.string().min(1),
  partnerId: z.string().min(1),
  partnerName: z.string().min(1),
  /** Empty once admin roles are removed from a partner that was only a delegated administrator. */
  types: z.array(PartnerTypeSchema),
  roles: z.array(GrantedRoleSchema),
  agreement: z.object({ status: z.enum(["accepted", "notAccepted"]), version: z.string().optional() }),
  status: RelationshipStatusSchema,
  since: z.iso.datetime(),
  endsAt: z.iso.datetime().optional(),
  terminationRequestedAt: z.iso.datetime().optional(),
  /**
   * The GDAP relationship in Microsoft 365 whose roles these are, taken over from the accepted GDAP invitation.
   * Its roles are in effect only when Microsoft says so (`status`), never because the invitation was accepted.
   */
  microsoft: MicrosoftSideSchema.optional(),
});
export type Relationship = z.infer<typeof RelationshipSchema>;
