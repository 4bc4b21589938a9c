import type { OutboxDeadEntry, OutboxDueEntry, OutboxWaitingEntry } from "../domain/outboxShards.js";

/** The index partitions the status reads (the outbox shard repository has them): no scan of the tenant table. */
export interface OutboxIndexReads {
  dueIn(shard: number): Promise<ReadonlyArray<Pick<OutboxDueEntry, "createdAt">>>;
  waitingIn(shard: number): Promise<ReadonlyArray<Pick<OutboxWaitingEntry, "createdAt">>>;
  dead(): Promise<readonly OutboxDeadEntry[]>;
}

export interface OutboxStatus {
  pending: number;
  /** Parked: nobody they go to has talked to the bot yet (or since Teams called their conversation gone). */
  waiting: number;
  dead: number;
  /** Age of the oldest pending notification in seconds, or null when none is pending. */
  oldestPendingSeconds: number | null;
}

/**
 * What an operator (and /healthz) needs to know about the outbox: how much is due, and for how long, and how much
 * waits for someone to become reachable. Counted from the index, two partition queries per shard (due, parked) and
 * one for the dead letters. A notification sent since its shard's last pass
 * still counts as pending until that shard's next pass removes its entry (NOTIFY_POLL_MS later).
 */
export async function outboxStatus(index: OutboxIndexReads, shards: number, now: Date): Promise<OutboxStatus> {
  const each = Array.from({ length: shards }, (_, s) => s);
  const [due, waiting, dead] = await Promise.all([
    Promise.all(each.map((s) => index.dueIn(s))),
    Promise.all(each.map((s) => index.waitingIn(s))),
    index.dead(),
  ]);
  const pending = due.flat();
  const oldest = pending.reduce<string | undefined>((min, e) => (min === undefined || e.createdAt < min ? e.createdAt : min), undefined);
  return {
    pending: pending.length,
    waiting: waiting.flat().length,
    dead: dead.length,
    oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : null,
  };
}
