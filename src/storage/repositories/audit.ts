import type { TableClient } from "@azure/data-tables";
import type { AuditEvent } from "../../domain/audit.js";
import { ROWS } from "../rowMappings.js";
import { EntityStore } from "../entityStore.js";

/** Append-only audit trail: PK = tenant id, RK = audit|<inverted time>|<id>. Rows are created, never updated. */
export class AuditRepository {
  private readonly store: EntityStore<AuditEvent>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, ROWS.audit);
  }
  async latest(tenantId: string, maxResults = 50): Promise<AuditEvent[]> {
    return (await this.store.listInPartition(tenantId, { maxResults })).map((v) => v.value);
  }
}
