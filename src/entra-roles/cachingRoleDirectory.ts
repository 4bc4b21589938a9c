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

interface Entry {
  /** Roles of a user, or names of a tenant's role holders; frozen, so no caller can change them behind the cache. */
  value: readonly unknown[];
  expiresAt: number;
}

/**
 * Remembers each user's roles (and each tenant's admin names) for a few minutes, so a conversation of many card
 * actions costs one Graph call. Concurrent lookups of the same key share one call; failures are never remembered,
 * so an outage ends for a user on their next action.
 */
export class CachingRoleDirectory implements RoleDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<readonly unknown[]>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: RoleDirectory,
    options: CachingRoleDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ROLE_CACHE_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    return this.cached(JSON.stringify(["roles", tenantId, userId]), () => this.inner.rolesOf(tenantId, userId));
  }

  holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]> {
    return this.cached(JSON.stringify(["holders", tenantId, [...roleIds].sort()]), () => this.inner.holdersOf(tenantId, roleIds));
  }

  private cached<T>(key: string, load: () => Promise<readonly T[]>): Promise<readonly T[]> {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAt > this.now()) {
        this.entries.set(key, entry); // re-inserted: Map order is our recency order
        return Promise.resolve(entry.value as readonly T[]);
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<readonly T[]>;

    const lookup = load().then(
      (value) => {
        this.inFlight.delete(key);
        const frozen = Object.freeze([...value]);
        if (this.ttlMs > 0) this.remember(key, { value: frozen, expiresAt: this.now() + this.ttlMs });
        return frozen;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, lookup);
    return lookup;
  }

  /** Number of remembered lookups (expired ones included until they are looked up or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }
}
