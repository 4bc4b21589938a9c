import type { Notification } from "../domain/notification.js";

/** What decides whether a pending row is this instance's to take up now. */
export interface TakeRule {
  /** This engine, as it writes itself into leases. */
  owner: string;
  /** The row's delivery tenant's shard is held by this instance (src/outbox/shards); absent: one instance. */
  mayDeliver?: (n: Notification) => boolean;
}

/**
 * Nobody else holds a lease on it: none, run out, or ours. With shards, another instance's lease on a row of a
 * shard we hold counts as free too: only a shard's holder sends, and that instance stopped sending before its shard
 * lease lapsed or when it gave the shard back (README "Instances and shards"). Else a previous holder's claims would
 * outlast its shards.
 */
export function isFree(n: Notification, nowMs: number, rule: TakeRule): boolean {
  const { lease } = n;
  return !lease || Date.parse(lease.until) <= nowMs || lease.owner === rule.owner || rule.mayDeliver?.(n) === true;
}

/** When the row may be tried (epoch ms): at once, unless a retry set a later time. */
export function dueAt(n: Notification): number {
  return n.nextAttemptAt ? Date.parse(n.nextAttemptAt) : 0;
}
