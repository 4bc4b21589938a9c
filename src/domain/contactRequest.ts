import { z } from "zod";

export const ContactRequestSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  partnerIds: z.array(z.string().min(1)).min(1).max(20),
  businessNeeds: z.string().min(1).max(4000),
  requester: z.object({
    userId: z.string().min(1),
    name: z.string(),
    organization: z.string().max(200).optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
  }),
  createdAt: z.iso.datetime(),
});
export type ContactRequest = z.infer<typeof ContactRequestSchema>;
