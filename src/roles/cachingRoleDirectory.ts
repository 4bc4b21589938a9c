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
  roles: readonly RoleTemplateId[];
  expiresAt: number;
}

/**
 * Remembers each user's roles for a few minutes, so a conversation of many card actions costs one Graph call.
 * Concurrent lookups of the same user share one call; failures are never remembered, so an outage ends
 * for a user on their next action.
 */
export class CachingRoleDirectory implements RoleDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<readonly RoleTemplateId[]>>();
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
    const key = JSON.stringify([tenantId, userId]);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAt > this.now()) {
        this.entries.set(key, entry); // re-inserted: Map order is our recency order
        return Promise.resolve(entry.roles);
      }
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;

    const lookup = this.inner.rolesOf(tenantId, userId).then(
      (roles) => {
        this.inFlight.delete(key);
        const frozen = Object.freeze([...roles]);
        if (this.ttlMs > 0) this.remember(key, { roles: frozen, expiresAt: this.now() + this.ttlMs });
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

  /** Number of remembered users (expired ones included until they are looked up or pushed out). */
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
