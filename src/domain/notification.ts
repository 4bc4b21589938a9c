import { z } from "zod";

export const NOTIFICATION_TYPES = [
  "contactRequest",
  "invitationAccepted",
  "invitationDeclined",
  "rolesRemoved",
  "terminationRequested",
  "agreementAccepted",
] as const;
export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationTypeSchema>;

/**
 * An outbox row: written in the same entity group transaction as the change that caused it, delivered later
 * by the dispatcher. The id doubles as the idempotency key, so a redelivery is recognisable.
 */
export const NotificationSchema = z.object({
  id: z.string().min(1).max(64),
  /** The customer tenant whose partition holds the row (and whose change caused it). */
  tenantId: z.string().min(1),
  recipient: z.object({ kind: z.literal("partner"), partnerId: z.string().min(1) }),
  type: NotificationTypeSchema,
  /** Ids and short texts the recipient's card needs; the dispatcher re-reads anything else. */
  payload: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  status: z.enum(["pending", "sent", "dead"]),
  attempts: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  correlationId: z.string().min(1).max(100),
});
export type Notification = z.infer<typeof NotificationSchema>;
