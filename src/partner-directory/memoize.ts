/**
 * A function of a string that computes each distinct input once. Building the index meets the same country,
 * city and token strings thousands of times; folding and resolving them is the costly part of a build.
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
