import type { Config } from "../config.js";
import { graphCredentialFactory } from "../microsoft/credentials.js";
import { CachingRoleDirectory } from "./cachingRoleDirectory.js";
import { GraphConsentError } from "./errors.js";
import { FallbackRoleDirectory } from "./fallbackRoleDirectory.js";
import { GraphRoleDirectory, type GraphRoleDirectoryOptions } from "./graphRoleDirectory.js";
import type { RoleDirectory } from "./roleDirectory.js";
import { TableRoleDirectory, type RoleAssignments } from "./tableRoleDirectory.js";

// The credentials live with every Graph caller's (src/microsoft/credentials.ts); re-exported for existing callers.
export { graphCredentialFactory } from "../microsoft/credentials.js";
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
  config: Pick<Config, "roles" | "auth" | "graph">,
  assignments: RoleAssignments,
  extra: Pick<RoleDirectoryOptions, "onConsentFallback"> = {},
): RoleDirectory {
  return createRoleDirectory({
    source: config.roles.source,
    ...(config.roles.source === "graph"
      ? { graph: { baseUrl: config.graph.baseUrl, credentialFor: graphCredentialFactory(config.auth, config.graph) } }
      : {}),
    assignments,
    cacheTtlMs: config.roles.cacheTtlMs,
    ...extra,
  });
}
