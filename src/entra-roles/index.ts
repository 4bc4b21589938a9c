import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { LRUCache } from "lru-cache";
import type { BotAuthConfig, Config } from "../config.js";
import { CachingRoleDirectory } from "./cachingRoleDirectory.js";
import { GraphConsentError } from "./errors.js";
import { FallbackRoleDirectory } from "./fallbackRoleDirectory.js";
import { GraphRoleDirectory, type GraphRoleDirectoryOptions } from "./graphRoleDirectory.js";
import type { RoleDirectory } from "./roleDirectory.js";
import { TableRoleDirectory, type RoleAssignments } from "./tableRoleDirectory.js";

export { CachingRoleDirectory, DEFAULT_ROLE_CACHE_TTL_MS } from "./cachingRoleDirectory.js";
export { GraphConsentError, GraphUnavailableError, InvalidDirectoryIdError } from "./errors.js";
export { FallbackRoleDirectory } from "./fallbackRoleDirectory.js";
export { DEFAULT_GRAPH_BASE_URL, GraphRoleDirectory, graphScopeFor, type GraphRoleDirectoryOptions } from "./graphRoleDirectory.js";
export type { RoleDirectory } from "./roleDirectory.js";
export { TableRoleDirectory } from "./tableRoleDirectory.js";

export interface RoleDirectoryOptions {
  source: "table" | "graph";
  /** Required for source "graph". */
  graph?: GraphRoleDirectoryOptions;
  assignments: RoleAssignments;
  /** 0 turns the cache off. */
  cacheTtlMs: number;
  cacheMaxEntries?: number;
  /** For the cache; milliseconds since the epoch. */
  now?: () => number;
  /** Told when a tenant's roles come from the table because it did not grant Graph consent (e.g. to log it). */
  onConsentFallback?: (tenantId: string, reason: GraphConsentError) => void;
}

/**
 * table: the role assignment table (local mode, demo).
 * graph: Microsoft Graph, and the table for tenants that did not grant the app consent; an outage fails the lookup.
 * Either way behind a short cache, so a conversation's card actions do not each cost a lookup.
 */
export function createRoleDirectory(options: RoleDirectoryOptions): RoleDirectory {
  const table = new TableRoleDirectory(options.assignments);
  let directory: RoleDirectory = table;
  if (options.source === "graph") {
    if (!options.graph) throw new TypeError('createRoleDirectory: source "graph" needs graph options');
    directory = new FallbackRoleDirectory(new GraphRoleDirectory(options.graph), table, options.onConsentFallback);
  }
  if (options.cacheTtlMs <= 0) return directory;
  return new CachingRoleDirectory(directory, {
    ttlMs: options.cacheTtlMs,
    ...(options.cacheMaxEntries !== undefined ? { maxEntries: options.cacheMaxEntries } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

/** The production wiring from Config: what the composition root calls. */
export function createRoleDirectoryFromConfig(
  config: Pick<Config, "roles" | "auth">,
  assignments: RoleAssignments,
  extra: Pick<RoleDirectoryOptions, "onConsentFallback"> = {},
): RoleDirectory {
  return createRoleDirectory({
    source: config.roles.source,
    ...(config.roles.source === "graph"
      ? { graph: { baseUrl: config.roles.graphBaseUrl, credentialFor: graphCredentialFactory(config.auth) } }
      : {}),
    assignments,
    cacheTtlMs: config.roles.cacheTtlMs,
    ...extra,
  });
}

const MAX_CACHED_CREDENTIALS = 1000;

/**
 * App-only credentials that get Graph tokens in a customer's tenant, from the bot's own registration.
 *
 * MultiTenant / SingleTenant with a client secret: one ClientSecretCredential per tenant, kept, because each
 * holds its own token cache. A tenant where the app is not consented refuses the token (AADSTS700016/65001),
 * which GraphRoleDirectory reports as a consent error; a SingleTenant app is refused everywhere but at home.
 *
 * UserAssignedMSI: a managed identity lives in one tenant and can only get tokens there, so it reads roles in
 * MicrosoftAppTenantId only; other tenants are told "no consent" and use the role assignment table.
 *
 * Sovereign clouds: @azure/identity takes the login host from AZURE_AUTHORITY_HOST; GRAPH_BASE_URL sets Graph's.
 */
export function graphCredentialFactory(auth: BotAuthConfig): (tenantId: string) => TokenCredential {
  const appId = auth.MicrosoftAppId;
  if (!appId) throw new TypeError("Graph credentials need MicrosoftAppId");

  if (auth.MicrosoftAppType === "UserAssignedMSI") {
    const home = auth.MicrosoftAppTenantId?.toLowerCase();
    const credential = new ManagedIdentityCredential({ clientId: appId });
    return (tenantId) => {
      if (tenantId.toLowerCase() !== home) {
        throw new GraphConsentError(
          tenantId,
          "a user-assigned managed identity only gets tokens in its own tenant (MicrosoftAppTenantId)",
          undefined,
          "ManagedIdentityOtherTenant",
        );
      }
      return credential;
    };
  }

  const password = auth.MicrosoftAppPassword;
  if (!password) throw new TypeError(`Graph credentials need MicrosoftAppPassword for MicrosoftAppType ${auth.MicrosoftAppType}`);
  // One credential per tenant, kept: each holds its own token cache. Least recently used tenants are dropped first.
  const credentials = new LRUCache<string, TokenCredential>({
    max: MAX_CACHED_CREDENTIALS,
    memoMethod: (tenantId) => new ClientSecretCredential(tenantId, appId, password),
  });
  return (tenantId) => credentials.memo(tenantId.toLowerCase());
}
