import type { ScheduleEntry, SchedulerState } from "../domain/schedule.js";
import type { Versioned } from "../domain/versioned.js";
import type { DueItem } from "./scheduledJob.js";

/** The due index as the scheduler reads it: one day's entries at a time (storage: ScheduleRepository). */
export interface DueIndex {
  /** Indexes work as due at `item.dueAt`; work already due goes into today's day. Idempotent. */
  at(item: DueItem, now: Date): Promise<void>;
  /** The same for many, in few round trips (an entity group transaction per day). */
  atMany(items: readonly DueItem[], now: Date): Promise<void>;
  dueOn(day: string): Promise<ScheduleEntry[]>;
  remove(entry: ScheduleEntry): Promise<void>;
}

/** The runner's lease and progress row, written only ETag-conditionally. */
export interface SchedulerStateStore {
  getState(name: string): Promise<Versioned<SchedulerState> | undefined>;
  /** Undefined when another instance wrote the row since it was read: the lease is theirs. */
  saveState(value: SchedulerState, read: Versioned<SchedulerState> | undefined): Promise<Versioned<SchedulerState> | undefined>;
}
