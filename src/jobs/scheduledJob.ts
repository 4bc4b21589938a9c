/**
 * Scheduled work (issue 13): an index row in the `schedule` table, PartitionKey = the due day "YYYY-MM-DD" (UTC),
 * RowKey = `${job}|${tenantId}|${key}`, written after the commit that makes it due (idempotent upsert). The
 * scheduler hands each due item to the job of its name.
 */
export interface DueItem {
  job: string;
  tenantId: string;
  key: string;
  dueAt: string;
}

export type JobOutcome = { kind: "done" } | { kind: "skipped"; why: string } | { kind: "retry"; at: string };

export interface ScheduledJob {
  readonly name: string;
  run(item: DueItem, now: Date): Promise<JobOutcome>;
}
