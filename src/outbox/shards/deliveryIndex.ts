import type { Logger } from "pino";
import type { Decision } from "../../domain/decision.js";
import type { Notification } from "../../domain/notification.js";
import type { OutboxDueEntry } from "../../domain/outboxShards.js";
import type { DeliveryTenantOf, OutboxIndex } from "./ports.js";
import { shardOf } from "./shareArithmetic.js";

/**
 * The tenant whose Teams limits a notification's sends count against, known when it is queued: a customer's admins
 * are in the customer tenant; a partner's contacts are users of the partner's own tenant (the directory's
 * `tenantId`). A partner no longer in the directory has nobody to send to: its notification is indexed under the
 * customer tenant (it sends nothing, and is dead-lettered or waits there).
 */
export function deliveryTenantResolver(partnerTenant: (partnerId: string) => Promise<string | undefined>): DeliveryTenantOf {
  return async (n) =>
    n.recipient.kind === "tenantAdmins" ? n.recipient.tenantId : ((await partnerTenant(n.recipient.partnerId)) ?? n.tenantId);
}

export interface OutboxIndexerDeps {
  index: Pick<OutboxIndex, "indexDue">;
  deliveryTenantOf: DeliveryTenantOf;
  shards: number;
  logger: Logger;
}

/** The index entry of a pending notification (its shard is its delivery tenant's). */
export async function dueEntryOf(n: Notification, deliveryTenantOf: DeliveryTenantOf, shards: number): Promise<OutboxDueEntry> {
  const deliveryTenant = await deliveryTenantOf(n);
  return { shard: shardOf(deliveryTenant, shards), deliveryTenant, tenantId: n.tenantId, id: n.id, createdAt: n.createdAt };
}

/**
 * Indexes the pending notifications a stored decision wrote, after its commit (StorageOptions.afterCommit, beside the
 * scheduler's index). A failed index write is logged, never the decision's failure: the sweep indexes it again.
 */
export function outboxIndexer(deps: OutboxIndexerDeps) {
  const indexNotifications = async (notifications: readonly Notification[]): Promise<void> => {
    const pending = notifications.filter((n) => n.status === "pending");
    if (pending.length === 0) return;
    await deps.index.indexDue(await Promise.all(pending.map((n) => dueEntryOf(n, deps.deliveryTenantOf, deps.shards))));
  };
  return {
    indexNotifications,
    afterCommit: async (decision: Decision): Promise<void> => {
      const written = decision.writes.flatMap((w) => (w.kind === "notification" ? [w.value] : []));
      try {
        await indexNotifications(written);
      } catch (error) {
        deps.logger.error({ err: error }, "outbox: a notification could not be indexed; the next sweep indexes it");
      }
    },
  };
}
