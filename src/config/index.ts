import { z } from "zod";
import { botAuthFrom, botAuthSettings } from "./botAuth.js";
import { crossSettingProblems } from "./crossSettingRules.js";
import { gdapSyncFrom, gdapSyncSettings } from "./gdapSync.js";
import { graphFrom, graphSettings } from "./graph.js";
import { notificationSettings, notificationsFrom } from "./notifications.js";
import { rolesFrom, rolesSettings } from "./roles.js";
import { setting, optionalString, portSetting, wholeNumber } from "./settings.js";
import { scheduleFrom, scheduleSettings } from "./schedule.js";
import { simulationFrom, simulationSettings } from "./simulation.js";
import { storageFrom, storageSettings, storageTimeoutsFrom } from "./storage.js";
import { webFrom, webSettings } from "./web.js";

/**
 * The one place that knows the shape of the environment. Everything else receives a typed Config, whose type is
 * what the schema below produces: a setting is declared once, with its default and its message.
 * Each rule that can fail names the setting and says how to fix it, because a bot that will not start
 * is debugged from its first line of output.
 */

export { DEFAULT_GRAPH_AUTHORITY_HOST, DEFAULT_GRAPH_BASE_URL } from "./graph.js";
export { CONSENT_LANDING_PATH } from "./web.js";
export { isLoopbackHost } from "./settings.js";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const EnvSchema = z
  .object({
    PORT: portSetting("PORT", 3978),
    HOST: setting(z.string().default("127.0.0.1")),
    ALLOWED_TENANTS: optionalString,
    LOG_LEVEL: setting(z.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(", ")}` }).default("info")),
    DEMO_PARTNER_USER_ID: setting(z.string().default("demo-partner")),
    // The MCA changes a few times a year; reading it on every invitation card costs a round trip (bench/RESULTS.md).
    AGREEMENT_CACHE_SECONDS: wholeNumber("AGREEMENT_CACHE_SECONDS", 300, 0, 3600),
    ...botAuthSettings,
    ...storageSettings,
    ...graphSettings,
    ...gdapSyncSettings,
    ...scheduleSettings,
    ...rolesSettings,
    ...notificationSettings,
    ...webSettings,
    ...simulationSettings,
  })
  .transform((e) => {
    /** Local mode: no app id, so requests are anonymous; loopback only, demo identities on the Emulator. */
    const localMode = !e.MicrosoftAppId;
    const storage = storageFrom(e);
    return {
      port: e.PORT,
      host: e.HOST,
      localMode,
      auth: botAuthFrom(e),
      storage,
      tablePrefix: e.TABLE_PREFIX,
      storageTimeouts: storageTimeoutsFrom(e),
      /** null means every tenant is allowed (ALLOWED_TENANTS=*). */
      allowedTenants: allowedTenantsFrom(e.ALLOWED_TENANTS),
      logLevel: e.LOG_LEVEL,
      demo: { partnerUserId: e.DEMO_PARTNER_USER_ID },
      graph: graphFrom(e),
      web: webFrom(e),
      roles: rolesFrom(e, localMode),
      /** How long the agreement versions are kept in memory; 0 reads them on every use. */
      agreementCacheTtlMs: e.AGREEMENT_CACHE_SECONDS * 1000,
      notifications: notificationsFrom(e),
      simulation: simulationFrom(e, { localMode, embeddedStorage: storage.kind === "embedded", localDataDir: e.LOCAL_DATA_DIR }),
      gdapSync: gdapSyncFrom(e),
      schedule: scheduleFrom(e),
    };
  });

function allowedTenantsFrom(allowedTenants: string | undefined): ReadonlySet<string> | null {
  if (!allowedTenants || allowedTenants === "*") return null;
  return new Set(
    allowedTenants
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

export type Config = z.output<typeof EnvSchema>;
export type BotAuthConfig = Config["auth"];
export type StorageConfig = Config["storage"];
export type GraphConfig = Config["graph"];
export type RolesConfig = Config["roles"];
export type NotificationsConfig = Config["notifications"];
export type SimulationConfig = Config["simulation"];
export type GdapSyncConfig = Config["gdapSync"];
export type ScheduleConfig = Config["schedule"];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Partner Desk cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError naming every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)), ...crossSettingProblems(env)];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError([...new Set(problems)]);
  }
  return parsed.data;
}
