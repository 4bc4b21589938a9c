import type { TableClient, TransactionAction } from "@azure/data-tables";
import type {
  InstanceBeat,
  OutboxDeadEntry,
  OutboxDueEntry,
  OutboxSweepState,
  OutboxWaitingEntry,
  ShardLease,
} from "../../domain/outboxShards.js";
import type { OutboxIndex, ShardLeaseStore } from "../../outbox/shards/ports.js";
import { upsertInBatches } from "../batchUpserts.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import { StorageConflictError, statusOf } from "../errors.js";
import {
  INSTANCE_BEAT_ROW,
  OUTBOX_DEAD_ROW,
  OUTBOX_DUE_ROW,
  OUTBOX_SWEEP_ROW,
  OUTBOX_WAITING_ROW,
  SHARD_LEASE_ROW,
  outboxDuePartition,
  outboxWaitingKey,
} from "../rowMappings.js";
import { shardOf } from "../../outbox/shards/shareArithmetic.js";

/** A conflict means another instance wrote first: not an error, just not ours. */
async function unlessConflict<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof StorageConflictError) return undefined;
    throw error;
  }
}

/**
 * The `outboxshards` table: shard leases (PK lease), heartbeats (PK instance), the pending-work index (PK due-<shard>),
 * parked notifications (beside the due entries, RowKey waiting|<whom>|…), the dead-letter index (PK dead) and the sweep's state (PK sweep). Every read names its partition.
 */
export class OutboxShardRepository implements ShardLeaseStore, OutboxIndex {
  private readonly leaseRows: EntityStore<ShardLease>;
  private readonly beatRows: EntityStore<InstanceBeat>;
  private readonly dueRows: EntityStore<OutboxDueEntry>;
  private readonly deadRows: EntityStore<OutboxDeadEntry>;
  private readonly waitingRows: EntityStore<OutboxWaitingEntry>;
  private readonly sweepRows: EntityStore<OutboxSweepState>;

  constructor(client: TableClient) {
    this.leaseRows = new EntityStore(client, SHARD_LEASE_ROW);
    this.beatRows = new EntityStore(client, INSTANCE_BEAT_ROW);
    this.dueRows = new EntityStore(client, OUTBOX_DUE_ROW);
    this.deadRows = new EntityStore(client, OUTBOX_DEAD_ROW);
    this.waitingRows = new EntityStore(client, OUTBOX_WAITING_ROW);
    this.sweepRows = new EntityStore(client, OUTBOX_SWEEP_ROW);
  }

  beat(beat: InstanceBeat): Promise<void> {
    return this.beatRows.upsert(beat);
  }
  beats(): Promise<Array<Versioned<InstanceBeat>>> {
    return this.beatRows.listInPartition("instance");
  }
  async removeBeat(beat: Versioned<InstanceBeat>): Promise<void> {
    await unlessConflict(this.beatRows.delete(INSTANCE_BEAT_ROW.keys(beat.value), beat.etag));
  }
  leases(): Promise<Array<Versioned<ShardLease>>> {
    return this.leaseRows.listInPartition("lease");
  }
  writeLease(lease: ShardLease, read: Versioned<ShardLease> | undefined): Promise<Versioned<ShardLease> | undefined> {
    return unlessConflict(read ? this.leaseRows.update(lease, read.etag) : this.leaseRows.create(lease));
  }

  /** Entity group transactions per shard partition (a decision queueing hundreds of notifications is a few requests). */
  async indexDue(entries: readonly OutboxDueEntry[]): Promise<void> {
    const byShard = new Map<number, OutboxDueEntry[]>();
    for (const e of entries) byShard.set(e.shard, [...(byShard.get(e.shard) ?? []), e]);
    await Promise.all([...byShard.values()].map((group) => this.upsertAll(this.dueRows, group)));
  }
  async dueIn(shard: number): Promise<OutboxDueEntry[]> {
    return (await this.dueRows.listInPartition(outboxDuePartition(shard))).map((r) => r.value);
  }
  removeDue(entry: OutboxDueEntry): Promise<void> {
    return this.removeUnlessGone(this.dueRows.client, OUTBOX_DUE_ROW.keys(entry));
  }
  removeDueMany(entries: readonly OutboxDueEntry[]): Promise<void> {
    return this.removeMany(
      this.dueRows.client,
      entries.map((e) => OUTBOX_DUE_ROW.keys(e)),
    );
  }

  /** Parked under whom it waits for and out of the due entries, in one transaction (its due entry may be gone already). */
  async park(entry: OutboxWaitingEntry): Promise<void> {
    const { waitingFor: _whom, ...due } = entry;
    await this.swap(this.waitingRows, entry, OUTBOX_DUE_ROW.keys(due));
  }
  /** One RowKey range in one shard's partition: what waits there for `waitingFor`. */
  async waitingFor(waitingFor: string, shard: number): Promise<OutboxWaitingEntry[]> {
    const within = [outboxWaitingKey(waitingFor)];
    return (await this.waitingRows.listInPartition(outboxDuePartition(shard), { within })).map((r) => r.value);
  }
  /** One partition query: what is parked in one shard (a RowKey range beside its due entries). */
  async waitingIn(shard: number): Promise<OutboxWaitingEntry[]> {
    return (await this.waitingRows.listInPartition(outboxDuePartition(shard))).map((r) => r.value);
  }
  /** Due again under the shard their delivery tenant has among `shards`, and no longer parked: one transaction each. */
  async unpark(parked: readonly OutboxWaitingEntry[], shards: number): Promise<void> {
    for (const entry of parked) {
      const { waitingFor: _whom, ...was } = entry;
      const due = { ...was, shard: shardOf(was.deliveryTenant, shards) };
      if (due.shard === entry.shard) await this.swap(this.dueRows, due, OUTBOX_WAITING_ROW.keys(entry));
      else {
        // OUTBOX_SHARDS changed since it was parked: due in its new shard first, then out of the old one.
        await this.indexDue([due]);
        await this.removeUnlessGone(this.waitingRows.client, OUTBOX_WAITING_ROW.keys(entry));
      }
    }
  }

  indexDead(entries: readonly OutboxDeadEntry[]): Promise<void> {
    return this.upsertAll(this.deadRows, entries);
  }
  async dead(): Promise<OutboxDeadEntry[]> {
    return (await this.deadRows.listInPartition("dead")).map((r) => r.value);
  }
  removeDead(entry: Pick<OutboxDeadEntry, "tenantId" | "id">): Promise<void> {
    return this.removeUnlessGone(this.deadRows.client, { partitionKey: "dead", rowKey: `dead|${entry.tenantId}|${entry.id}` });
  }

  /**
   * True when nobody swept within `intervalMs`: the state row is then written (ETag-conditional, so one instance of
   * those asking at once wins) with `now`, before the sweep runs. A sweep that fails is tried again an interval later.
   */
  async claimSweep(owner: string, now: Date, intervalMs: number): Promise<boolean> {
    const read = await this.sweepRows.get("sweep", "sweep|outbox");
    if (read && now.getTime() - Date.parse(read.value.lastSweepAt) < intervalMs) return false;
    const state = { lastSweepAt: now.toISOString(), owner };
    return (await unlessConflict(read ? this.sweepRows.update(state, read.etag) : this.sweepRows.create(state))) !== undefined;
  }

  private async upsertAll<T>(store: EntityStore<T>, values: readonly T[]): Promise<void> {
    if (values.length === 0) return;
    if (values.length === 1) return store.upsert(values[0]!);
    const { failure } = await upsertInBatches(store, values);
    if (failure) throw failure.error;
  }

  /**
   * Writes `value` and deletes the row `gone` of the same partition in one entity group transaction; if that row is
   * gone already (the transaction fails as a whole), writes `value` alone.
   */
  private async swap<T>(store: EntityStore<T>, value: T, gone: { partitionKey: string; rowKey: string }): Promise<void> {
    try {
      await store.client.submitTransaction([
        ["upsert", store.toEntity(value), "Replace"],
        ["delete", gone],
      ]);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      await store.upsert(value);
    }
  }

  /** Deletes rows in entity group transactions per partition (one by one if one of them is gone already). */
  private async removeMany(client: TableClient, rows: ReadonlyArray<{ partitionKey: string; rowKey: string }>): Promise<void> {
    const byPartition = new Map<string, Array<{ partitionKey: string; rowKey: string }>>();
    for (const keys of rows) byPartition.set(keys.partitionKey, [...(byPartition.get(keys.partitionKey) ?? []), keys]);
    for (const group of byPartition.values()) {
      for (let i = 0; i < group.length; i += 100) {
        const batch = group.slice(i, i + 100);
        if (batch.length === 1) {
          await this.removeUnlessGone(client, batch[0]!);
          continue;
        }
        try {
          await client.submitTransaction(batch.map((keys): TransactionAction => ["delete", keys]));
        } catch (error) {
          // One of them was gone already (all or none): each on its own, a missing one being fine.
          const status = statusOf(error);
          if (status === undefined || status >= 500) throw error;
          for (const keys of batch) await this.removeUnlessGone(client, keys);
        }
      }
    }
  }

  private async removeUnlessGone(client: TableClient, keys: { partitionKey: string; rowKey: string }): Promise<void> {
    try {
      await client.deleteEntity(keys.partitionKey, keys.rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}
