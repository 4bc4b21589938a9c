/**
 * What the shard keeper, the pending-work index and the sweep need from storage, as narrow ports
 * (src/storage/repositories/outboxShards.ts implements them). Every lease write is conditional on the ETag read.
 */
import type { InstanceBeat, OutboxDeadEntry, OutboxDueEntry, OutboxWaitingEntry, ShardLease } from "../../domain/outboxShards.js";
import type { Notification } from "../../domain/notification.js";
import type { Versioned } from "../../domain/versioned.js";

export interface ShardLeaseStore {
  /** Creates or replaces this instance's heartbeat. */
  beat(beat: InstanceBeat): Promise<void>;
  /** Every heartbeat row (one partition query); expired ones are the caller's to ignore or remove. */
  beats(): Promise<Array<Versioned<InstanceBeat>>>;
  removeBeat(beat: Versioned<InstanceBeat>): Promise<void>;
  /** Every lease row (one partition query). */
  leases(): Promise<Array<Versioned<ShardLease>>>;
  /** Created when none was read, else replaced on the ETag read: undefined when another instance wrote it first. */
  writeLease(lease: ShardLease, read: Versioned<ShardLease> | undefined): Promise<Versioned<ShardLease> | undefined>;
}

/** Which shards this instance may send for right now (the shard keeper). */
export interface ShardOwnership {
  readonly shards: number;
  /** Shards held with enough lease left to start a send. */
  sendable(): number[];
  /** The tenant's shard is one of them. */
  holdsTenant(tenantId: string): boolean;
  /**
   * A send for the tenant starts now (its last shard check passed); call the result when the request is over. A shard
   * given back is free for others a third of the lease after its last send ended (at once if it never sent).
   */
  sending(tenantId: string): () => void;
}

/** The pending-work and dead-letter index. */
export interface OutboxIndex {
  /** Idempotent: an entry written twice is one. */
  indexDue(entries: readonly OutboxDueEntry[]): Promise<void>;
  /** One partition query: the entries of one shard. */
  dueIn(shard: number): Promise<OutboxDueEntry[]>;
  /** Gone already is fine. */
  removeDue(entry: OutboxDueEntry): Promise<void>;
  /** Many at once: entity group transactions per shard partition (one by one if one of them is gone already). */
  removeDueMany(entries: readonly OutboxDueEntry[]): Promise<void>;
  /** Parks a pending notification nobody can receive yet: no pass lists it until it is unparked (or swept). */
  park(entry: OutboxWaitingEntry): Promise<void>;
  /** The notifications parked for `waitingFor` in one shard: one RowKey range in its partition. */
  waitingFor(waitingFor: string, shard: number): Promise<OutboxWaitingEntry[]>;
  /** One partition query: what is parked in one shard. */
  waitingIn(shard: number): Promise<OutboxWaitingEntry[]>;
  /** Due again under the shard their delivery tenant has among `shards`, and no longer parked. */
  unpark(parked: readonly OutboxWaitingEntry[], shards: number): Promise<void>;
  indexDead(entries: readonly OutboxDeadEntry[]): Promise<void>;
  dead(): Promise<OutboxDeadEntry[]>;
  removeDead(entry: Pick<OutboxDeadEntry, "tenantId" | "id">): Promise<void>;
}

/** The sweep's storage: its once-per-interval claim and the one cross-partition query. */
export interface OutboxSweepStore {
  /** True when this instance may sweep now (nobody swept within `intervalMs`); records the sweep as started. */
  claimSweep(owner: string, now: Date, intervalMs: number): Promise<boolean>;
  /** Every notification not yet sent, in every tenant: a scan, only ever run by the sweep. */
  unsentEverywhere(): Promise<Notification[]>;
}

/** The tenant whose Teams limits a notification's sends count against (see deliveryTenant.ts). */
export type DeliveryTenantOf = (n: Notification) => Promise<string>;

/** The settings of the shards and the sweep (OUTBOX_INSTANCE_ID, OUTBOX_SHARDS, OUTBOX_SHARD_LEASE_SECONDS, OUTBOX_SWEEP_MINUTES). */
export interface OutboxShardOptions {
  instanceId: string;
  count: number;
  leaseMs: number;
  sweepIntervalMs: number;
}
