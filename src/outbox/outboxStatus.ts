import type { OutboxDeadEntry, OutboxDueEntry } from "../domain/outboxShards.js";

/** The index partitions the status reads (the outbox shard repository has them): no scan of the tenant table. */
export interface OutboxIndexReads {
  dueIn(shard: number): Promise<ReadonlyArray<Pick<OutboxDueEntry, "createdAt">>>;
  dead(): Promise<readonly OutboxDeadEntry[]>;
}

export interface OutboxStatus {
  pending: number;
  dead: number;
  /** Age of the oldest pending notification in seconds, or null when none is pending. */
  oldestPendingSeconds: number | null;
}

/**
 * What an operator (and /healthz) needs to know about the outbox: how much waits, and for how long. Counted from the
 * index, one partition query per shard and one for the dead letters. A notification sent since its shard's last pass
 * still counts as pending until that shard's next pass removes its entry (NOTIFY_POLL_MS later).
 */
export async function outboxStatus(index: OutboxIndexReads, shards: number, now: Date): Promise<OutboxStatus> {
  const [due, dead] = await Promise.all([Promise.all(Array.from({ length: shards }, (_, s) => index.dueIn(s))), index.dead()]);
  const pending = due.flat();
  const oldest = pending.reduce<string | undefined>((min, e) => (min === undefined || e.createdAt < min ? e.createdAt : min), undefined);
  return {
    pending: pending.length,
    dead: dead.length,
    oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest)) / 1000)) : null,
  };
}
