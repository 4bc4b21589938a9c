import { z } from "zod";

/** Append-only record of a decision: who did what to what, when, and what it changed. */
export const AuditEventSchema = z.object({
  id: z.string().min(1).max(64),
  tenantId: z.string().min(1),
  actor: z.object({ userId: z.string().min(1), name: z.string() }),
  action: z.string().min(1).max(100),
  target: z.string().min(1).max(200),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  at: z.iso.datetime(),
  correlationId: z.string().min(1).max(100),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
