import { z } from "zod";

/**
 * The rows that spread the outbox over instances (src/outbox/shards, table `outboxshards`): tenant shards held by
 * leases, the instances' heartbeats, the pending-work index partitioned by shard, the dead-letter index and the
 * sweep's state. Only bookkeeping: each notification's own row (in its customer tenant's partition) stays the truth.
 */

/** Characters Table Storage refuses in keys, and the separator of the index's RowKey. */
const KEY_PART = /^[^|/\\#?]+$/;

/** Who may send for the tenants of one shard, until when. No owner: given back (free once `until` has passed). */
export const ShardLeaseSchema = z.object({
  shard: z.number().int().min(0),
  owner: z.string().regex(KEY_PART).optional(),
  until: z.iso.datetime(),
  /** OUTBOX_SHARDS of the instance that wrote it: a mismatch means a rolling change of the count (logged). */
  shards: z.number().int().min(1),
  /** Its holder had a backlog of the shard's notifications in hand (instances share busy shards fairly). */
  busy: z.boolean().optional(),
});
export type ShardLease = z.infer<typeof ShardLeaseSchema>;

/** An instance announcing itself: counted as live until `until` (renewed with its leases). */
export const InstanceBeatSchema = z.object({
  instanceId: z.string().regex(KEY_PART).max(200),
  until: z.iso.datetime(),
  shards: z.number().int().min(1),
});
export type InstanceBeat = z.infer<typeof InstanceBeatSchema>;

/**
 * A pending notification, indexed under the shard of its delivery tenant (the tenant whose Teams limits its sends
 * count against): PK = due-<shard>, RK = due|<delivery tenant>|<customer tenant>|<notification id>.
 */
export const OutboxDueEntrySchema = z.object({
  shard: z.number().int().min(0),
  deliveryTenant: z.string().regex(KEY_PART),
  /** The customer tenant whose partition holds the notification. */
  tenantId: z.string().regex(KEY_PART),
  id: z.string().regex(KEY_PART).max(64),
  createdAt: z.iso.datetime(),
});
export type OutboxDueEntry = z.infer<typeof OutboxDueEntrySchema>;

/**
 * A pending notification nobody it goes to can be reached for yet, parked under whom it waits for (`waitingFor`,
 * see src/outbox/shards/waiting.ts) instead of among its shard's due entries, so that passes stop listing it:
 * PK = due-<shard> (beside the due entries), RK = waiting|<waitingFor>|<customer tenant>|<notification id>. It is
 * due again when one of them becomes reachable (the conversation book says so) and at the next sweep.
 */
export const OutboxWaitingEntrySchema = OutboxDueEntrySchema.extend({
  waitingFor: z.string().min(1).max(300),
});
export type OutboxWaitingEntry = z.infer<typeof OutboxWaitingEntrySchema>;

/** A dead-lettered notification, for the counts and the operator's list: PK = dead, RK = dead|<tenant>|<id>. */
export const OutboxDeadEntrySchema = z.object({
  tenantId: z.string().regex(KEY_PART),
  id: z.string().regex(KEY_PART).max(64),
  createdAt: z.iso.datetime(),
});
export type OutboxDeadEntry = z.infer<typeof OutboxDeadEntrySchema>;

/** When the outbox was last swept (the one cross-partition query), and by whom. */
export const OutboxSweepStateSchema = z.object({
  lastSweepAt: z.iso.datetime(),
  owner: z.string(),
});
export type OutboxSweepState = z.infer<typeof OutboxSweepStateSchema>;
