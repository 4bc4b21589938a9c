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

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const EnvSchema = z
  .object({
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ message: "PORT must be a whole number, e.g. PORT=3978" })
        .int("PORT must be a whole number, e.g. PORT=3978")
        .min(0, "PORT must be between 0 and 65535")
        .max(65535, "PORT must be between 0 and 65535")
        .default(3978),
    ),
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
        .regex(/^[A-Za-z][A-Za-z0-9]{0,19}$/, "TABLE_PREFIX must start with a letter and hold at most 20 letters or digits (table names allow nothing else)")
        .default("pd"),
    ),
    ALLOWED_TENANTS: optionalString,
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(logLevels, { message: `LOG_LEVEL must be one of ${logLevels.join(", ")}` }).default("info"),
    ),
    LOCAL_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
    LOCAL_TABLES_PORT: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ message: "LOCAL_TABLES_PORT must be a port number" }).int().min(0).max(65535).default(10002),
    ),
    DEMO_PARTNER_USER_ID: z.preprocess(emptyToUndefined, z.string().default("demo-partner")),
    // Bot Framework endpoint overrides: for sovereign clouds, and how the tests point token validation at their own OpenID server.
    ToBotFromChannelOpenIdMetadataUrl: optionalString,
    ToBotFromChannelTokenIssuer: optionalString,
    ToChannelFromBotLoginUrl: optionalString,
    ToChannelFromBotOAuthScope: optionalString,
  })
  .superRefine((env, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (env.MicrosoftAppId) {
      if (env.MicrosoftAppType !== "UserAssignedMSI" && !env.MicrosoftAppPassword) {
        fail("MicrosoftAppPassword", `MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is ${env.MicrosoftAppType}: use the client secret of the app registration`);
      }
      if (env.MicrosoftAppType !== "MultiTenant" && !env.MicrosoftAppTenantId) {
        fail("MicrosoftAppTenantId", `MicrosoftAppTenantId is required when MicrosoftAppType is ${env.MicrosoftAppType}: use the tenant id of the app registration`);
      }
    } else {
      if (!isLoopbackHost(env.HOST)) {
        fail(
          "HOST",
          `HOST=${env.HOST} but MicrosoftAppId is not set: without an app id the bot cannot check who is calling, so it only listens on loopback (127.0.0.1). Set MicrosoftAppId, MicrosoftAppPassword (and MicrosoftAppType) to listen on ${env.HOST}, or leave HOST unset for local mode.`,
        );
      }
      if (env.TABLES_ACCOUNT_URL && !isLoopbackUrl(env.TABLES_ACCOUNT_URL)) {
        fail("TABLES_ACCOUNT_URL", "TABLES_ACCOUNT_URL points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage. Set MicrosoftAppId, or remove TABLES_ACCOUNT_URL to use the embedded Azurite.");
      }
      if (env.TABLES_CONNECTION_STRING && !isLocalConnectionString(env.TABLES_CONNECTION_STRING)) {
        fail("TABLES_CONNECTION_STRING", "TABLES_CONNECTION_STRING points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage (Azurite on loopback). Set MicrosoftAppId, or remove TABLES_CONNECTION_STRING to use the embedded Azurite.");
      }
    }
    if (env.TABLES_CONNECTION_STRING && env.TABLES_ACCOUNT_URL) {
      fail("TABLES_ACCOUNT_URL", "Set either TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL, not both");
    }
    if (env.TABLES_CONNECTION_STRING && !/TableEndpoint=|UseDevelopmentStorage=true|AccountName=/i.test(env.TABLES_CONNECTION_STRING)) {
      fail("TABLES_CONNECTION_STRING", "TABLES_CONNECTION_STRING does not look like a storage connection string: copy it from the storage account's 'Access keys' page");
    }
    if (env.MicrosoftAppId && !env.ALLOWED_TENANTS) {
      fail("ALLOWED_TENANTS", "ALLOWED_TENANTS is required when MicrosoftAppId is set: list the customer and partner tenant ids that may use this bot (comma separated), or * to allow every tenant");
    }
    if (env.ALLOWED_TENANTS && env.ALLOWED_TENANTS !== "*") {
      for (const tenant of env.ALLOWED_TENANTS.split(",").map((t) => t.trim()).filter(Boolean)) {
        if (!GUID.test(tenant)) fail("ALLOWED_TENANTS", `ALLOWED_TENANTS holds "${tenant}", which is not a tenant id (GUID); list tenant ids separated by commas, or use *`);
      }
    }
  });

function isLoopbackUrl(raw: string): boolean {
  try {
    return isLoopbackHost(new URL(raw).hostname.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
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
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const e = parsed.data;
  const localMode = !e.MicrosoftAppId;
  const storage: StorageConfig = e.TABLES_CONNECTION_STRING
    ? { kind: "connectionString", connectionString: e.TABLES_CONNECTION_STRING }
    : e.TABLES_ACCOUNT_URL
      ? { kind: "managedIdentity", accountUrl: e.TABLES_ACCOUNT_URL, ...(e.TABLES_MANAGED_IDENTITY_CLIENT_ID ? { clientId: e.TABLES_MANAGED_IDENTITY_CLIENT_ID } : {}) }
      : { kind: "embedded", dataDir: e.LOCAL_DATA_DIR, port: e.LOCAL_TABLES_PORT };
  const allowedTenants =
    !e.ALLOWED_TENANTS || e.ALLOWED_TENANTS === "*"
      ? null
      : new Set(e.ALLOWED_TENANTS.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
  return {
    port: e.PORT,
    host: e.HOST,
    localMode,
    auth: {
      MicrosoftAppType: e.MicrosoftAppType,
      ...pick(e, ["MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId", "ToBotFromChannelOpenIdMetadataUrl", "ToBotFromChannelTokenIssuer", "ToChannelFromBotLoginUrl", "ToChannelFromBotOAuthScope"]),
    },
    storage,
    tablePrefix: e.TABLE_PREFIX,
    allowedTenants,
    logLevel: e.LOG_LEVEL,
    demo: { partnerUserId: e.DEMO_PARTNER_USER_ID },
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
