import { odata, type TableClient } from "@azure/data-tables";
import { utcDay } from "../../domain/expiryWarning.js";
import type { DueItem } from "../../jobs/scheduledJob.js";
import { upsertInBatches } from "../batchUpserts.js";
import { StorageConflictError, statusOf } from "../errors.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import type { ScheduleEntry, SchedulerState } from "../../domain/schedule.js";
import { SCHEDULE_ENTRY_ROW, SCHEDULER_STATE_ROW } from "../rowMappings.js";

/**
 * The scheduler's due index and its state row, in the `schedule` table. Reading what is due is one partition query
 * per day (PK = the day), so a run costs what is due that day, never a scan of the tenants' partitions.
 */
export class ScheduleRepository {
  private readonly entries: EntityStore<ScheduleEntry>;
  private readonly state: EntityStore<SchedulerState>;

  constructor(private readonly client: TableClient) {
    this.entries = new EntityStore(client, SCHEDULE_ENTRY_ROW);
    this.state = new EntityStore(client, SCHEDULER_STATE_ROW);
  }

  /**
   * Indexes work as due at `item.dueAt` (idempotent upsert: writing the same item twice is one entry). Work already
   * due goes into `today`'s partition, which the runner reads on every pass until the day is over.
   */
  async at(item: DueItem, now: Date): Promise<void> {
    const due = Date.parse(item.dueAt) <= now.getTime() ? now : new Date(item.dueAt);
    await this.entries.upsert({ ...item, day: utcDay(due) });
  }

  /** Many entries at once: an entity group transaction per day and 100 entries (the sweep, the demo, test scenes). */
  async atMany(items: readonly DueItem[], now: Date): Promise<void> {
    const byDay = new Map<string, ScheduleEntry[]>();
    for (const item of items) {
      const day = utcDay(Date.parse(item.dueAt) <= now.getTime() ? now : new Date(item.dueAt));
      byDay.set(day, [...(byDay.get(day) ?? []), { ...item, day }]);
    }
    for (const entries of byDay.values()) {
      const { failure } = await upsertInBatches(this.entries, entries);
      if (failure) throw failure.error;
    }
  }

  /** Every entry of one due day: a single-partition query (paged by the SDK). */
  async dueOn(day: string): Promise<ScheduleEntry[]> {
    const out: ScheduleEntry[] = [];
    const filter = odata`PartitionKey eq ${day}`;
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(this.entries.fromEntity(entity).value);
    return out;
  }

  /** The entry is done with: gone from its day (already gone is fine: another runner finished it). */
  async remove(entry: ScheduleEntry): Promise<void> {
    const keys = SCHEDULE_ENTRY_ROW.keys(entry);
    try {
      await this.client.deleteEntity(keys.partitionKey, keys.rowKey);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  getState(name: string): Promise<Versioned<SchedulerState> | undefined> {
    return this.state.get("runner", this.state.rowKey(name));
  }

  /** ETag-conditional (created when none was read): undefined when another instance wrote it first. */
  async saveState(value: SchedulerState, read: Versioned<SchedulerState> | undefined): Promise<Versioned<SchedulerState> | undefined> {
    try {
      return read ? await this.state.update(value, read.etag) : await this.state.create(value);
    } catch (error) {
      if (error instanceof StorageConflictError) return undefined;
      throw error;
    }
  }
}
