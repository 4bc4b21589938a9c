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

/*
 * The composition root's outbox part: the engine is built from ports (src/outbox/ports.ts), and this is where
 * storage, the conversation book and the partner-side cards are plugged into them.
 */

/** What the outbox engine is built from, as the app and the fan-out benchmark have it. */
export interface OutboxServices {
  /** The outbox's rows and where people are; notification cards read the records they show from it too. */
  storage: Pick<Storage, "outbox" | "conversations" | "invitations" | "agreements" | "acceptances" | "contactRequests" | "tenantNames"> &
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
export function createOutboxEngine(wiring: OutboxWiring, options: OutboxEngineOptions): OutboxEngine {
  const { services, book } = wiring;
  return new OutboxEngine(
    {
      rows: createOutboxStore(services.storage),
      recipients: createRecipients({
        conversations: services.storage.conversations,
        partners: services.directory,
        markStale: (record) => book.markStale(record),
      }),
      render: notificationRenderer(services),
      sender: wiring.sender,
      limiter: wiring.limiter,
      logger: wiring.logger,
      now: () => services.clock.now(),
    },
    options,
  );
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
