import { z } from "zod";
import { optionalString, portSetting, setting, wholeNumber } from "./settings.js";

/** Where the tables live: a connection string, an account URL with a managed identity, or the embedded Azurite. */
export const storageSettings = {
  TABLES_CONNECTION_STRING: optionalString,
  TABLES_ACCOUNT_URL: setting(
    z.url({ message: "TABLES_ACCOUNT_URL must be a URL like https://<account>.table.core.windows.net" }).optional(),
  ),
  TABLES_MANAGED_IDENTITY_CLIENT_ID: optionalString,
  TABLE_PREFIX: setting(
    z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9]{0,19}$/,
        "TABLE_PREFIX must start with a letter and hold at most 20 letters or digits (table names allow nothing else)",
      )
      .default("pd"),
  ),
  LOCAL_DATA_DIR: setting(z.string().default(".data")),
  LOCAL_TABLES_PORT: portSetting("LOCAL_TABLES_PORT", 10002),
  // A hanging storage endpoint is cut off per try, and a card action's storage calls share one budget, so the user
  // gets "try again in a moment" before Teams gives up on the invoke (about 3 s); see src/storage/timeouts.ts.
  STORAGE_TRY_TIMEOUT_MS: wholeNumber("STORAGE_TRY_TIMEOUT_MS", 1_000, 50, 60_000),
  STORAGE_ACTION_BUDGET_MS: wholeNumber("STORAGE_ACTION_BUDGET_MS", 2_000, 100, 60_000),
  // Outside a turn (background loops, start-up, scripts) nobody waits: longer bounds, so a busy storage is not
  // answered with cut-off writes whose outcome is unknown and whose retries load it further.
  STORAGE_BACKGROUND_TRY_TIMEOUT_MS: wholeNumber("STORAGE_BACKGROUND_TRY_TIMEOUT_MS", 10_000, 50, 300_000),
  STORAGE_BACKGROUND_BUDGET_MS: wholeNumber("STORAGE_BACKGROUND_BUDGET_MS", 30_000, 100, 300_000),
};

type StorageSettings = z.output<z.ZodObject<typeof storageSettings>>;

/** A connection string wins over an account URL (both together are refused by the cross-setting rules); neither means local mode. */
export function storageFrom(e: StorageSettings) {
  if (e.TABLES_CONNECTION_STRING) return { kind: "connectionString" as const, connectionString: e.TABLES_CONNECTION_STRING };
  if (e.TABLES_ACCOUNT_URL) {
    return {
      kind: "managedIdentity" as const,
      accountUrl: e.TABLES_ACCOUNT_URL,
      ...(e.TABLES_MANAGED_IDENTITY_CLIENT_ID ? { clientId: e.TABLES_MANAGED_IDENTITY_CLIENT_ID } : {}),
    };
  }
  return { kind: "embedded" as const, dataDir: e.LOCAL_DATA_DIR, port: e.LOCAL_TABLES_PORT };
}

/** Per-try timeout and budget of every storage request, in a turn and outside one (src/storage/timeouts.ts). */
export function storageTimeoutsFrom(e: StorageSettings) {
  return {
    tryTimeoutMs: Math.min(e.STORAGE_TRY_TIMEOUT_MS, e.STORAGE_ACTION_BUDGET_MS),
    actionBudgetMs: e.STORAGE_ACTION_BUDGET_MS,
    backgroundTryTimeoutMs: Math.min(e.STORAGE_BACKGROUND_TRY_TIMEOUT_MS, e.STORAGE_BACKGROUND_BUDGET_MS),
    backgroundBudgetMs: e.STORAGE_BACKGROUND_BUDGET_MS,
  };
}
