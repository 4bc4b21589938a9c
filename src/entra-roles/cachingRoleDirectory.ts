import { LoadingCache } from "../cache/loadingCache.js";
import type { RoleTemplateId } from "../domain/roles.js";
import type { RoleDirectory } from "./roleDirectory.js";

export interface CachingRoleDirectoryOptions {
  /** How long an answer is reused. A role removed in Entra ID keeps working here for at most this long. */
  ttlMs?: number;
  /** Least recently used answers are dropped beyond this many users. */
  maxEntries?: number;
  /** Milliseconds since the epoch; tests move it by hand. */
  now?: () => number;
}

export const DEFAULT_ROLE_CACHE_TTL_MS = 5 * 60 * 1000;

/**
 * Remembers each user's roles (and each tenant's admin names) for a few minutes, so a conversation of many card
 * actions costs one Graph call. Concurrent lookups of the same key share one call; failures are never remembered,
 * so an outage ends for a user on their next action.
 */
export class CachingRoleDirectory implements RoleDirectory {
  /** Roles of a user, or names of a tenant's role holders; frozen, so no caller can change them behind the cache. */
  private readonly answers: LoadingCache<readonly unknown[]>;

  constructor(
    private readonly inner: RoleDirectory,
    options: CachingRoleDirectoryOptions = {},
  ) {
    this.answers = new LoadingCache({
      ttlMs: options.ttlMs ?? DEFAULT_ROLE_CACHE_TTL_MS,
      max: options.maxEntries ?? 10_000,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    return this.cached(JSON.stringify(["roles", tenantId, userId]), () => this.inner.rolesOf(tenantId, userId));
  }

  holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]> {
    return this.cached(JSON.stringify(["holders", tenantId, [...roleIds].sort()]), () => this.inner.holdersOf(tenantId, roleIds));
  }

  /** Number of remembered lookups, loads in flight included. */
  get size(): number {
    return this.answers.size;
  }

  private cached<T>(key: string, load: () => Promise<readonly T[]>): Promise<readonly T[]> {
    return this.answers.get(key, async () => Object.freeze([...(await load())])) as Promise<readonly T[]>;
  }
}
