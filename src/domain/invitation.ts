import { z } from "zod";
import { PrimaryContactSchema } from "./agreement.js";
import { MicrosoftSideSchema } from "./microsoftSide.js";
import { PartnerTypeSchema } from "./partnerTypes.js";
import { RoleTemplateIdSchema } from "./roles.js";
import { MAX_RELATIONSHIP_DAYS } from "./time.js";
import { PersonSchema } from "./person.js";

export { PersonSchema } from "./person.js";

export const InvitationStatusSchema = z.enum(["pending", "accepted", "declined", "expired", "withdrawn"]);

/**
 * Four-eyes: the first admin's acceptance of an invitation that asks for Global administrator, while the tenant
 * requires a second admin's approval. Everything the acceptance needs is kept (the agreement version they ticked,
 * their contact details for Partner Center's record), so the second admin's approval completes it as it stands.
 */
export const FirstApprovalSchema = z.object({
  by: PersonSchema,
  at: z.iso.datetime(),
  agreementVersion: z.string().min(1).max(64),
  contact: PrimaryContactSchema,
});
export type FirstApproval = z.infer<typeof FirstApprovalSchema>;

/** A partner's request to a customer tenant for a relationship (and, for admin types, roles). */
export const InvitationSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  partnerId: z.string().min(1),
  partnerName: z.string().min(1),
  relationshipTypes: z.array(PartnerTypeSchema).min(1),
  roles: z.array(RoleTemplateIdSchema),
  durationDays: z.number().int().min(1).max(MAX_RELATIONSHIP_DAYS),
  message: z.string().max(2000),
  status: InvitationStatusSchema,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().optional(),
  decidedBy: PersonSchema.optional(),
  declineReason: z.string().max(1000).optional(),
  /**
   * The bot sent the tenant's admins a card for it (the invitation arrived through Partner Desk): a decision
   * then updates those cards in place. Invitations that reached no one's chat have no card to update.
   */
  announced: z.boolean().optional(),
  /**
   * The GDAP relationship this invitation is in Microsoft 365, when the partner was connected when it sent it;
   * absent for a standalone invitation (Partner Desk's record only) and in rows written before there was one.
   */
  microsoft: MicrosoftSideSchema.optional(),
  /** Accepted once and waiting for a second, different admin (four-eyes); still `pending`, nothing granted. */
  firstApproval: FirstApprovalSchema.optional(),
});
export type Invitation = z.infer<typeof InvitationSchema>;
