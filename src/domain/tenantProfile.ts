import { z } from "zod";

/** What partners see as the customer's name (Teams activities carry the tenant id, not its name). */
export const TenantProfileSchema = z.object({
  tenantId: z.string().min(1),
  displayName: z.string().min(1).max(200),
  updatedAt: z.iso.datetime(),
});
export type TenantProfile = z.infer<typeof TenantProfileSchema>;
