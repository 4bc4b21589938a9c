import { odata, type TableClient } from "@azure/data-tables";
import type { Notification } from "../../domain/notification.js";
import { ROWS } from "../rowMappings.js";
import type { AuditEvent } from "../../domain/audit.js";
import { EntityStore, PartitionTransaction, type Versioned } from "../entityStore.js";

/** Notifications waiting for delivery, in the partition of the tenant whose change queued them: PK = tenant id, RK = outbox|<id>. */
export class OutboxRepository {
  private readonly store: EntityStore<Notification>;
  private readonly audit: EntityStore<AuditEvent>;
  constructor(private readonly client: TableClient) {
    this.store = new EntityStore(client, ROWS.notification);
    this.audit = new EntityStore(client, ROWS.audit);
  }
  listForTenant(tenantId: string): Promise<Array<Versioned<Notification>>> {
    return this.store.listInPartition(tenantId);
  }
  get(tenantId: string, id: string): Promise<Versioned<Notification> | undefined> {
    return this.store.get(tenantId, this.store.rowKey(id));
  }
  /** The tenant's notifications still to deliver: one query in its partition (the outbox's steady-state read). */
  async listPendingIn(tenantId: string): Promise<Array<Versioned<Notification>>> {
    const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${"outbox|"} and RowKey lt ${"outbox}"} and status eq ${"pending"}`;
    const out: Array<Versioned<Notification>> = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push(this.store.fromEntity(entity));
    return out;
  }
  /**
   * Every notification not yet sent (pending or dead), in every tenant: a scan of the tenant table. Only the outbox's
   * periodic sweep (src/outbox/shards/sweep.ts) runs it, at most once per OUTBOX_SWEEP_MINUTES across all instances.
   */
  async unsentEverywhere(): Promise<Notification[]> {
    return (await this.store.listEverywhere(odata`status ne ${"sent"}`)).map((r) => r.value);
  }
  /** Every pending notification in every tenant, oldest first: a scan, for the benchmark's own counts only. */
  async listPending(): Promise<Array<Versioned<Notification>>> {
    const rows = await this.store.listEverywhere(odata`status eq ${"pending"}`);
    // ISO timestamps sort as plain strings; localeCompare would build a collation per comparison.
    return rows.sort((a, b) => (a.value.createdAt < b.value.createdAt ? -1 : a.value.createdAt > b.value.createdAt ? 1 : 0));
  }
  /** Every outbox row in every tenant, whatever its status: a scan, for the benchmark's own counts only. */
  listAll(): Promise<Array<Versioned<Notification>>> {
    return this.store.listEverywhere();
  }
  update(notification: Notification, etag: string): Promise<Versioned<Notification>> {
    return this.store.update(notification, etag);
  }
  /**
   * Replaces several rows of one tenant in one entity group transaction, each conditional on its ETag: all or
   * none (StorageConflictError). Resolves to each row's new ETag, in order.
   */
  updateTogether(rows: ReadonlyArray<Versioned<Notification>>): Promise<Array<string | undefined>> {
    const tx = new PartitionTransaction(this.client, rows[0]!.value.tenantId);
    for (const row of rows) tx.update(this.store, row.value, row.etag);
    return tx.commit();
  }
  /** A notification given up on, and the audit event that says so: one transaction. */
  async deadLetter(dead: Notification, etag: string, audit: AuditEvent): Promise<void> {
    await new PartitionTransaction(this.client, dead.tenantId).update(this.store, dead, etag).create(this.audit, audit).commit();
  }
}
