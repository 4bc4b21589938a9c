/**
 * A small least-recently-used cache. A Map keeps insertion order, so its first key is the least recently
 * used one. Bounded by a number of entries and, optionally, by a total weight (e.g. array lengths), so that
 * a few very large entries cannot hold much memory.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  private totalWeight = 0;

  constructor(
    private readonly capacity: number,
    private readonly weigh: (value: V) => number = () => 0,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error("an LRU cache holds at least one entry");
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores the value as the most recently used; one heavier than the whole budget is not kept. */
  set(key: K, value: V): void {
    this.delete(key);
    const weight = this.weigh(value);
    if (weight > this.maxWeight) return;
    this.entries.set(key, value);
    this.totalWeight += weight;
    while (this.entries.size > this.capacity || this.totalWeight > this.maxWeight) this.delete(this.entries.keys().next().value as K);
  }

  private delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.totalWeight -= this.weigh(value);
  }
}
