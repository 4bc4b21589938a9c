import { z } from "zod";

/**
 * The one place that knows the shape of the environment. Everything else receives a typed Config.
 * Each rule that can fail names the setting and says how to fix it, because a bot that will not start
 * is debugged from its first line of output.
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

/** Digits only: "0x10" or "1e3" are typos, not ports. */
const portSetting = (name: string, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d{1,5}$/, `${name} must be a whole number between 0 and 65535, e.g. ${name}=${fallback}`)
      .transform(Number)
      .refine((port) => port <= 65535, `${name} must be a whole number between 0 and 65535, e.g. ${name}=${fallback}`)
      .optional()
      .transform((port) => port ?? fallback),
  );

const wholeNumber = (name: string, fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, `${name} must be a whole number between ${min} and ${max}, e.g. ${name}=${fallback}`)
      .transform(Number)
      .refine((n) => n >= min && n <= max, `${name} must be a whole number between ${min} and ${max}, e.g. ${name}=${fallback}`)
      .optional()
      .transform((n) => n ?? fallback),
  );

/** "7/1000,8/2000": at most 7 sends per 1000 ms and 8 per 2000 ms. */
const rateWindows = (name: string, fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .refine(
        (v) => /^\s*\d+\s*\/\s*\d+\s*(,\s*\d+\s*\/\s*\d+\s*)*$/.test(v),
        `${name} must list limits as count/milliseconds separated by commas, e.g. ${name}=${fallback}`,
      )
      .transform((v) =>
        v.split(",").map((part) => {
          const [limit, perMs] = part.split("/").map((x) => Number(x.trim()));
          return { limit: limit ?? 0, perMs: perMs ?? 0 };
        }),
      )
      .refine((windows) => windows.every((w) => w.limit >= 1 && w.perMs >= 1), `${name} needs counts and windows of at least 1`),
  );

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const roleSources = ["table", "graph"] as const;
export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
const GRAPH_BASE_URL_MESSAGE = `GRAPH_BASE_URL must be an https URL of Microsoft Graph with its version, e.g. ${DEFAULT_GRAPH_BASE_URL} (http only on loopback, for tests)`;
const ROLE_CACHE_MESSAGE =
  "ROLE_CACHE_SECONDS must be a whole number of seconds between 0 and 3600, e.g. ROLE_CACHE_SECONDS=300 (0 turns the cache off)";

const EnvSchema = z.object({
  PORT: portSetting("PORT", 3978),
  HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  MicrosoftAppId: z.preprocess(
    emptyToUndefined,
    z.string().regex(GUID, "MicrosoftAppId must be the GUID of your Azure Bot's Microsoft App ID").optional(),
  ),
  MicrosoftAppType: z.preprocess(
    emptyToUndefined,
    z
      .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
        message: "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (as in your Azure Bot resource)",
      })
      .default("MultiTenant"),
  ),
  MicrosoftAppTenantId: z.preprocess(
    emptyToUndefined,
    z.string().regex(GUID, "MicrosoftAppTenantId must be the GUID of the tenant that owns the app registration").optional(),
  ),
  MicrosoftAppPassword: optionalString,
  TABLES_CONNECTION_STRING: optionalString,
  TABLES_ACCOUNT_URL: z.preprocess(
    emptyToUndefined,
    z.url({ message: "TABLES_ACCOUNT_URL must be a URL like https://<account>.table.core.windows.net" }).optional(),
  ),
  TABLES_MANAGED_IDENTITY_CLIENT_ID: optionalString,
  TABLE_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9]{0,19}$/,
        "TABLE_PREFIX must start with a letter and hold at most 20 letters or digits (table names allow nothing else)",
      )
      .default("pd"),
  ),
  ALLOWED_TENANTS: optionalString,
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(", ")}` }).default("info"),
  ),
  LOCAL_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  LOCAL_TABLES_PORT: portSetting("LOCAL_TABLES_PORT", 10002),
  DEMO_PARTNER_USER_ID: z.preprocess(emptyToUndefined, z.string().default("demo-partner")),
  // Where admins' directory roles come from; the default depends on MicrosoftAppId, so it is decided in loadConfig.
  ROLE_SOURCE: z.preprocess(emptyToUndefined, z.enum(roleSources, { message: "ROLE_SOURCE must be table or graph" }).optional()),
  GRAPH_BASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine(isGraphBaseUrl, GRAPH_BASE_URL_MESSAGE)
      .transform((url) => url.replace(/\/+$/, ""))
      .default(DEFAULT_GRAPH_BASE_URL),
  ),
  ROLE_CACHE_SECONDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,4}$/, ROLE_CACHE_MESSAGE)
      .transform(Number)
      .refine((seconds) => seconds <= 3600, ROLE_CACHE_MESSAGE)
      .optional()
      .transform((seconds) => seconds ?? 300),
  ),
  // The MCA changes a few times a year; reading it on every invitation card costs a round trip (bench/RESULTS.md).
  AGREEMENT_CACHE_SECONDS: wholeNumber("AGREEMENT_CACHE_SECONDS", 300, 0, 3600),
  // The outbox dispatcher: Teams' published limits by default; every figure can be changed.
  NOTIFY_ENABLED: z.preprocess(
    emptyToUndefined,
    z.enum(["true", "false"], { message: "NOTIFY_ENABLED must be true or false" }).default("true"),
  ),
  NOTIFY_POLL_MS: wholeNumber("NOTIFY_POLL_MS", 2_000, 50, 3_600_000),
  NOTIFY_LEASE_MS: wholeNumber("NOTIFY_LEASE_MS", 60_000, 1_000, 3_600_000),
  NOTIFY_CONCURRENCY: wholeNumber("NOTIFY_CONCURRENCY", 8, 1, 256),
  NOTIFY_MAX_ATTEMPTS: wholeNumber("NOTIFY_MAX_ATTEMPTS", 6, 1, 50),
  NOTIFY_BASE_DELAY_MS: wholeNumber("NOTIFY_BASE_DELAY_MS", 500, 1, 600_000),
  NOTIFY_MAX_DELAY_MS: wholeNumber("NOTIFY_MAX_DELAY_MS", 30_000, 1, 3_600_000),
  NOTIFY_CONVERSATION_LIMITS: rateWindows("NOTIFY_CONVERSATION_LIMITS", "7/1000,8/2000,60/30000,1800/3600000"),
  NOTIFY_TENANT_LIMITS: rateWindows("NOTIFY_TENANT_LIMITS", "30/1000"),
  NOTIFY_GUARD_MS: wholeNumber("NOTIFY_GUARD_MS", 25, 0, 1_000),
  // Bot Framework endpoint overrides: for sovereign clouds, and how the tests point token validation at their own OpenID server.
  ToBotFromChannelOpenIdMetadataUrl: optionalString,
  ToBotFromChannelTokenIssuer: optionalString,
  // MSAL only takes an https authority: say so at startup rather than on the first reply.
  ToChannelFromBotLoginUrl: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine(
        isHttpsUrl,
        "ToChannelFromBotLoginUrl must be the https URL of the login endpoint with its tenant, e.g. https://login.microsoftonline.com/botframework.com",
      )
      .optional(),
  ),
  ToChannelFromBotOAuthScope: optionalString,
});

type RawEnv = Record<string, string | undefined>;

/**
 * Rules that relate settings to each other. They read the raw values (trimmed, empty = unset) so they run
 * even when a single field is malformed: one start reports every problem, not one per attempt.
 */
function crossFieldProblems(raw: RawEnv): string[] {
  const value = (name: string) => {
    const v = raw[name]?.trim();
    return v ? v : undefined;
  };
  const problems: string[] = [];
  const host = value("HOST") ?? "127.0.0.1";
  const appId = value("MicrosoftAppId");
  const appType = value("MicrosoftAppType") ?? "MultiTenant";
  const connectionString = value("TABLES_CONNECTION_STRING");
  const accountUrl = value("TABLES_ACCOUNT_URL");
  const allowedTenants = value("ALLOWED_TENANTS");
  if (appId) {
    if (appType !== "UserAssignedMSI" && !value("MicrosoftAppPassword")) {
      problems.push(
        `MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}: use the client secret of the app registration`,
      );
    }
    if (appType !== "MultiTenant" && !value("MicrosoftAppTenantId")) {
      problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${appType}: use the tenant id of the app registration`);
    }
    if (!allowedTenants) {
      problems.push(
        "ALLOWED_TENANTS is required when MicrosoftAppId is set: list the customer and partner tenant ids that may use this bot (comma separated), or * to allow every tenant",
      );
    }
  } else {
    if (!isLoopbackHost(host)) {
      problems.push(
        `HOST=${host} but MicrosoftAppId is not set: without an app id the bot cannot check who is calling, so it only listens on loopback (127.0.0.1). Set MicrosoftAppId, MicrosoftAppPassword (and MicrosoftAppType) to listen on ${host}, or leave HOST unset for local mode.`,
      );
    }
    if (accountUrl && !isLoopbackUrl(accountUrl)) {
      problems.push(
        "TABLES_ACCOUNT_URL points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage. Set MicrosoftAppId, or remove TABLES_ACCOUNT_URL to use the embedded Azurite.",
      );
    }
    if (connectionString && !isLocalConnectionString(connectionString)) {
      problems.push(
        "TABLES_CONNECTION_STRING points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage (Azurite on loopback). Set MicrosoftAppId, or remove TABLES_CONNECTION_STRING to use the embedded Azurite.",
      );
    }
  }
  if (value("ROLE_SOURCE") === "graph" && !appId) {
    problems.push(
      "ROLE_SOURCE=graph needs MicrosoftAppId: roles are read from Microsoft Graph with the app's own identity. Set MicrosoftAppId (and MicrosoftAppPassword), or use ROLE_SOURCE=table.",
    );
  }
  if (connectionString && accountUrl) {
    problems.push("Set either TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL, not both");
  }
  if (connectionString && !/TableEndpoint=|UseDevelopmentStorage=true|AccountName=/i.test(connectionString)) {
    problems.push(
      "TABLES_CONNECTION_STRING does not look like a storage connection string: copy it from the storage account's 'Access keys' page",
    );
  }
  if (allowedTenants && allowedTenants !== "*") {
    const tenants = allowedTenants
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    if (tenants.length === 0)
      problems.push("ALLOWED_TENANTS lists no tenant: list tenant ids separated by commas, or use * to allow every tenant");
    for (const tenant of tenants) {
      if (!GUID.test(tenant))
        problems.push(`ALLOWED_TENANTS holds "${tenant}", which is not a tenant id (GUID); list tenant ids separated by commas, or use *`);
    }
  }
  return problems;
}

function isLoopbackUrl(raw: string): boolean {
  try {
    return isLoopbackHost(new URL(raw).hostname.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
}

/** https, or http on loopback (a test's fake Graph); a version path (/v1.0); no query or fragment, since paths are appended to it. */
function isGraphBaseUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password || url.pathname.replace(/\/+$/, "") === "") return false;
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, "")));
}

function isLocalConnectionString(connectionString: string): boolean {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return true;
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  return endpoint !== undefined && isLoopbackUrl(endpoint);
}

export type StorageConfig =
  | { kind: "embedded"; dataDir: string; port: number }
  | { kind: "connectionString"; connectionString: string }
  | { kind: "managedIdentity"; accountUrl: string; clientId?: string };

export interface BotAuthConfig {
  MicrosoftAppId?: string;
  MicrosoftAppPassword?: string;
  MicrosoftAppType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  MicrosoftAppTenantId?: string;
  ToBotFromChannelOpenIdMetadataUrl?: string;
  ToBotFromChannelTokenIssuer?: string;
  ToChannelFromBotLoginUrl?: string;
  ToChannelFromBotOAuthScope?: string;
}

export interface Config {
  port: number;
  host: string;
  /** Local mode: no app id, so requests are anonymous; loopback only, demo identities on the Emulator. */
  localMode: boolean;
  auth: BotAuthConfig;
  storage: StorageConfig;
  tablePrefix: string;
  /** null means every tenant is allowed (ALLOWED_TENANTS=*). */
  allowedTenants: ReadonlySet<string> | null;
  logLevel: (typeof logLevels)[number];
  demo: { partnerUserId: string };
  roles: RolesConfig;
  /** How long the agreement versions are kept in memory; 0 reads them on every use. */
  agreementCacheTtlMs: number;
  notifications: NotificationsConfig;
}

export interface NotificationsConfig {
  enabled: boolean;
  pollIntervalMs: number;
  leaseMs: number;
  concurrency: number;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; jitter: number };
  /** Every window already includes guardMs (NOTIFY_GUARD_MS); the limiter also needs it on its own (RateLimits.guardMs). */
  limits: { perConversation: Array<{ limit: number; perMs: number }>; perTenant: Array<{ limit: number; perMs: number }>; guardMs: number };
}

export interface RolesConfig {
  /** graph: Microsoft Graph, with the role assignment table for tenants that did not consent; table: the table only. */
  source: (typeof roleSources)[number];
  /** Microsoft Graph root with its version, no trailing slash. */
  graphBaseUrl: string;
  /** 0 turns the cache off. */
  cacheTtlMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Partner Desk cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every setting.`);
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError naming every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)), ...crossFieldProblems(env)];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError([...new Set(problems)]);
  }
  const e = parsed.data;
  const localMode = !e.MicrosoftAppId;
  const storage: StorageConfig = e.TABLES_CONNECTION_STRING
    ? { kind: "connectionString", connectionString: e.TABLES_CONNECTION_STRING }
    : e.TABLES_ACCOUNT_URL
      ? {
          kind: "managedIdentity",
          accountUrl: e.TABLES_ACCOUNT_URL,
          ...(e.TABLES_MANAGED_IDENTITY_CLIENT_ID ? { clientId: e.TABLES_MANAGED_IDENTITY_CLIENT_ID } : {}),
        }
      : { kind: "embedded", dataDir: e.LOCAL_DATA_DIR, port: e.LOCAL_TABLES_PORT };
  const allowedTenants =
    !e.ALLOWED_TENANTS || e.ALLOWED_TENANTS === "*"
      ? null
      : new Set(
          e.ALLOWED_TENANTS.split(",")
            .map((t) => t.trim().toLowerCase())
            .filter(Boolean),
        );
  return {
    port: e.PORT,
    host: e.HOST,
    localMode,
    auth: {
      MicrosoftAppType: e.MicrosoftAppType,
      ...pick(e, [
        "MicrosoftAppId",
        "MicrosoftAppPassword",
        "MicrosoftAppTenantId",
        "ToBotFromChannelOpenIdMetadataUrl",
        "ToBotFromChannelTokenIssuer",
        "ToChannelFromBotLoginUrl",
        "ToChannelFromBotOAuthScope",
      ]),
    },
    storage,
    tablePrefix: e.TABLE_PREFIX,
    allowedTenants,
    logLevel: e.LOG_LEVEL,
    demo: { partnerUserId: e.DEMO_PARTNER_USER_ID },
    roles: {
      source: e.ROLE_SOURCE ?? (localMode ? "table" : "graph"),
      graphBaseUrl: e.GRAPH_BASE_URL,
      cacheTtlMs: e.ROLE_CACHE_SECONDS * 1000,
    },
    agreementCacheTtlMs: e.AGREEMENT_CACHE_SECONDS * 1000,
    notifications: {
      enabled: e.NOTIFY_ENABLED === "true",
      pollIntervalMs: e.NOTIFY_POLL_MS,
      leaseMs: e.NOTIFY_LEASE_MS,
      concurrency: e.NOTIFY_CONCURRENCY,
      retry: { maxAttempts: e.NOTIFY_MAX_ATTEMPTS, baseDelayMs: e.NOTIFY_BASE_DELAY_MS, maxDelayMs: e.NOTIFY_MAX_DELAY_MS, jitter: 0.2 },
      // The limiter times a send when it leaves; Teams counts it when it arrives. A few milliseconds of guard on every
      // window keep network jitter from tipping exact-edge sends over (bench/RESULTS.md, section 4b).
      limits: {
        perConversation: e.NOTIFY_CONVERSATION_LIMITS.map((w) => ({ ...w, perMs: w.perMs + e.NOTIFY_GUARD_MS })),
        perTenant: e.NOTIFY_TENANT_LIMITS.map((w) => ({ ...w, perMs: w.perMs + e.NOTIFY_GUARD_MS })),
        guardMs: e.NOTIFY_GUARD_MS,
      },
    },
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
