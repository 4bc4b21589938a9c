import type { TableClient } from "@azure/data-tables";
import type { AuditEvent } from "../../domain/audit.js";
import { invertedTime, ROWS } from "../rowMappings.js";
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

  /**
   * The tenant's events at or after `from` and before `until` (ISO instants, either open), newest first, at most
   * `maxResults`. The inverted time in the RowKey makes the range one RowKey range in the tenant's partition:
   * an event at `at` has RowKey audit|inv(at)|id, and inv falls as time grows, so
   * at < until  <=>  inv(at) >= inv(until - 1 ms)  and  at >= from  <=>  inv(at) <= inv(from).
   */
  async between(tenantId: string, range: { from?: string; until?: string }, maxResults: number): Promise<AuditEvent[]> {
    const lower = range.until === undefined ? "audit|" : `audit|${invertedTime(new Date(Date.parse(range.until) - 1).toISOString())}|`;
    // "}" sorts right after "|": every RowKey continuing inv(from)| is below it.
    const upper = range.from === undefined ? "audit}" : `audit|${invertedTime(range.from)}}`;
    return (await this.store.listRowKeyRange(tenantId, lower, upper, maxResults)).map((v) => v.value);
  }
}
