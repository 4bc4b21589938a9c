import type { TableClient } from "@azure/data-tables";
import type { DueItem } from "../jobs/scheduledJob.js";

/** The index row's keys: PartitionKey = the due day (UTC), RowKey = job|tenant|key (src/jobs/scheduledJob.ts). */
export const scheduleKeys = (item: DueItem): { partitionKey: string; rowKey: string } => ({
  partitionKey: item.dueAt.slice(0, 10),
  rowKey: `${item.job}|${item.tenantId}|${item.key}`,
});

/**
 * Features' `schedule` port: an idempotent upsert of the due item's index row, written after the commit that made
 * it due. Scheduling the same item twice writes the same row; what runs it is exactly-once in the tenant's partition.
 */
export function scheduleIndex(table: TableClient): { at(item: DueItem): Promise<void> } {
  return {
    async at(item) {
      const { partitionKey, rowKey } = scheduleKeys(item);
      await table.upsertEntity(
        { partitionKey, rowKey, job: item.job, tenantId: item.tenantId, key: item.key, dueAt: item.dueAt },
        "Replace",
      );
    },
  };
}
