import { LRUCache } from "lru-cache";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Notification } from "../domain/notification.js";
import type { OutboxStore, Recipients } from "./ports.js";

/** One person a notification goes to; a card refresh replaces the activity they got before. */
export interface Target {
  record: ConversationRecord;
  replaces?: string;
}

/** A cached read: wrapped, so that "nobody there" (undefined) is cached too. */
interface Read {
  record: ConversationRecord | undefined;
}

/** Large enough for any pass in practice; a reference pushed out is only read again. */
const MAX_REFERENCES = 10_000;

/**
 * Who should get a notification, as one pass sees it. Conversation references read for one notification are
 * reused for the next ones to the same person for `referenceCacheMs` (a pass delivering many notifications to
 * one conversation reads it once; concurrent workers share one read; a failed read is not kept). A new pass
 * builds a new audience, so it always reads afresh: a user who came back is seen at once.
 */
export class PassAudience {
  private readonly references: LRUCache<string, Read, { tenantId: string; userId: string }> | undefined;

  constructor(
    private readonly recipients: Recipients,
    private readonly rows: Pick<OutboxStore, "invitationCards">,
    referenceCacheMs: number,
  ) {
    this.references =
      referenceCacheMs > 0
        ? new LRUCache({
            max: MAX_REFERENCES,
            ttl: referenceCacheMs,
            fetchMethod: async (_key, _stale, { context }) => ({
              record: await recipients.conversation(context.tenantId, context.userId),
            }),
          })
        : undefined;
  }

  /**
   * Every listed contact of the partner, or every admin of the tenant, who has talked to the bot. A card
   * refresh goes to the admins who received the invitation, replacing the activity they got.
   */
  async targets(n: Notification): Promise<Target[]> {
    if (n.type === "cardRefresh") {
      // An invitation's cards, or an access review's (storage tells them apart by the notification's type).
      const sent = await this.rows.invitationCards(n.tenantId, String(n.payload["invitationId"] ?? n.payload["reviewId"] ?? ""));
      const out: Target[] = [];
      for (const notification of sent) {
        for (const [userId, delivery] of Object.entries(notification.deliveries)) {
          const record = await this.reference(n.tenantId, userId);
          if (record) out.push({ record, replaces: delivery.activityId });
        }
      }
      return out;
    }
    if (n.recipient.kind === "tenantAdmins")
      return (await this.recipients.tenantAdmins(n.recipient.tenantId)).map((record) => ({ record }));
    const contacts = await this.recipients.partnerContacts(n.recipient.partnerId);
    const records = await Promise.all(contacts.map((c) => this.reference(c.tenantId, c.userId)));
    return records.flatMap((record) => (record ? [{ record }] : []));
  }

  /** The reference failed (the conversation is gone): whoever needs it next in this pass reads it again. */
  forget(record: ConversationRecord): void {
    this.references?.delete(key(record.tenantId, record.userId));
  }

  private async reference(tenantId: string, userId: string): Promise<ConversationRecord | undefined> {
    if (!this.references) return this.recipients.conversation(tenantId, userId);
    return (await this.references.fetch(key(tenantId, userId), { context: { tenantId, userId } }))?.record;
  }
}

/** Someone to send to, or a row that is complete already (and only needs its final write). */
export function hasWork(n: Notification, targets: readonly Target[]): boolean {
  const recipients = targets.map((t) => t.record);
  return recipients.some((r) => !r.stale && !n.deliveries[r.userId]) || needsNoSend(n, targets);
}

/** Everyone it goes to has it already, or it is a card refresh with no card out there: only its completion is left. */
export function needsNoSend(n: Notification, targets: readonly Target[]): boolean {
  const recipients = targets.map((t) => t.record);
  return (recipients.length > 0 && recipients.every((r) => n.deliveries[r.userId])) || (n.type === "cardRefresh" && targets.length === 0);
}

const key = (tenantId: string, userId: string) => `${tenantId}|${userId}`;
