import { LRUCache } from "lru-cache";

export interface LoadingCacheOptions {
  /** Least recently used values are dropped beyond this many keys. */
  max: number;
  /**
   * How long a loaded value is reused, counted from the start of its load (so a value never outlives what its
   * source said at that moment by more than this). Absent: kept until pushed out by `max`. 0 or less: nothing is
   * kept, only concurrent loads of one key are shared.
   */
  ttlMs?: number;
  /** Milliseconds on a whole-millisecond clock (Date.now by default); tests move it by hand. */
  now?: () => number;
}

/**
 * Values loaded asynchronously and reused, on lru-cache: one load in flight per key, shared by every caller asking
 * meanwhile; a failed load is handed to those callers and not kept, so the next caller loads again; a key deleted
 * while its load is in flight does not get that (older) value stored, but its callers still receive it.
 *
 * The load function is given per call (not once per cache) because callers close over per-call arguments.
 */
export class LoadingCache<V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, V, () => Promise<V>>;
  private readonly ttlMs: number | undefined;
  private readonly now: () => number;

  constructor(options: LoadingCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    this.cache = new LRUCache<string, V, () => Promise<V>>({
      max: Math.max(1, options.max),
      ...(this.ttlMs !== undefined && this.ttlMs > 0 ? { ttl: Math.ceil(this.ttlMs) } : {}),
      // lru-cache reads the clock at most once per ttlResolution ms and caches it: 0 makes a moved test clock count at once.
      ttlResolution: 0,
      perf: { now: this.now },
      // An in-flight load is aborted by delete() and eviction; its callers must still get their value (not an AbortError).
      ignoreFetchAbort: true,
      fetchMethod: async (_key, _stale, { context: load, options: setOptions }) => {
        const startedAt = this.now();
        const value = await load();
        // Count the TTL from the load's start: the source may have changed while it was being read. lru-cache keeps a
        // value while its age is at most `ttl`; ours is fresh while its age is under ttlMs, hence the 1 ms less.
        if (this.ttlMs !== undefined && this.ttlMs > 0) setOptions.ttl = Math.max(1, Math.ceil(this.ttlMs) - (this.now() - startedAt) - 1);
        return value;
      },
    });
  }

  /** The value for `key`: reused while fresh, else loaded by `load` (or by the load already in flight for this key). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const pending = this.cache.fetch(key, { context: load }) as Promise<V>;
    if (this.keeps()) return pending;
    // Nothing is kept: drop the value once every caller sharing this load has it (peek is undefined while a newer
    // load of the key is in flight, which must not be cut short).
    return pending.finally(() => {
      if (this.cache.peek(key) !== undefined) this.cache.delete(key);
    });
  }

  /** Forget a key, e.g. after writing its source; a load in flight for it will not store its value. */
  delete(key: string): void {
    this.cache.delete(key);
  }

  /** Number of keys held, loads in flight included. */
  get size(): number {
    return this.cache.size;
  }

  private keeps(): boolean {
    return this.ttlMs === undefined || this.ttlMs > 0;
  }
}
