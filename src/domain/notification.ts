import { z } from "zod";

export const NOTIFICATION_TYPES = [
  "contactRequest",
  "invitationAccepted",
  "invitationDeclined",
  "rolesRemoved",
  "terminationRequested",
  "agreementAccepted",
  "invitationReceived",
  "relationshipEnded",
  /** Not a new message: the invitation cards already sent to admins are updated in place to the current state. */
  "cardRefresh",
  /** Status sync: Microsoft Graph shows a GDAP relationship in effect, expired, terminated, or one made outside Partner Desk. */
  "gdapActivated",
  "gdapExpired",
  "gdapTerminated",
  "gdapImported",
  /** An access review for the tenant's admins (its card is replaced after every decision, like an invitation's). */
  "accessReview",
  /** The one reminder of an access review still unfinished after 14 days. */
  "accessReviewReminder",
  /** To a partner: a customer's admin, reviewing access, asks the partner to get in touch. */
  "accessReviewContact",
  /** To a partner: the customer asks it to extend the relationship (a new invitation, or auto-extension). */
  "extensionRequested",
  /** To the customer's admins: Microsoft turned auto-extension on (Microsoft itself sends no email about it). */
  "autoExtensionOn",
  /** A relationship (or some of its roles) ends in 30, 7, 1 days or today, or ended while the bot was down (src/jobs). */
  "expiryWarning",
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
  /** A partner (every listed contact of it) or the customer tenant's admins who have talked to the bot. */
  recipient: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("partner"), partnerId: z.string().min(1) }),
    z.object({ kind: z.literal("tenantAdmins"), tenantId: z.string().min(1) }),
  ]),
  type: NotificationTypeSchema,
  /** Ids and short texts the recipient's card needs; the dispatcher re-reads anything else. */
  payload: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
  status: z.enum(["pending", "sent", "dead"]),
  attempts: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  correlationId: z.string().min(1).max(100),
  /** Who already has it (user id -> the activity that carried it): a redelivery skips them. */
  deliveries: z.record(z.string(), z.object({ activityId: z.string(), conversationId: z.string(), at: z.iso.datetime() })).default({}),
  /** Not before this time (backoff after a throttled or failed send). */
  nextAttemptAt: z.iso.datetime().optional(),
  /** A dispatcher working on it; others leave it alone until the lease runs out. */
  lease: z.object({ owner: z.string(), until: z.iso.datetime() }).optional(),
  lastError: z.string().max(500).optional(),
  sentAt: z.iso.datetime().optional(),
});
export type Notification = z.infer<typeof NotificationSchema>;
export type NotificationInput = z.input<typeof NotificationSchema>;
