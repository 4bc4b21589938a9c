import { odata, type TableClient } from "@azure/data-tables";
import type { PartnerRecord, PartnerWorkPointer, SyncPointer, WorkPointers } from "../../domain/workIndex.js";
import { upsertInBatches } from "../batchUpserts.js";
import { EntityStore, type Versioned } from "../entityStore.js";
import { StorageConflictError } from "../errors.js";
import { PARTNER_WORK_POINTER_ROW, SYNC_POINTER_PARTITION, SYNC_POINTER_ROW } from "../rowMappings.js";

/**
 * The work indexes (table `indexes`): pointers to a partner's records and to the partners the status sync follows
 * (src/domain/workIndex.ts). Every read here names one partition; writing a pointer twice is one row (upsert).
 */
export class WorkIndexRepository {
  private readonly partnerWork: EntityStore<PartnerWorkPointer>;
  private readonly sync: EntityStore<SyncPointer>;

  constructor(private readonly client: TableClient) {
    this.partnerWork = new EntityStore(client, PARTNER_WORK_POINTER_ROW);
    this.sync = new EntityStore(client, SYNC_POINTER_ROW);
  }

  /** A few pointers (after one commit): one upsert each, at once (different partitions: no batch). */
  async record(pointers: WorkPointers): Promise<void> {
    await Promise.all([...pointers.partnerWork.map((p) => this.partnerWork.upsert(p)), ...pointers.sync.map((p) => this.sync.upsert(p))]);
  }

  /** Many pointers (the sweep): an entity group transaction per partition and 100 rows. Resolves to how many. */
  async recordMany(pointers: WorkPointers): Promise<number> {
    const byPartition = new Map<string, PartnerWorkPointer[]>();
    for (const p of pointers.partnerWork) {
      const partition = PARTNER_WORK_POINTER_ROW.keys(p).partitionKey;
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), p]);
    }
    const results = [
      ...(await Promise.all([...byPartition.values()].map((rows) => upsertInBatches(this.partnerWork, rows)))),
      await upsertInBatches(this.sync, pointers.sync),
    ];
    const failed = results.find((r) => r.failure);
    if (failed?.failure) throw failed.failure.error;
    return results.reduce((sum, r) => sum + r.written, 0);
  }

  /**
   * A partner's pointers of one kind, in RowKey order (contact requests and invitations newest first), read lazily:
   * one range query in the partner's partition, whose further pages are fetched only if the reader goes on.
   */
  async *partnerRecords(partnerId: string, record: PartnerRecord): AsyncGenerator<PartnerWorkPointer> {
    const partitionKey = `partner|${partnerId}`;
    const filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${`work|${record}|`} and RowKey lt ${`work|${record}}`}`;
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      yield this.partnerWork.fromEntity(entity).value;
  }

  /** Every partner the status sync follows: one partition. */
  followed(): Promise<Array<Versioned<SyncPointer>>> {
    return this.sync.listInPartition(SYNC_POINTER_PARTITION);
  }

  /**
   * Drops a pointer whose partner is no longer connected, only if nobody wrote it since it was read (a partner that
   * connected again meanwhile has rewritten it: its ETag changed, and it stays).
   */
  async forget(pointer: Versioned<SyncPointer>): Promise<void> {
    try {
      await this.sync.delete(SYNC_POINTER_ROW.keys(pointer.value), pointer.etag);
    } catch (error) {
      if (!(error instanceof StorageConflictError)) throw error;
    }
  }
}
