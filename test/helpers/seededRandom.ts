/**
 * The one deterministic PRNG (mulberry32) of tests, benchmarks and generators: a seed gives the same numbers on
 * every machine, so a failing schedule can be replayed, a generated directory is reproduced byte for byte,
 * and two benchmark runs draw the same random answers.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
