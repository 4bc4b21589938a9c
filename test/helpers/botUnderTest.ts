import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Clock } from "../../src/domain/time.js";
import { freshTables } from "./azurite.js";

/**
 * The real server (config -> storage -> bot -> HTTP) on a free loopback port, on the shared test Azurite with
 * its own tables, seeded with the demo. Settings go through loadConfig, exactly as in production. A test that moves
 * time hands a clock (test/helpers/manualClock.ts): the app reads every "now" from it.
 */
export async function startBotUnderTest(
  env: Record<string, string> = {},
  options: { seedDemo?: boolean; clock?: Clock } = {},
): Promise<RunningApp> {
  const { prefix, connectionString } = await freshTables();
  // Generous storage timeouts: these tests are about behaviour, and the shared test machine can be slow enough that
  // Azurite misses the production budget. The timeouts themselves are tested with their defaults (storage-hangs).
  const config = loadConfig({
    PORT: "0",
    TABLES_CONNECTION_STRING: connectionString,
    TABLE_PREFIX: prefix,
    LOG_LEVEL: "silent",
    STORAGE_TRY_TIMEOUT_MS: "10000",
    STORAGE_ACTION_BUDGET_MS: "30000",
    ...env,
  });
  return startApp(config, {
    logger: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
    seedDemo: options.seedDemo ?? true,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
