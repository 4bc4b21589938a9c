import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { ConversationBook } from "./bot/conversationBook.js";
import type { Clock } from "./domain/time.js";
import type { DirectoryService } from "./partner-directory/directoryService.js";
import { renderNotification, type NotificationSources } from "./features/partner-side/notificationCards.js";
import { OutboxEngine, type OutboxEngineOptions } from "./outbox/engine.js";
import type { ProactiveSender, RenderNotification, SendLimiter } from "./outbox/ports.js";
import type { AdminAudience } from "./features/ports.js";
import type { Storage } from "./storage/index.js";
import { createOutboxStore, createRecipients } from "./storage/outboxStore.js";
import { deliveryTenantResolver, outboxIndexer } from "./outbox/shards/deliveryIndex.js";
import type { OutboxShardOptions } from "./outbox/shards/ports.js";
import { outboxShardDefaults } from "./config/outboxShards.js";
import { ShardKeeper } from "./outbox/shards/shardKeeper.js";
import { OutboxSweep } from "./outbox/shards/sweep.js";

/*
 * The composition root's outbox part: the engine is built from ports (src/outbox/ports.ts), and this is where
 * storage, the conversation book and the partner-side cards are plugged into them.
 */

/** What the outbox engine is built from, as the app and the fan-out benchmark have it. */
export interface OutboxServices {
  /** The outbox's rows and where people are; notification cards read the records they show from it too. */
  storage: Pick<
    Storage,
    | "outbox"
    | "outboxShards"
    | "sweeps"
    | "conversations"
    | "invitations"
    | "agreements"
    | "acceptances"
    | "contactRequests"
    | "tenantNames"
  > &
    Partial<Pick<Storage, "accessReviews">>;
  /** Whose invitation cards refresh (the conversation book, which keeps that list). */
  adminAudience: AdminAudience;
  directory: DirectoryService;
  clock: Clock;
  /** Microsoft is the simulated Partner Center: notification cards label what comes from it. */
  microsoftSimulated?: boolean;
}

export interface OutboxWiring {
  services: OutboxServices;
  book: ConversationBook;
  sender: ProactiveSender;
  limiter: SendLimiter;
  logger: Logger;
}

/** How long a tenant's display name (on every card of its notifications) is reused before it is read again. */
const DISPLAY_NAME_TTL_MS = 60_000;

/**
 * The outbox engine as the app runs it (tests and the fan-out benchmark build it the same way): storage through
 * the outbox store, reachability through the conversation book, cards rendered by the partner-side features.
 */
export function createOutboxEngine(
  wiring: OutboxWiring,
  options: OutboxEngineOptions & { shards?: Partial<OutboxShardOptions> },
): OutboxEngine {
  const { services, book } = wiring;
  const shards = { ...OUTBOX_SHARD_DEFAULTS(), ...options.shards };
  const now = () => services.clock.now();
  const index = services.storage.outboxShards;
  const keeper = new ShardKeeper(
    index,
    { instanceId: shards.instanceId, shards: shards.count, leaseMs: shards.leaseMs },
    { now, logger: wiring.logger },
  );
  const sweep = new OutboxSweep(
    {
      store: { claimSweep: (...a) => index.claimSweep(...a), unsentEverywhere: () => services.storage.sweeps.unsentNotifications() },
      index,
      deliveryTenantOf: deliveryTenantOfPartners(services.directory),
      now,
      logger: wiring.logger,
    },
    { owner: shards.instanceId, shards: shards.count, intervalMs: shards.sweepIntervalMs },
  );
  return new OutboxEngine(
    {
      rows: createOutboxStore(services.storage, { index, ownership: keeper }),
      recipients: createRecipients({
        conversations: services.storage.conversations,
        partners: services.directory,
        markStale: (record) => book.markStale(record),
      }),
      render: notificationRenderer(services),
      sender: wiring.sender,
      limiter: wiring.limiter,
      logger: wiring.logger,
      now,
      shards: keeper,
      sweep: () => sweep.runIfDue(),
    },
    options,
  );
}

/** Without settings (tests, the benchmark): the settings' defaults (src/config/outboxShards.ts). */
export const OUTBOX_SHARD_DEFAULTS = outboxShardDefaults;

/** A partner's notifications are delivered in the partner's own tenant (the directory knows it). */
export const deliveryTenantOfPartners = (directory: Pick<DirectoryService, "get">) =>
  deliveryTenantResolver(async (partnerId) => (await directory.get(partnerId))?.tenantId);

/**
 * Indexes the notifications a stored decision queued, under their delivery tenant's shard (the app's afterCommit,
 * beside the scheduler's indexer; tests that queue rows directly call `indexNotifications`).
 */
export function createOutboxIndexer(
  storage: Pick<Storage, "outboxShards">,
  directory: Pick<DirectoryService, "get">,
  logger: Logger,
  shards = OUTBOX_SHARD_DEFAULTS().count,
) {
  return outboxIndexer({ index: storage.outboxShards, deliveryTenantOf: deliveryTenantOfPartners(directory), shards, logger });
}

/**
 * Notification cards with the tenant's display name read at most once a minute per tenant: every card of a
 * tenant's notifications shows it, and a fan-out renders hundreds. Concurrent renders share one read; a failed
 * read is not kept.
 */
export function notificationRenderer(services: OutboxServices, displayNameTtlMs = DISPLAY_NAME_TTL_MS): RenderNotification {
  const read = (tenantId: string) => services.storage.tenantNames.displayName(tenantId);
  // Wrapped, so that a tenant without a name is remembered too (lru-cache keeps no undefined).
  const names = new LRUCache<string, { name: string | undefined }>({
    max: 10_000,
    ttl: displayNameTtlMs,
    fetchMethod: async (tenantId) => ({ name: await read(tenantId) }),
  });
  const displayName = async (tenantId: string) => (displayNameTtlMs > 0 ? (await names.fetch(tenantId))?.name : read(tenantId));
  const { invitations, agreements, acceptances, contactRequests, tenantNames, accessReviews } = services.storage;
  const sources: NotificationSources = {
    ...(accessReviews ? { accessReviews } : {}),
    invitations,
    agreements,
    acceptances,
    contactRequests,
    tenantNames,
    adminAudience: services.adminAudience,
  };
  const microsoftSimulated = services.microsoftSimulated === true;
  return (notification, recipient) =>
    renderNotification(notification, recipient, sources, services.clock.now(), { displayName, microsoftSimulated });
}
