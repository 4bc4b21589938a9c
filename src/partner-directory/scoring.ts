/**
 * Relevance as MiniSearch computes it, for the parts of the index that keep their postings in typed arrays
 * (see phrases.ts): the same term expansion (exact, prefix, fuzzy), the same weights and the same BM25+
 * formula and parameters as MiniSearch 7's defaults, so a partner's score does not depend on which structure
 * holds a field. test/unit/directory-search-equivalence.test.ts checks the whole against plain MiniSearch.
 */
import { LRUCache } from "lru-cache";
import type SearchableMap from "minisearch/SearchableMap";

/** MiniSearch's default BM25+ parameters (`bm25` search option). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;
/** MiniSearch's default weights of prefix and fuzzy matches (`weights` search option). */
const WEIGHTS = { fuzzy: 0.45, prefix: 0.375 } as const;

/** Inverse document frequency of a term found in `matching` of `total` documents. */
export function inverseDocumentFrequency(matching: number, total: number): number {
  return Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
}

/** BM25+ of a term occurring `termFreq` times in a field of `fieldLength` distinct tokens (average `averageLength`). */
export function bm25(idf: number, termFreq: number, fieldLength: number, averageLength: number): number {
  const { k, b, d } = BM25;
  // The same expression, in the same order, as MiniSearch's calcBM25Score: the same bits.
  return idf * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / averageLength)));
}

/**
 * The dictionary entries a query term matches and the weight of each, as MiniSearch's executeQuerySpec
 * derives them with `prefix: true`: the term itself (1), longer terms it starts (prefix weight, fading with
 * the extra length), terms within `maxDistance` edits (fuzzy weight, fading with the distance). A term that is
 * both a prefix and a fuzzy match counts once, as a prefix match. `maxDistance` false: no fuzzy matching.
 */
export function expand<T>(dictionary: SearchableMap<T>, term: string, maxDistance: number | false): Array<{ value: T; weight: number }> {
  const matches: Array<{ value: T; weight: number }> = [];
  const exact = dictionary.get(term);
  if (exact !== undefined) matches.push({ value: exact, weight: 1 });
  const fuzzy = maxDistance ? dictionary.fuzzyGet(term, maxDistance) : undefined;
  for (const [key, value] of dictionary.atPrefix(term)) {
    const distance = key.length - term.length;
    if (distance === 0) continue;
    fuzzy?.delete(key);
    matches.push({ value, weight: (WEIGHTS.prefix * key.length) / (key.length + 0.3 * distance) });
  }
  for (const [key, [value, distance]] of fuzzy ?? []) {
    if (distance === 0) continue;
    matches.push({ value, weight: (WEIGHTS.fuzzy * key.length) / (key.length + distance) });
  }
  return matches;
}

/** `expand` over one dictionary: what a query word matches, and the weight of each match. */
export type Expander<T> = (term: string, maxDistance: number | false) => ReadonlyArray<{ value: T; weight: number }>;

/**
 * Query words whose expansions are kept. A fuzzy walk of the radix tree costs up to a millisecond at 500,000
 * partners (two edits of "migration"), and people search with the same few hundred words.
 */
const EXPANSIONS_KEPT = 1_000;

/**
 * `expand` over a dictionary that no longer changes (an index's, after its build: a new directory is a new
 * index), keeping the last EXPANSIONS_KEPT words' expansions; a kept one is never stale.
 */
export function keptExpansions<T>(dictionary: SearchableMap<T>): Expander<T> {
  const kept = new LRUCache<string, ReadonlyArray<{ value: T; weight: number }>>({ max: EXPANSIONS_KEPT });
  return (term, maxDistance) => {
    const key = `${maxDistance}:${term}`;
    let found = kept.get(key);
    if (!found) kept.set(key, (found = expand(dictionary, term, maxDistance)));
    return found;
  };
}

/**
 * Per-partner score sums over dense arrays indexed by rank, reused from query to query: adding is an array
 * write, and the ranks touched are listed. A partner's entries count only when its stamp is the board's
 * current one, so clearing the board is a new stamp, not a pass over what the query touched.
 * `terms[rank]` counts the distinct query terms a partner matched (MiniSearch's "quality" factor).
 */
export class Scoreboard {
  readonly sums: Float64Array;
  readonly terms: Uint16Array;
  /** ranks[0 .. size-1]: every partner with a score, in the order first touched. */
  readonly ranks: Int32Array;
  size = 0;
  private readonly stamps: Uint32Array;
  private stamp = 1;

  constructor(partners: number) {
    this.sums = new Float64Array(partners);
    this.terms = new Uint16Array(partners);
    this.ranks = new Int32Array(partners);
    this.stamps = new Uint32Array(partners);
  }

  /** One more score for a partner for the current term. */
  add(rank: number, score: number): void {
    if (this.stamps[rank] !== this.stamp) {
      this.stamps[rank] = this.stamp;
      this.terms[rank] = 1;
      this.ranks[this.size++] = rank;
      this.sums[rank] = score;
    } else {
      this.sums[rank] = this.sums[rank]! + score;
    }
  }

  /** Adds factor * scores[i] for ranks[i], for every i: a posting list (or MiniSearch's name matches, factor 1). */
  addAll(ranks: Int32Array, scores: Float64Array, factor: number): void {
    const { stamps, stamp, terms, sums, ranks: touched } = this;
    let size = this.size;
    for (let i = 0; i < ranks.length; i++) {
      const rank = ranks[i]!;
      const score = factor * scores[i]!;
      if (stamps[rank] !== stamp) {
        stamps[rank] = stamp;
        terms[rank] = 1;
        touched[size++] = rank;
        sums[rank] = score;
      } else {
        sums[rank] = sums[rank]! + score;
      }
    }
    this.size = size;
  }

  /** Adds one query term's scores (`term`, a board holding that term alone); `repeated` when the query already had this word. */
  addTerm(term: Scoreboard, repeated: boolean): void {
    const { stamps, stamp, terms, sums, ranks: touched } = this;
    let size = this.size;
    for (let i = 0; i < term.size; i++) {
      const rank = term.ranks[i]!;
      if (stamps[rank] !== stamp) {
        stamps[rank] = stamp;
        terms[rank] = 1;
        touched[size++] = rank;
        sums[rank] = term.sums[rank]!;
      } else {
        sums[rank] = sums[rank]! + term.sums[rank]!;
        if (!repeated) terms[rank] = terms[rank]! + 1;
      }
    }
    this.size = size;
  }

  clear(): void {
    this.size = 0;
    // A new stamp makes every entry stale; once in four billion queries the stamps start over.
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }
}
