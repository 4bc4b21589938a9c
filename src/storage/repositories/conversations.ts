import type { TableClient } from "@azure/data-tables";
import { ConversationRecordSchema, type ConversationRecord } from "../../domain/conversation.js";
import { upsertInBatches } from "../batchUpserts.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Conversation references by the user's own tenant: PK = tenant id, RK = conv|<user id>. */
export class ConversationRepository {
  private readonly store: EntityStore<ConversationRecord>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "conv",
      schema: ConversationRecordSchema,
      keys: (c) => ({ partitionKey: c.tenantId, rowKey: `conv|${c.userId}` }),
    });
  }
  get(tenantId: string, userId: string): Promise<Versioned<ConversationRecord> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(userId));
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<ConversationRecord>>> {
    return this.store.listInPartition(tenantId);
  }
  /** The latest reference wins: a user's own turn is the truth about where they can be reached. */
  save(record: ConversationRecord): Promise<void> {
    return this.store.upsert(record);
  }
  /** Many records at once (benchmarks set up thousands): batches of 100 per tenant partition. */
  async saveMany(records: readonly ConversationRecord[]): Promise<void> {
    const byTenant = new Map<string, ConversationRecord[]>();
    for (const r of records) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
    for (const list of byTenant.values()) {
      const written = await upsertInBatches(this.store, list);
      if (written.failure) throw written.failure.error;
    }
  }
  /** Replaces the record only if it is still the one read (the user may have come back meanwhile). */
  replace(record: ConversationRecord, etag: string): Promise<Versioned<ConversationRecord>> {
    return this.store.update(record, etag);
  }
}
