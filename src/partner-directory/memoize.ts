/**
 * A function of a string that computes each distinct input once. Building the index meets the same country,
 * city and token strings thousands of times; folding and resolving them is the costly part of a build.
 *
 * Not a cache in lru-cache's sense, on purpose: each build makes its own memo and drops it with the build's locals,
 * so it lives for one pass over a fixed input and holds at most that input's distinct strings. A bound or a TTL
 * could only make the build recompute what it is about to ask for again.
 */
export function memoize<T>(compute: (input: string) => T): (input: string) => T {
  const cache = new Map<string, T>();
  return (input) => {
    let value = cache.get(input);
    if (value === undefined) {
      value = compute(input);
      cache.set(input, value);
    }
    return value;
  };
}
