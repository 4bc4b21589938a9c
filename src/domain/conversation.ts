import { z } from "zod";

/**
 * Where the bot can reach a person proactively: the conversation reference Teams gave on their last turn.
 * `stale` is set when Teams answers that the conversation is gone or the bot is blocked; notifications wait
 * until the user talks to (or reinstalls) the bot again.
 */
export const ConversationReferenceSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.string().min(1),
  conversation: z
    .object({
      id: z.string().min(1),
      tenantId: z.string().optional(),
      conversationType: z.string().optional(),
      isGroup: z.boolean().optional(),
    })
    .passthrough(),
  bot: z.object({ id: z.string().min(1), name: z.string().optional() }).passthrough(),
  user: z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() }).passthrough(),
  locale: z.string().optional(),
});

export const ConversationRecordSchema = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  name: z.string(),
  /** Why we keep it: "kind" is reserved by the storage layer for the row type. */
  reachableAs: z.enum(["partnerContact", "customerAdmin"]),
  partnerId: z.string().optional(),
  /** The reader's language for notifications; rows saved before it was kept read as English. */
  locale: z.string().max(20).default("en"),
  reference: ConversationReferenceSchema,
  stale: z.boolean(),
  staleSince: z.iso.datetime().optional(),
  updatedAt: z.iso.datetime(),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;
