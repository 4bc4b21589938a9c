import type { Logger } from "pino";
import { createAdapter, messageEndpoint } from "./bot/adapter.js";
import { PartnerDeskBot } from "./bot/partnerDeskBot.js";
import { BotProactiveSender } from "./bot/proactiveSender.js";
import { ActionRouter } from "./bot/router.js";
import { ConversationBook } from "./bot/conversationBook.js";
import { LRUCache } from "lru-cache";
import { OutboxEngine, type OutboxEngineOptions } from "./outbox/engine.js";
import { outboxStatus } from "./outbox/outboxStatus.js";
import type { ProactiveSender, RenderNotification, SendLimiter } from "./outbox/ports.js";
import { RateLimiter } from "./outbox/rateLimiter.js";
import type { Config } from "./config.js";
import { demoIdentities } from "./demo/constants.js";
import { seedDemo, type SeedSummary } from "./demo/seed.js";
import { DirectoryService } from "./partner-directory/directoryService.js";
import { systemClock, type Clock } from "./domain/time.js";
import { ROUTES } from "./features/index.js";
import { renderNotification } from "./features/partner-side/notificationCards.js";
import type { Services } from "./features/types.js";
import { createRoleDirectoryFromConfig } from "./entra-roles/index.js";
import { close, createHttpServer, listen } from "./server.js";
import { startAzurite, type RunningAzurite } from "./storage/azurite.js";
import { createOutboxStore, createRecipients } from "./storage/outboxStore.js";
import { createRepositories } from "./storage/repositories/index.js";
import { createTableClients, ensureTables, pingStorage, type TableConnection, type TablePipelinePolicies } from "./storage/tables.js";

export interface RunningApp {
  url: string;
  port: number;
  /** Set when the embedded Azurite was started (local mode with no storage configured). */
  azurite?: RunningAzurite;
  seeded?: SeedSummary;
  services: Services;
  /** The outbox delivery engine (started unless NOTIFY_ENABLED=false); `wake()` after a commit that queued something. */
  outbox: OutboxEngine;
  stop(): Promise<void>;
}

export interface AppOptions {
  logger: Logger;
  clock?: Clock;
  /** Seed the demo; defaults to true exactly when the embedded Azurite is used. */
  seedDemo?: boolean;
  /** Extra HTTP pipeline policies for every Table Storage client (the benchmark counts round trips with one). */
  tablePolicies?: TablePipelinePolicies;
}

/** Wires the whole bot from a Config: storage -> services -> router -> bot -> adapter -> HTTP. */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  let azurite: RunningAzurite | undefined;
  let connection: TableConnection;
  if (config.storage.kind === "embedded") {
    azurite = await startAzurite({ port: config.storage.port, dataDir: config.storage.dataDir });
    logger.info({ port: azurite.port, dataDir: config.storage.dataDir }, "embedded Azurite table service started");
    connection = { kind: "connectionString", connectionString: azurite.connectionString };
  } else {
    connection = config.storage;
  }

  try {
    const tables = createTableClients(
      connection,
      config.tablePrefix,
      options.tablePolicies ? { additionalPolicies: options.tablePolicies } : {},
    );
    await ensureTables(tables);
    const repos = createRepositories(tables, { agreementCacheTtlMs: config.agreementCacheTtlMs });
    const roleDirectory = createRoleDirectoryFromConfig(config, repos.roleAssignments, {
      onConsentFallback: (tenantId, error) =>
        logger.info({ tenantId, code: error.graphCode }, "roles read from the table: the tenant has not granted Graph consent"),
    });
    const directory = new DirectoryService(repos.partners);
    const services: Services = { repos, roleDirectory, directory, clock };
    const seeded = (options.seedDemo ?? config.storage.kind === "embedded") ? await seedDemo(repos, clock.now()) : undefined;

    // Build the search index before the first user waits for it: an invoke must be answered well under a second.
    await directory.reload();

    const adapter = createAdapter(config.auth, logger);
    // The book wakes the outbox when someone becomes reachable; the outbox needs the book: bind late.
    const book = new ConversationBook(repos.conversations, directory, clock, () => outbox.wake());
    const outbox = createOutboxEngine(
      {
        services,
        book,
        sender: new BotProactiveSender(adapter, config.auth.MicrosoftAppId ?? ""),
        limiter: new RateLimiter(config.notifications.limits),
        logger: logger.child({ component: "outbox" }),
      },
      config.notifications,
    );
    const bot = new PartnerDeskBot({
      identity: {
        allowedTenants: config.allowedTenants,
        localIdentities: config.localMode ? demoIdentities(config.demo.partnerUserId) : undefined,
      },
      router: new ActionRouter(ROUTES),
      services,
      logger,
      book,
      afterDecision: () => outbox.wake(),
    });
    const server = createHttpServer({
      messages: messageEndpoint(adapter, bot),
      checkStorage: () => pingStorage(tables),
      details: async () => ({ outbox: await outboxStatus(repos.outbox, clock.now()) }),
      logger,
    });
    const { port } = await listen(server, config.port, config.host);
    if (config.notifications.enabled) outbox.start();
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;

    let stopping: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      port,
      ...(azurite ? { azurite } : {}),
      ...(seeded ? { seeded } : {}),
      services,
      outbox,
      stop: () =>
        (stopping ??= (async () => {
          await close(server);
          await outbox.stop();
          await azurite?.stop();
        })()),
    };
  } catch (error) {
    await azurite?.stop();
    throw error;
  }
}

export interface OutboxWiring {
  services: Services;
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
      store: createOutboxStore(services.repos),
      recipients: createRecipients({
        conversations: services.repos.conversations,
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
export function notificationRenderer(services: Services, displayNameTtlMs = DISPLAY_NAME_TTL_MS): RenderNotification {
  const read = (tenantId: string) => services.repos.tenantProfiles.displayName(tenantId);
  // Wrapped, so that a tenant without a name is remembered too (lru-cache keeps no undefined).
  const names = new LRUCache<string, { name: string | undefined }>({
    max: 10_000,
    ttl: displayNameTtlMs,
    fetchMethod: async (tenantId) => ({ name: await read(tenantId) }),
  });
  const displayName = async (tenantId: string) => (displayNameTtlMs > 0 ? (await names.fetch(tenantId))?.name : read(tenantId));
  return (notification, recipient) => renderNotification(notification, recipient, services, services.clock.now(), { displayName });
}
