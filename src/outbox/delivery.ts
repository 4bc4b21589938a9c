import type { AdaptiveCardJson } from "../cards/render.js";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Notification } from "../domain/notification.js";
import type { Target } from "./audience.js";
import {
  NotificationSourceMissing,
  type OutboxRow,
  type OutboxStore,
  type ProactiveSender,
  type RenderNotification,
  type SendLimiter,
} from "./ports.js";
import { classify, type RetryOptions } from "./retryPolicy.js";

/** How a delivery ended; the pass scheduler turns it into writes, counters and retry timers. */
export type DeliveryEnd =
  /** Everyone has it: the last delivery mark also completed the row and released the lease. Nothing to write. */
  | { kind: "completed" }
  /** Everyone had it before this delivery: the row only needs completing. */
  | { kind: "alreadyDelivered"; row: OutboxRow }
  /** Someone cannot be reached yet (stale), or the engine stopped before reaching them: release the row. */
  | { kind: "waitingForReachability"; row: OutboxRow }
  /** Teams throttled or failed the send: try again after `afterMs`. The row is as read; the attempt is not counted yet. */
  | { kind: "retry"; row: OutboxRow; afterMs: number; reason: string }
  /** Cannot ever be delivered: dead-letter `row` (its attempts already counted) with `reason`. */
  | { kind: "dead"; row: OutboxRow; reason: string };

export interface DeliveryOutcome {
  /** Recipients who got it now (each delivery mark is written already). */
  delivered: number;
  /** Recipients whose conversation Teams called gone: to be marked stale. */
  stale: ConversationRecord[];
  end: DeliveryEnd;
}

export interface DeliveryDeps {
  rows: OutboxStore;
  render: RenderNotification;
  limiter: SendLimiter;
  sender: ProactiveSender;
  retry: RetryOptions;
  now: () => Date;
  /** The engine is stopping: send nothing more (what was sent is recorded). */
  stopping: () => boolean;
}

/**
 * Delivers one notification we hold the lease on to every target who does not have it yet, in order. Each
 * delivery is recorded on the row (conditional on our ETag) before the next send, so a restart skips whoever
 * already has it; the mark of the last recipient also completes the row, in the same write. A storage failure
 * throws (the row is not ours any more, or storage is down); a failed send ends the delivery with an outcome.
 */
export async function deliver(claimed: OutboxRow, targets: readonly Target[], deps: DeliveryDeps): Promise<DeliveryOutcome> {
  let row = claimed;
  let delivered = 0;
  const stale: ConversationRecord[] = [];
  const outcome = (end: DeliveryEnd): DeliveryOutcome => ({ delivered, stale, end });
  for (const target of targets) {
    const recipient = target.record;
    // Stopping, or this instance no longer holds the delivery tenant's shard: who got it is recorded; the rest waits.
    if (deps.stopping() || deps.rows.mayDeliver?.(row.value) === false) break;
    if (row.value.deliveries[recipient.userId] || recipient.stale) continue;
    const card = await renderUnlessMissing(deps.render, row.value, recipient);
    if (typeof card === "string") return outcome({ kind: "dead", row, reason: card });
    const sent = await sendOrUpdate(target, card, row.value, deps);
    if ("shardLost" in sent) break;
    if ("failure" in sent) {
      const failure = classify(sent.failure, row.value.attempts + 1, deps.retry, deps.now().getTime());
      if (failure.kind === "stale") {
        stale.push(recipient);
        continue;
      }
      if (failure.kind === "retry") return outcome({ kind: "retry", row, afterMs: failure.afterMs, reason: describe(sent.failure) });
      return outcome({ kind: "dead", row: { ...row, value: { ...row.value, attempts: row.value.attempts + 1 } }, reason: failure.reason });
    }
    const delivery = row.value.deliveries;
    const last = targets.every((t) => t.record.userId === recipient.userId || delivery[t.record.userId]);
    row = await deps.rows.save(row, withDelivery(row.value, recipient, sent.activityId, deps.now().toISOString(), last));
    delivered++;
    if (last) return outcome({ kind: "completed" });
  }
  const everyone = targets.every((t) => row.value.deliveries[t.record.userId]);
  return outcome(everyone ? { kind: "alreadyDelivered", row } : { kind: "waitingForReachability", row });
}

/** The card, or why the notification can never be shown (its source record is gone). */
async function renderUnlessMissing(
  render: RenderNotification,
  n: Notification,
  recipient: ConversationRecord,
): Promise<AdaptiveCardJson | string> {
  try {
    return await render(n, recipient);
  } catch (error) {
    if (error instanceof NotificationSourceMissing) return error.message;
    throw error;
  }
}

/** One request to Teams within the rate limits: a new card, or the replacement of one sent before. */
async function sendOrUpdate(
  target: Target,
  card: AdaptiveCardJson,
  notification: Notification,
  deps: DeliveryDeps,
): Promise<{ activityId: string } | { failure: unknown } | { shardLost: true }> {
  const { reference } = target.record;
  const notificationId = notification.id;
  const departure = await deps.limiter.acquire(reference.conversation.tenantId ?? target.record.tenantId, reference.conversation.id);
  let sendOver: (() => void) | undefined;
  try {
    // The limiter may have waited long (a conversation's 60/30 s window): the shard must still be ours to send.
    if (deps.rows.mayDeliver?.(notification) === false) return { shardLost: true };
    sendOver = deps.rows.sendStarts?.(notification);
    if (!target.replaces) return await deps.sender.send(reference, card, `${notificationId}:${target.record.userId}`);
    await deps.sender.update(reference, target.replaces, card);
    return { activityId: target.replaces };
  } catch (failure) {
    return { failure };
  } finally {
    // When the request is over: a slow one is counted from when it may have reached Teams.
    departure.done();
    sendOver?.();
  }
}

/**
 * The sent mark for one recipient. With `complete` (nobody else left to deliver to) the same write marks the
 * row sent and releases the lease: one request, not two.
 */
function withDelivery(n: Notification, recipient: ConversationRecord, activityId: string, at: string, complete: boolean): Notification {
  const deliveries = { ...n.deliveries, [recipient.userId]: { activityId, conversationId: recipient.reference.conversation.id, at } };
  return { ...n, deliveries, ...(complete ? { status: "sent" as const, sentAt: at, lease: undefined } : {}) };
}

/** A short text for lastError: status, code and message of whatever Teams (or the network) answered. */
export function describe(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    return [e.statusCode, e.code, e.message].filter((x) => x !== undefined && x !== "").join(" ");
  }
  return String(error);
}
