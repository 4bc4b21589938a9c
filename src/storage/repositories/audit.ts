import type { TableClient } from "@azure/data-tables";
import { AuditEventSchema, type AuditEvent } from "../../domain/audit.js";
import { EntityStore } from "../entityStore.js";

const MAX_TIME = 9_999_999_999_999;
/** Newest first in RowKey order, so "the latest 20 events" is one short range query. */
export const invertedTime = (iso: string): string => String(MAX_TIME - Date.parse(iso)).padStart(13, "0");

/** Append-only audit trail: PK = tenant id, RK = audit|<inverted time>|<id>. Rows are created, never updated. */
export class AuditRepository {
  readonly store: EntityStore<AuditEvent>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "audit",
      schema: AuditEventSchema,
      keys: (e) => ({ partitionKey: e.tenantId, rowKey: `audit|${invertedTime(e.at)}|${e.id}` }),
    });
  }
  async append(event: AuditEvent): Promise<void> {
    await this.store.create(event);
  }
  async latest(tenantId: string, maxResults = 50): Promise<AuditEvent[]> {
    return (await this.store.listInPartition(tenantId, { maxResults })).map((v) => v.value);
  }
}
