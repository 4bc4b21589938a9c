/**
 * Child process of the scale-out section: one outbox instance of Partner Desk, built as the app builds it
 * (createOutboxEngine from src/outboxWiring.ts: real repositories on Azurite, the real RateLimiter, BotProactiveSender
 * on a CloudAdapter), its settings parsed by the same loadConfig. Several of these run at once on one storage
 * account; one of them also seeds the tables first.
 *
 * The only thing added to the app's wiring: every send goes to this process's own port of the parent's channel
 * (BENCH_CHANNEL_URL instead of the reference's service URL), so the channel knows which process sent it. The
 * channel's ports share one state: the limits it enforces are across all processes, as Teams' are.
 *
 * Environment: BENCH_TABLES (Azurite connection string), BENCH_PREFIX (table prefix), BENCH_CHANNEL_URL, and
 * OUTBOX_* settings (OUTBOX_INSTANCE_ID and those of tenant shards), passed to loadConfig as an operator sets them.
 */
import { createAdapter } from "../../src/bot/adapter.js";
import { ConversationBook } from "../../src/bot/conversationBook.js";
import { BotProactiveSender } from "../../src/bot/proactiveSender.js";
import { loadConfig, type NotificationsConfig } from "../../src/config.js";
import { systemClock } from "../../src/domain/time.js";
import type { OutboxEngine } from "../../src/outbox/engine.js";
import type { ProactiveSender } from "../../src/outbox/ports.js";
import { RateLimiter } from "../../src/outbox/rateLimiter.js";
import { createOutboxEngine } from "../../src/outboxWiring.js";
import { DirectoryService } from "../../src/partner-directory/directoryService.js";
import { createTableClients, ensureTables, openStorage, type Storage } from "../../src/storage/index.js";
import { allOutboxRows, pendingCount } from "../lib/outboxRows.js";
import { engineLogger } from "../lib/engineLog.js";
import { serve } from "../lib/child.js";
import { now } from "../lib/stats.js";
import { StorageCounter } from "../lib/storageCounter.js";
import { seedScaleout, type ScaleoutSeed, type Seeded } from "./seed.js";

export interface InstanceSetup {
  /** NOTIFY_* settings, exactly as an operator would set them. */
  env: Record<string, string>;
  /** Seed the tables first (one instance does). */
  seed?: ScaleoutSeed;
}

export interface InstanceReady {
  seeded?: Seeded;
  notifications: NotificationsConfig;
  /** The engine's own instance id (OUTBOX_INSTANCE_ID once the engine reads it; a random one before). */
  instanceId: string;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
  attempts: Record<string, number>;
}

let engine: OutboxEngine | undefined;
let repos: Storage | undefined;
let counter: StorageCounter | undefined;

/** Settings of the outbox that the harness does not know by name (tenant shards): every OUTBOX_* of this process. */
function outboxSettings(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith("OUTBOX_") && e[1] !== undefined),
  );
}

/** The app's sender, to this process's port of the channel. */
function senderTo(channelUrl: string, inner: ProactiveSender): ProactiveSender {
  return {
    send: (reference, card, key) => inner.send({ ...reference, serviceUrl: channelUrl }, card, key),
    update: (reference, activityId, card) => inner.update({ ...reference, serviceUrl: channelUrl }, activityId, card),
  };
}

serve(
  () =>
    Promise.resolve({
      setup: async (setup: InstanceSetup): Promise<InstanceReady> => {
        const connectionString = process.env["BENCH_TABLES"];
        const channelUrl = process.env["BENCH_CHANNEL_URL"];
        if (!connectionString || !channelUrl) throw new Error("BENCH_TABLES and BENCH_CHANNEL_URL must be set");
        const config = loadConfig({
          PORT: "0",
          TABLES_CONNECTION_STRING: connectionString,
          TABLE_PREFIX: process.env["BENCH_PREFIX"] ?? "scale",
          LOG_LEVEL: "silent",
          ...outboxSettings(),
          ...setup.env,
        });
        const tables = createTableClients({ kind: "connectionString", connectionString }, config.tablePrefix);
        await ensureTables(tables);
        repos = openStorage(tables);
        const seeded = setup.seed ? await seedScaleout(repos, setup.seed, config.notifications.shards) : undefined;
        // The engine gets its own clients with a counting policy, so every request it makes is counted.
        counter = new StorageCounter(config.tablePrefix);
        const engineRepos = openStorage(
          createTableClients({ kind: "connectionString", connectionString }, config.tablePrefix, {
            additionalPolicies: [counter.policy],
            timeouts: config.storageTimeouts,
          }),
        );
        const directory = new DirectoryService(engineRepos.partners);
        await directory.reload();
        // BENCH_SCALEOUT_LOG_DIR: each engine's debug log in a file there (shard takes, passes, retries), to see where time went.
        const logger = engineLogger(
          "BENCH_SCALEOUT_LOG_DIR",
          `${process.env["BENCH_PREFIX"] ?? "scale"}-${process.env["OUTBOX_INSTANCE_ID"] ?? process.pid}`,
        );
        const book = new ConversationBook(engineRepos.conversations, directory, systemClock, () => engine?.wake());
        engine = createOutboxEngine(
          {
            services: { storage: engineRepos, adminAudience: book, directory, clock: systemClock },
            book,
            sender: senderTo(channelUrl, new BotProactiveSender(createAdapter(config.auth, logger), config.auth.MicrosoftAppId ?? "")),
            limiter: new RateLimiter(config.notifications.limits),
            logger,
          },
          config.notifications,
        );
        return { ...(seeded ? { seeded } : {}), notifications: config.notifications, instanceId: engine.instanceId };
      },
      start: () => {
        if (!engine || !counter) throw new Error("setup first");
        counter.start();
        engine.start();
        return now();
      },
      /** The engine's storage requests so far (asked every second: a killed process's last answer is what is known). */
      storageSoFar: () => counter?.total ?? 0,
      pending: async () => (repos ? await pendingCount(repos) : -1),
      counts: async (): Promise<OutboxCounts> => {
        if (!repos) throw new Error("setup first");
        const counts: OutboxCounts = { pending: 0, sent: 0, dead: 0, attempts: {} };
        for (const value of await allOutboxRows(repos)) {
          counts[value.status]++;
          counts.attempts[value.attempts] = (counts.attempts[value.attempts] ?? 0) + 1;
        }
        return counts;
      },
      stopEngine: async () => engine?.stop(),
      /** After stopEngine: the engine's storage requests since start(), by what they do. */
      storage: async (): Promise<{ requests: number; byKind: Record<string, number> }> => {
        const calls = (await counter?.stop(0, 1_000)) ?? [];
        const byKind: Record<string, number> = {};
        for (const call of calls) byKind[call.what] = (byKind[call.what] ?? 0) + 1;
        return { requests: calls.length, byKind };
      },
    }),
  async () => {
    await engine?.stop();
  },
);
