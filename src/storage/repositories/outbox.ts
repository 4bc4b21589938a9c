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
