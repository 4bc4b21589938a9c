import { z } from "zod";

/**
 * The scheduler's rows (src/jobs): what the due index holds and the runner's own state. The contract with the jobs
 * is src/jobs/scheduledJob.ts; this is how it is kept.
 */

/** Characters Table Storage refuses in keys, and the separator of the index's RowKey. */
const KEY_PART = /^[^|/\\#?]+$/;

/**
 * One entry of the due index: PK = the day it is due ("YYYY-MM-DD", UTC; work already due when it is written goes into
 * today's), RK = `${job}|${tenantId}|${key}`. Only an index: the tenant's own rows say whether the work is still
 * wanted, and the job's marker row whether it was done.
 */
export const ScheduleEntrySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  job: z.string().regex(KEY_PART),
  tenantId: z.string().regex(KEY_PART),
  key: z.string().regex(/^[^/\\#?]+$/),
  dueAt: z.iso.datetime(),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>;

/** The runner's row: who holds the lease until when, the last day all of whose work is finished, its last sweep. */
export const SchedulerStateSchema = z.object({
  name: z.string().min(1),
  owner: z.string().optional(),
  until: z.iso.datetime().optional(),
  lastCompletedDay: z.string().optional(),
  lastSweepAt: z.iso.datetime().optional(),
});
export type SchedulerState = z.infer<typeof SchedulerStateSchema>;
