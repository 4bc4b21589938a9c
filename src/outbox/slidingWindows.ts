/**
 * The window arithmetic of the rate limiter: sorted timestamps of sends, and where a new one may go so that
 * no half-open window of any limit holds more than its limit. Pure functions over sorted arrays.
 */

export interface Window {
  /** Most sends allowed in any half-open interval of `perMs` milliseconds. */
  limit: number;
  perMs: number;
}

/** The largest number of timestamps in any half-open window [t, t + perMs). */
export function maxInAnyWindow(timestamps: number[], perMs: number): number {
  if (!(perMs > 0)) return 0;
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const windowEnd = sorted[start]! + perMs;
    if (end < start) end = start;
    while (end < sorted.length && sorted[end]! < windowEnd) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/**
 * If a send at `at` would break a window, the earliest later time worth trying; otherwise undefined.
 *
 * Adding `at` breaks a window of (limit L, length W) exactly when some L consecutive existing timestamps
 * together with `at` span less than W. For such a run starting at `first`, every time in [at, first + W)
 * breaks it too, so the search can jump straight to first + W without missing a free slot.
 */
export function nextCandidate(times: number[], at: number, windows: Window[]): number | undefined {
  let next: number | undefined;
  for (const { limit, perMs } of windows) {
    const from = firstIndexAbove(times, at - perMs);
    const to = firstIndexAtLeast(times, at + perMs);
    for (let i = from; i + limit - 1 < to; i++) {
      const first = times[i]!;
      const last = times[i + limit - 1]!;
      if (Math.max(last, at) - Math.min(first, at) < perMs) {
        next = Math.max(next ?? -Infinity, first + perMs);
      }
    }
  }
  return next;
}

export function insertSorted(times: number[], value: number): void {
  times.splice(firstIndexAbove(times, value), 0, value);
}

/** Removes one occurrence of `value` (times sorted ascending), if there is one. */
export function removeSorted(times: number[], value: number): void {
  const index = firstIndexAtLeast(times, value);
  if (times[index] === value) times.splice(index, 1);
}

/**
 * How long a send leaving at `now` must still wait so that, counting the sends at or before `now`, no window
 * ending at its departure holds more than its limit (0 or less: it may leave). Sends reserved for later are left
 * out: each checks for itself when it wakes.
 */
export function departureDelay(times: number[], now: number, windows: Window[]): number {
  const end = firstIndexAbove(times, now);
  let wait = -Infinity;
  for (const { limit, perMs } of windows) {
    const start = firstIndexAbove(times, now - perMs);
    const inWindow = end - start;
    if (inWindow < limit) continue;
    // The oldest send that has to drop out of the window ending at the departure: it drops out perMs after it.
    wait = Math.max(wait, times[start + inWindow - limit]! + perMs - now);
  }
  return wait;
}

/** First index whose value is > bound (times sorted ascending). */
export function firstIndexAbove(times: number[], bound: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > bound) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** First index whose value is >= bound (times sorted ascending). */
export function firstIndexAtLeast(times: number[], bound: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! >= bound) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
