// The contract between the scheduler and the jobs it runs (issue 13). Scheduled work is an index row in the
// `schedule` table: PartitionKey = the due day "YYYY-MM-DD" (UTC), RowKey = `${job}|${tenantId}|${key}`, written
// after the commit that makes it due (idempotent upsert). Exactly-once effects are guaranteed in the tenant's
// partition (a marker row committed with the outbox row), not by the scheduler's lease alone.

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
