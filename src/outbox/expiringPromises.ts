/**
 * Reads shared for a while: the first caller's promise is handed to everyone asking for the same key until it
 * expires, so concurrent workers share one storage read. A failed read is dropped at once (the next caller
 * reads again), and the map is bounded: at `maxEntries` expired entries go first, then everything.
 */
export class ExpiringPromises<V> {
  private readonly entries = new Map<string, { until: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  get(key: string, now: number, read: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return read();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.value;
    if (this.entries.size >= this.maxEntries) {
      for (const [k, entry] of this.entries) if (entry.until <= now) this.entries.delete(k);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
    }
    const value = read();
    this.entries.set(key, { until: now + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
