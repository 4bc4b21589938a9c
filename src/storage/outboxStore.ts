/**
 * The storage side of the outbox engine's ports (src/outbox/ports.ts): outbox rows in the tenant table, the
 * dead-letter with its audit event in one transaction, and where people can be reached. The engine sees rows
 * and ETags, never a table, an entity store or a transaction.
 */
import { randomUUID } from "node:crypto";
import type { ConversationRecord } from "../domain/conversation.js";
import type { Notification } from "../domain/notification.js";
import type { Partner } from "../domain/partner.js";
import type { DeadLetter, Lease, OutboxRow, OutboxStore, Recipients } from "../outbox/ports.js";
import { StorageConflictError } from "./errors.js";
import { write } from "../domain/decision.js";
import type { Storage } from "./index.js";
import type { AuditAction } from "../domain/audit.js";
import type { OutboxDueEntry, OutboxWaitingEntry } from "../domain/outboxShards.js";
import { waitingForOf, type WaitingFor } from "../outbox/shards/waiting.js";
import type { OutboxIndex, ShardOwnership } from "../outbox/shards/ports.js";
import { shardOf } from "../outbox/shards/shareArithmetic.js";
import { deliveryTenantResolver, dueEntryOf } from "../outbox/shards/deliveryIndex.js";

/** A conflict means someone else changed the row first: the claim is theirs, not an error. */
async function unlessConflict<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof StorageConflictError) return undefined;
    throw error;
  }
}

/** Where the outbox finds its work: the shards this instance holds and the pending-work index. */
export interface ShardedListing {
  index: OutboxIndex;
  ownership: ShardOwnership;
}

/** Up to this many notifications of one tenant named by the index are read by key, more with one query. */
const READ_BY_KEY_UP_TO = 10;

export function createOutboxStore(repos: Pick<Storage, "outbox">, sharding: ShardedListing): OutboxStore {
  const { outbox } = repos;
  const { index, ownership } = sharding;
  /** The delivery tenant of each row of the last listing: a send goes out only while its shard is still held. */
  let deliveryTenants = new Map<string, string>();
  /**
   * The pending notifications among `ids` in one customer tenant. A few are read by key: a query of the tenant's
   * pending rows reads its whole outbox range on the service (the filter on status is not a key), which grows with
   * every notification the tenant ever sent. Many at once (a fan-out) are cheaper in one query.
   */
  const pendingNamed = async (tenantId: string, ids: readonly string[]): Promise<OutboxRow[]> => {
    if (ids.length > READ_BY_KEY_UP_TO) return outbox.listPendingIn(tenantId);
    const read = await Promise.all(ids.map((id) => outbox.get(tenantId, id)));
    return read.filter((row): row is OutboxRow => row?.value.status === "pending");
  };
  /** The parked entry of a notification of the last listing (its due entry, and whom it waits for). */
  const waitingEntryOf = (n: Notification): OutboxWaitingEntry | undefined => {
    const waitingFor = waitingForOf(n);
    const deliveryTenant = deliveryTenants.get(n.id);
    if (!waitingFor || !deliveryTenant) return undefined;
    const shard = shardOf(deliveryTenant, ownership.shards);
    return { shard, deliveryTenant, tenantId: n.tenantId, id: n.id, createdAt: n.createdAt, waitingFor };
  };
  return {
    /**
     * The index partitions of the shards held (one query each; or of the shards named, when a pass in progress takes
     * up shards just taken), then the notifications they name in each customer tenant (`pendingNamed`). An entry
     * whose notification is no longer pending is removed here (sent or dead-lettered since the last pass); one in the
     * wrong shard (OUTBOX_SHARDS changed) is moved to its own and left to its holder.
     */
    async listPending(only?: readonly number[]): Promise<OutboxRow[]> {
      const shards = only ? only.filter((shard) => ownership.sendable().includes(shard)) : ownership.sendable();
      const entries = (await Promise.all(shards.map((shard) => index.dueIn(shard)))).flat();
      const ours: OutboxDueEntry[] = [];
      for (const entry of entries) {
        const shard = shardOf(entry.deliveryTenant, ownership.shards);
        if (shard === entry.shard) ours.push(entry);
        else await index.indexDue([{ ...entry, shard }]).then(() => index.removeDue(entry));
      }
      const named = new Map<string, string[]>();
      for (const e of ours) named.set(e.tenantId, [...(named.get(e.tenantId) ?? []), e.id]);
      const pendingByTenant = await Promise.all([...named].map(([tenantId, ids]) => pendingNamed(tenantId, ids)));
      const pending = new Map(pendingByTenant.flat().map((row) => [`${row.value.tenantId}|${row.value.id}`, row]));
      const listed = new Map<string, string>();
      const rows: OutboxRow[] = [];
      const done: OutboxDueEntry[] = [];
      for (const entry of ours) {
        const row = pending.get(`${entry.tenantId}|${entry.id}`);
        if (!row) {
          done.push(entry);
          continue;
        }
        listed.set(row.value.id, entry.deliveryTenant);
        rows.push(row);
      }
      await index.removeDueMany(done);
      // A listing of shards just taken adds to the pass in progress: the rows listed before stay deliverable.
      deliveryTenants = only ? new Map([...deliveryTenants, ...listed]) : listed;
      // ISO timestamps sort as plain strings.
      return rows.sort((a, b) => (a.value.createdAt < b.value.createdAt ? -1 : a.value.createdAt > b.value.createdAt ? 1 : 0));
    },

    async park(row: OutboxRow): Promise<boolean> {
      const entry = waitingEntryOf(row.value);
      if (!entry) return false;
      await index.park(entry);
      return true;
    },

    async unpark(row: OutboxRow): Promise<void> {
      const entry = waitingEntryOf(row.value);
      if (entry) await index.unpark([entry], ownership.shards);
    },

    async unparkFor(waitingFor: WaitingFor, deliveryTenant: string): Promise<number> {
      const parked = await index.waitingFor(waitingFor, shardOf(deliveryTenant, ownership.shards));
      await index.unpark(parked, ownership.shards);
      return parked.length;
    },

    deliveryTenantOf: (n) => deliveryTenants.get(n.id),

    sendStarts: (n) => {
      const tenant = deliveryTenants.get(n.id);
      return tenant === undefined ? () => {} : ownership.sending(tenant);
    },

    mayDeliver: (n) => {
      const tenant = deliveryTenants.get(n.id);
      return tenant !== undefined && ownership.holdsTenant(tenant);
    },

    reread: (row) => outbox.get(row.value.tenantId, row.value.id),

    claim: (row, lease) => unlessConflict(outbox.update({ ...row.value, lease }, row.etag)),

    async claimTogether(rows: readonly OutboxRow[], lease: Lease): Promise<OutboxRow[] | undefined> {
      const values = rows.map((r) => ({ ...r.value, lease }));
      const etags = await unlessConflict(outbox.updateTogether(values.map((value, i) => ({ value, etag: rows[i]!.etag }))));
      if (!etags) return undefined;
      return Promise.all(
        values.map(async (value, i) => {
          const etag = etags[i];
          if (etag) return { value, etag };
          // Every service answers each update with its ETag; should one not, the row is read back for it.
          const current = await outbox.get(value.tenantId, value.id);
          if (!current) throw new Error(`notification ${value.id} vanished after it was claimed`);
          return current;
        }),
      );
    },

    save: (row: OutboxRow, value: Notification) => outbox.update(value, row.etag),

    completeUnclaimed: async (row: OutboxRow, sentAt: string) =>
      (await unlessConflict(outbox.update({ ...row.value, lease: undefined, status: "sent", sentAt }, row.etag))) !== undefined,

    async deadLetter(row: OutboxRow, dead: Notification, why: DeadLetter): Promise<void> {
      await outbox.deadLetter(dead, row.etag, {
        id: randomUUID(),
        tenantId: row.value.tenantId,
        actor: why.actor,
        action: "notification.deadLettered" satisfies AuditAction,
        target: `notification:${row.value.id}`,
        before: { status: row.value.status, attempts: row.value.attempts },
        after: { status: "dead", reason: why.reason },
        at: why.at,
        correlationId: row.value.correlationId,
      });
      // After the transaction, like every index write: the sweep repairs a crash in between.
      await index.indexDead([{ tenantId: dead.tenantId, id: dead.id, createdAt: dead.createdAt }]);
    },

    async invitationCards(tenantId: string, subjectId: string): Promise<Notification[]> {
      return (await outbox.listForTenant(tenantId))
        .map((r) => r.value)
        .filter(
          (n) =>
            (n.type === "invitationReceived" && n.payload["invitationId"] === subjectId) ||
            ((n.type === "accessReview" || n.type === "accessReviewReminder") && n.payload["reviewId"] === subjectId),
        );
    },
  };
}

export interface RecipientsDeps {
  conversations: Pick<Storage["conversations"], "get" | "listForTenant">;
  partners: { get(partnerId: string): Promise<Partner | undefined> };
  /** The bot's bookkeeping (ConversationBook.markStale): only the reference that failed is marked. */
  markStale(record: ConversationRecord): Promise<void>;
}

export function createRecipients(deps: RecipientsDeps): Recipients {
  const { conversations, partners } = deps;
  return {
    conversation: async (tenantId, userId) => (await conversations.get(tenantId, userId))?.value,
    tenantAdmins: async (tenantId) =>
      (await conversations.listForTenant(tenantId)).map((r) => r.value).filter((r) => r.reachableAs === "customerAdmin"),
    partnerContacts: async (partnerId) => (await partners.get(partnerId))?.contacts ?? [],
    // Someone else updated the record meanwhile (the user came back, or another instance marked it): theirs stands.
    markStale: (record) => unlessConflict(deps.markStale(record)).then(() => undefined),
  };
}

/**
 * An operator puts a dead-lettered notification back in the queue with a fresh retry budget (attempts reset,
 * audited in the same transaction); who was already served stays served (deliveries kept).
 */
export async function requeueDeadLetter(
  repos: Pick<Storage, "decisions" | "outboxShards" | "partners">,
  row: OutboxRow,
  at: string,
  auditId: string,
  shards: number,
): Promise<boolean> {
  const n = row.value;
  const pending: Notification = { ...n, status: "pending", attempts: 0, nextAttemptAt: undefined, lease: undefined };
  const requeued = write.notification(pending);
  const audit = write.audit({
    id: auditId,
    tenantId: n.tenantId,
    actor: { userId: "operator", name: "Operator (outbox script)" },
    action: "notification.requeued" satisfies AuditAction,
    target: `notification:${n.id}`,
    before: { status: "dead", attempts: n.attempts },
    after: { status: "pending", attempts: 0 },
    at,
    correlationId: n.correlationId,
  });
  // A decision like any other: conditional on the dead row as it was listed (a second requeue finds it changed).
  if (!(await repos.decisions.commit({ tenantId: n.tenantId, writes: [requeued, audit] }, [row])).ok) return false;
  // Indexed again (the script's storage has no afterCommit), and no longer dead.
  const deliveryTenantOf = deliveryTenantResolver(async (partnerId) => (await repos.partners.get(partnerId))?.value.tenantId);
  await repos.outboxShards.indexDue([await dueEntryOf(pending, deliveryTenantOf, shards)]);
  await repos.outboxShards.removeDead(n);
  return true;
}
