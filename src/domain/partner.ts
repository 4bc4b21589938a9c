import { z } from "zod";
import { PartnerTypeSchema } from "./partnerTypes.js";

export const ORGANIZATION_SIZES = ["1-50", "51-250", "251-1000", "1001-5000", "5000+"] as const;
export const OrganizationSizeSchema = z.enum(ORGANIZATION_SIZES);
export type OrganizationSize = z.infer<typeof OrganizationSizeSchema>;

export const PartnerContactSchema = z.object({
  userId: z.string().min(1),
  tenantId: z.string().min(1),
  name: z.string().min(1),
});

/** A solution provider in the directory. */
export const PartnerSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string().min(1).max(200),
  tenantId: z.string().min(1),
  locations: z.array(z.object({ country: z.string().min(2), city: z.string().min(1) })).min(1),
  sizes: z.array(OrganizationSizeSchema).min(1),
  services: z.array(z.string().min(1)).min(1),
  industries: z.array(z.string().min(1)),
  types: z.array(PartnerTypeSchema).min(1),
  contacts: z.array(PartnerContactSchema),
  website: z.url().optional(),
});
export type Partner = z.infer<typeof PartnerSchema>;
