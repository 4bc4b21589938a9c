/**
 * Child process: the real Partner Desk (config -> storage -> bot -> restify) on a free loopback port, on the
 * benchmark's Azurite, with the demo seeded and the outbox engine on, as users run it (the fan-out benchmark
 * measures delivery at scale on its own). A pipeline policy counts every Table Storage request, the outbox's
 * included.
 *
 * Environment: BENCH_TABLES (Azurite connection string), BENCH_PREFIX (table prefix).
 */
import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { registrationFromEnv } from "../lib/botRegistration.js";
import { serve } from "../lib/child.js";
import { StorageCounter } from "../lib/storageCounter.js";
import { seedInvitations, setupRoundTrips, setupTurnsUsers, turnsUsers, type BenchUser, type TurnsMode } from "./fixtures.js";
import { setupSteadyState } from "./steadyFixtures.js";

let app: RunningApp | undefined;
const prefix = process.env["BENCH_PREFIX"] ?? "bench";
const counter = new StorageCounter(prefix);
let users: BenchUser[] = [];

serve(
  async () => {
    const connectionString = process.env["BENCH_TABLES"];
    if (!connectionString) throw new Error("BENCH_TABLES is not set");
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      TABLES_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: prefix,
      LOG_LEVEL: "silent",
      // The work indexes' safety-net sweep (once a day, a scan) would land in whichever action is being counted.
      INDEX_SWEEP_HOURS: "0",
      // Registered, as users run it (bench/lib/botRegistration.ts): every request's token validated, replies with a token.
      ...registrationFromEnv(),
      ...(process.env["MicrosoftAppId"]
        ? {
            ALLOWED_TENANTS: "*",
            ROLE_SOURCE: "table",
            // No Microsoft Graph behind the benchmark: the scheduled GDAP status sync would only fail against it.
            GDAP_SYNC_INTERVAL_SECONDS: "0",
          }
        : {}),
    });
    app = await startApp(config, {
      logger: pino({ level: "silent" }),
      seedDemo: true,
      tablePolicies: [counter.policy],
      outboxTablePolicies: [counter.outboxMarker],
    });
    const running = app;
    return {
      info: () => ({ url: running.url, pid: process.pid }),
      setupTurns: async ({ conversations, mode }: { conversations: number; mode: TurnsMode }) => {
        users = turnsUsers(conversations, mode);
        await setupTurnsUsers(running.storage, users, new Date());
        return users;
      },
      seedInvitations: async ({ load, rounds }: { load: number; rounds: number }) =>
        seedInvitations(running.storage, users, load, rounds, new Date()),
      setupRoundTrips: async () => setupRoundTrips(running.storage, new Date()),
      "steady.setup": async ({ partnerId }: { partnerId: string }) => setupSteadyState(running.storage, partnerId, new Date()),
      /** One GDAP status-sync pass; `freshWithinMs` > 0 skips partners checked that recently (an idle pass). */
      "steady.gdapSyncPass": async ({ freshWithinMs }: { freshWithinMs: number }) => running.gdapSync.runOnce(freshWithinMs),
      storageTotal: () => counter.total,
      storageOutbox: () => counter.outbox,
      /** Resolves once the outbox engine has made no request for 300 ms (at most 20 s). */
      outboxQuiet: async () => {
        const deadline = Date.now() + 20_000;
        let last = -1;
        while (Date.now() < deadline && counter.outbox !== last) {
          last = counter.outbox;
          await new Promise((r) => setTimeout(r, 300));
        }
      },
      "trips.start": () => counter.start(),
      "trips.stop": ({ quietMs, maxMs }: { quietMs?: number; maxMs?: number }) => counter.stop(quietMs, maxMs),
    };
  },
  async () => {
    await app?.stop();
  },
);
