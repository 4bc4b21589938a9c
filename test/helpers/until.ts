/** What `until` hands back: the probe's value once it is truthy. */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * Waits for something another process or loop does (a notification delivered, a card updated): probes every 50 ms
 * and returns the first truthy value, or fails after `timeoutMs` naming what it waited for. For waiting only:
 * nothing is asserted about how long it took.
 */
export async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
