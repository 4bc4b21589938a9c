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

/**
 * Every action an audit event records, named once: decisions take their action from here, and every one has a
 * plain sentence in each strings file (`audit.<action>`), so a history never shows a code to a reader.
 */
export const AUDIT_ACTIONS = [
  "invitation.send",
  "invitation.accept",
  "invitation.decline",
  "relationship.removeRoles",
  "relationship.requestEnd",
  "relationship.end",
  "agreement.accept",
  "contactRequest.send",
  "connection.connect",
  "connection.check",
  "connection.checkFailed",
  "connection.disconnect",
  "microsoft.sync",
  "microsoft.import",
  "notification.deadLettered",
  "notification.requeued",
  "invitation.approveFirst",
  "tenantPolicy.fourEyesOn",
  "tenantPolicy.fourEyesOff",
  "review.start",
  "review.decide",
  "review.complete",
  "review.remind",
  "extension.request",
  "extension.autoExtend",
  "expiry.warned",
  "expiry.letEnd",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
