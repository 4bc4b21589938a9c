import type { Logger } from "pino";
import { createAdapter, messageEndpoint } from "./bot/adapter.js";
import { PartnerDeskBot } from "./bot/partnerDeskBot.js";
import { BotProactiveSender } from "./bot/proactiveSender.js";
import { ActionRouter } from "./bot/router.js";
import { ConversationBook } from "./bot/conversationBook.js";
import type { OutboxEngine } from "./outbox/engine.js";
import { createOutboxEngine, createOutboxIndexer } from "./outboxWiring.js";
import { microsoftConnection } from "./microsoftWiring.js";
import { startSimulation, type RunningSimulation } from "./simulationWiring.js";
import type { GdapSyncEngine } from "./gdapSync/engine.js";
import { createGdapSyncEngine } from "./gdapSyncWiring.js";
import type { Scheduler } from "./jobs/scheduler.js";
import { createIndexSweeper, createScheduler, expiryIndexer } from "./jobsWiring.js";
import { outboxStatus } from "./outbox/outboxStatus.js";
import { RateLimiter } from "./outbox/rateLimiter.js";
import type { Config } from "./config.js";
import type { Decision } from "./domain/decision.js";
import { DEMO, demoIdentities, demoTenantOf } from "./demo/constants.js";
import { seedDemo, type SeedSummary } from "./demo/seed.js";
import { resetDemo } from "./demo/reset.js";
import { DirectoryService } from "./partner-directory/directoryService.js";
import { systemClock, type Clock } from "./domain/time.js";
import { ROUTES } from "./features/index.js";
import type { AdminAudience, MicrosoftConnection, MicrosoftSyncOnDemand, Ports, ScheduleWork } from "./features/ports.js";
import { createRoleDirectoryFromConfig } from "./entra-roles/index.js";
import type { RoleDirectory } from "./entra-roles/roleDirectory.js";
import { close, createHttpServer, listen } from "./server.js";
import {
  createTableClients,
  ensureTables,
  openStorage,
  pingStorage,
  startAzurite,
  type RunningAzurite,
  type Storage,
  type TableConnection,
  type TablePipelinePolicies,
} from "./storage/index.js";

export interface RunningApp {
  url: string;
  port: number;
  /** Set when the embedded Azurite was started (local mode with no storage configured). */
  azurite?: RunningAzurite;
  seeded?: SeedSummary;
  /** Set when the simulated Partner Center runs (MICROSOFT_SIMULATION, local mode): its admin center's url. */
  simulation?: { url: string };
  /** Storage as the app opened it: tests and tools look at rows and set scenes through it. */
  storage: Storage;
  /** What features read and write through. */
  ports: Ports;
  /** The partner directory's search index: `reload()` after an import. */
  directory: DirectoryService;
  /** The outbox delivery engine (started unless NOTIFY_ENABLED=false), woken by commits that queued something. */
  outbox: OutboxEngine;
  /** The GDAP status sync (scheduled unless GDAP_SYNC_INTERVAL_SECONDS=0 or in local mode; on demand for cards). */
  gdapSync: GdapSyncEngine;
  /** The scheduler (expiry warnings): on a timer unless SCHEDULE_INTERVAL_SECONDS=0; `runNow()` runs a pass. */
  jobs: Scheduler;
  stop(): Promise<void>;
}

export interface AppOptions {
  logger: Logger;
  clock?: Clock;
  /** Seed the demo; defaults to true exactly when the embedded Azurite is used. */
  seedDemo?: boolean;
  /** Extra HTTP pipeline policies for every Table Storage client (the benchmark counts round trips with one). */
  tablePolicies?: TablePipelinePolicies;
  /** More policies for the outbox engine's own clients only (the benchmark tells its requests from the turns'). */
  outboxTablePolicies?: TablePipelinePolicies;
}

/** Wires the whole bot from a Config: storage -> services -> router -> bot -> adapter -> HTTP. */
export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const { connection, azurite } = await connectStorage(config, logger);
  let simulation: RunningSimulation | undefined;
  try {
    simulation = await startSimulation(config, logger);
    const tables = createTableClients(connection, config.tablePrefix, {
      additionalPolicies: options.tablePolicies ?? [],
      timeouts: config.storageTimeouts,
    });
    await ensureTables(tables);
    // A commit that wrote an outbox row wakes the outbox (built below: bound late); a read never does.
    // eslint-disable-next-line prefer-const -- assigned once, below, after the storage that needs it exists
    let outbox: OutboxEngine | undefined;
    // A commit indexes its expiry warnings and its notifications (the indexers need the storage: bound late).
    // eslint-disable-next-line prefer-const -- assigned once, below, after the storage that needs it exists
    let indexAfter: ((decision: Decision) => Promise<void>) | undefined;
    const storage = openStorage(tables, {
      agreementCacheTtlMs: config.agreementCacheTtlMs,
      onOutboxWritten: () => outbox?.wake(),
      afterCommit: (decision) => indexAfter?.(decision) ?? Promise.resolve(),
      onIndexFailure: (err, tenantId) =>
        logger.error({ err, tenantId }, "a work-index pointer could not be written; the index sweep writes it"),
    });
    const jobsLogger = logger.child({ component: "scheduler" });
    const indexer = expiryIndexer(config, { storage, clock, logger: jobsLogger });
    const roleDirectory = createRoleDirectoryFromConfig(config, storage.roleAssignments, {
      onConsentFallback: (tenantId, error) =>
        logger.info({ tenantId, code: error.graphCode }, "roles read from the table: the tenant has not granted Graph consent"),
    });
    const directory = new DirectoryService(storage.partners);
    // A commit that queued notifications indexes them under their delivery tenant's shard (src/outbox/shards).
    const outboxIndex = createOutboxIndexer(storage, directory, logger.child({ component: "outbox" }), config.notifications.shards.count);
    indexAfter = async (decision) => void (await Promise.all([indexer.afterCommit(decision), outboxIndex.afterCommit(decision)]));
    // Where partner contacts and admins can be reached; it wakes the outbox when someone becomes reachable (the
    // outbox is built below: bound late), and keeps each tenant's admins for the invitation cards' refresh.
    const book = new ConversationBook(storage.conversations, directory, clock, (who) => {
      outbox?.reachable(who).catch((err: unknown) => {
        // Left parked: the next sweep lists it again (OUTBOX_SWEEP_MINUTES).
        logger.error({ err, tenantId: who.tenantId }, "outbox: what waited for someone now reachable could not be made due");
        outbox?.wake();
      });
    });
    const microsoft = microsoftConnection(config, undefined, undefined, simulation?.endpoints);
    // Without an app id no partner can be connected: there is nothing to read from Graph, on a schedule or on demand.
    // Microsoft (or, in the demo, the simulated Partner Center) is read only where there is one to read.
    const readsMicrosoft = !config.localMode || simulation !== undefined;
    const gdapSync = createGdapSyncEngine(
      config,
      { storage, directory, microsoft, logger: logger.child({ component: "gdapSync" }), clock },
      { onDemand: readsMicrosoft },
    );
    const seedsDemo = options.seedDemo ?? config.storage.kind === "embedded";
    const ports = portsOf(storage, {
      partners: directory,
      roleHolders: roleDirectory,
      adminAudience: book,
      microsoft,
      microsoftSync: gdapSync,
      schedule: { at: (item) => storage.schedule.at(item, clock.now()) },
    });
    // `reset demo` exists only in the local demo: never where a real tenant's data could be reset.
    if (seedsDemo && config.localMode) ports.demo = { tenantId: DEMO.customerTenantId, reset: () => resetDemo(storage, clock.now()) };
    const seeded = seedsDemo ? await seedDemo(storage, clock.now()) : undefined;
    if (seeded) await indexer.indexRelationships((await storage.relationships.listForTenant(DEMO.customerTenantId)).map((r) => r.value));
    const jobs = createScheduler(config, { storage, clock, logger: jobsLogger });
    const indexSweeper = createIndexSweeper(config, { storage, clock, logger: jobsLogger });

    // Build the search index before the first user waits for it: an invoke must be answered well under a second.
    await directory.reload();

    const adapter = createAdapter(config.auth, logger);
    outbox = outboxEngineFor(config, connection, options, {
      directory,
      clock,
      book,
      adapter,
      logger,
      microsoftSimulated: simulation !== undefined,
    });
    const bot = new PartnerDeskBot({
      identity: {
        allowedTenants: config.allowedTenants,
        localIdentities: config.localMode ? demoIdentities(config.demo.partnerUserId) : undefined,
        localTenantOf: config.localMode ? demoTenantOf : undefined,
      },
      router: new ActionRouter(ROUTES),
      ports,
      rolesOf: (tenantId, userId) => roleDirectory.rolesOf(tenantId, userId),
      clock,
      logger,
      book,
      microsoftSimulated: simulation !== undefined,
    });
    const server = createHttpServer({
      messages: messageEndpoint(adapter, bot),
      checkStorage: () => pingStorage(tables),
      storageBudgetMs: config.storageTimeouts.actionBudgetMs,
      details: async () => ({ outbox: await outboxStatus(storage.outboxShards, config.notifications.shards.count, clock.now()) }),
      logger,
    });
    const { port } = await listen(server, config.port, config.host);
    if (config.notifications.enabled) outbox.start();
    if (readsMicrosoft) gdapSync.start();
    jobs.start();
    indexSweeper.start();
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const engine = outbox;

    let stopping: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      port,
      ...(azurite ? { azurite } : {}),
      ...(seeded ? { seeded } : {}),
      ...(simulation ? { simulation: { url: simulation.url } } : {}),
      storage,
      ports,
      directory,
      outbox,
      gdapSync,
      jobs,
      stop: () =>
        (stopping ??= (async () => {
          await close(server);
          await Promise.all([engine.stop(), gdapSync.stop(), jobs.stop(), indexSweeper.stop()]);
          await simulation?.stop();
          await azurite?.stop();
        })()),
    };
  } catch (error) {
    await simulation?.stop();
    await azurite?.stop();
    throw error;
  }
}

/** The configured storage account, or (local mode) the embedded Azurite started for this process. */
async function connectStorage(config: Config, logger: Logger): Promise<{ connection: TableConnection; azurite?: RunningAzurite }> {
  if (config.storage.kind !== "embedded") return { connection: config.storage };
  const azurite = await startAzurite({ port: config.storage.port, dataDir: config.storage.dataDir });
  logger.info({ port: azurite.port, dataDir: config.storage.dataDir }, "embedded Azurite table service started");
  return { connection: { kind: "connectionString", connectionString: azurite.connectionString }, azurite };
}

/** Every port features may use: storage's, and the services built beside it (directories, the book, Microsoft). */
function portsOf(
  storage: Storage,
  services: {
    partners: DirectoryService;
    roleHolders: RoleDirectory;
    adminAudience: AdminAudience;
    microsoft: MicrosoftConnection;
    microsoftSync: MicrosoftSyncOnDemand;
    schedule: ScheduleWork;
  },
): Ports {
  const { partners, roleHolders, adminAudience, microsoft, microsoftSync, schedule } = services;
  return {
    invitations: storage.invitations,
    relationships: storage.relationships,
    agreements: storage.agreements,
    acceptances: storage.acceptances,
    audit: storage.audit,
    auditHistory: storage.audit,
    contactRequests: storage.contactRequests,
    tenantNames: storage.tenantNames,
    adminAudience,
    decisions: storage.decisions,
    partners,
    roleHolders,
    connections: storage.connections,
    microsoft,
    microsoftSync,
    partnerWork: storage.partnerWork,
    tenantPolicies: storage.tenantPolicies,
    accessReviews: storage.accessReviews,
    schedule,
  };
}

/**
 * The outbox engine, working in the background on table clients of its own: its requests never queue behind a
 * turn's in a shared connection pool, and they can be told apart (the benchmark counts turns and outbox apart).
 */
function outboxEngineFor(
  config: Config,
  connection: TableConnection,
  options: AppOptions,
  parts: {
    directory: DirectoryService;
    clock: Clock;
    book: ConversationBook;
    adapter: ReturnType<typeof createAdapter>;
    logger: Logger;
    microsoftSimulated: boolean;
  },
): OutboxEngine {
  const tables = createTableClients(connection, config.tablePrefix, {
    additionalPolicies: [...(options.outboxTablePolicies ?? []), ...(options.tablePolicies ?? [])],
    timeouts: config.storageTimeouts,
  });
  return createOutboxEngine(
    {
      services: {
        storage: openStorage(tables, { agreementCacheTtlMs: config.agreementCacheTtlMs }),
        adminAudience: parts.book,
        directory: parts.directory,
        clock: parts.clock,
        microsoftSimulated: parts.microsoftSimulated,
      },
      book: parts.book,
      sender: new BotProactiveSender(parts.adapter, config.auth.MicrosoftAppId ?? ""),
      limiter: new RateLimiter(config.notifications.limits),
      logger: parts.logger.child({ component: "outbox" }),
    },
    config.notifications,
  );
}
