import type { Notification } from "../domain/notification.js";

/** The two listings the status needs (the outbox repository has them). */
export interface OutboxListings {
  /** Pending notifications, oldest first. */
  listPending(): Promise<ReadonlyArray<{ value: Notification }>>;
  listDead(): Promise<ReadonlyArray<{ value: Notification }>>;
}

export interface OutboxStatus {
  pending: number;
  dead: number;
  /** Age of the oldest pending notification in seconds, or null when none is pending. */
  oldestPendingSeconds: number | null;
}

/** What an operator (and /healthz) needs to know about the outbox: how much waits, and for how long. */
export async function outboxStatus(outbox: OutboxListings, now: Date): Promise<OutboxStatus> {
  const [pending, dead] = await Promise.all([outbox.listPending(), outbox.listDead()]);
  const oldest = pending[0]?.value.createdAt;
  return {
    pending: pending.length,
    dead: dead.length,
    oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : null,
  };
}
