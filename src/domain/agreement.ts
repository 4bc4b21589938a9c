import { z } from "zod";
import { PersonSchema } from "./invitation.js";

/** A version of the Microsoft Customer Agreement. */
export const AgreementSchema = z.object({
  version: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  title: z.string().min(1),
  url: z.url(),
  contentHash: z.string().regex(/^[a-f0-9]{64}$/),
  effectiveFrom: z.iso.datetime(),
});
export type Agreement = z.infer<typeof AgreementSchema>;

export const AcceptanceSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  agreementVersion: z.string().min(1),
  partnerId: z.string().min(1),
  acceptedBy: PersonSchema,
  acceptedAt: z.iso.datetime(),
});
export type Acceptance = z.infer<typeof AcceptanceSchema>;
