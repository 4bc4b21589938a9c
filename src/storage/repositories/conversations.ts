import type { TableClient } from "@azure/data-tables";
import { ConversationRecordSchema, type ConversationRecord } from "../../domain/conversation.js";
import { EntityStore, type Versioned } from "../entityStore.js";

/** Conversation references by the user's own tenant: PK = tenant id, RK = conv|<user id>. */
export class ConversationRepository {
  readonly store: EntityStore<ConversationRecord>;
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
}
