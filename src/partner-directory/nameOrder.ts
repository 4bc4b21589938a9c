/**
 * The name order of the directory: every partner's rank is its place among all partners sorted by name (the
 * collator's order, case and accents ignored, numbers by value), then id.
 */
import type { Partner } from "../domain/partner.js";

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks: partners sorted by name, then id. Names made only of ASCII letters and spaces (most of them) are
 * ordered as their lower-case text, which is the collator's order, by a radix sort on numbers: no comparison
 * function is called for them. The others are sorted with the collator (where their sort prefixes cannot
 * decide) and merged in. At 500,000 partners a comparison sort alone took seconds.
 */
export function rankByName(partners: readonly Partner[]): { byRank: Partner[]; rankOf: Int32Array } {
  const count = partners.length;
  const prefixes: string[] = new Array<string>(count);
  const simple: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = partners[i]!.name;
    prefixes[i] = sortPrefix(name);
    (prefixes[i]!.length === name.length ? simple : others).push(i);
  }
  const compare = (a: number, b: number): number =>
    comparePrefixes(prefixes[a]!, prefixes[b]!) ||
    byName.compare(partners[a]!.name, partners[b]!.name) ||
    compareIds(partners[a]!.id, partners[b]!.id);
  const simpleOrder = Int32Array.from(simple);
  new PrefixRadixSort(prefixes, (a, b) => compareIds(partners[a]!.id, partners[b]!.id), count).sort(simpleOrder, 0, simpleOrder.length, 0);
  const otherOrder = Int32Array.from(others).sort(compare);
  const rankOf = new Int32Array(count);
  const byRank = new Array<Partner>(count);
  // Merge the two sorted lists.
  let s = 0;
  let o = 0;
  for (let rank = 0; rank < count; rank++) {
    const takeSimple = o === otherOrder.length || (s < simpleOrder.length && compare(simpleOrder[s]!, otherOrder[o]!) < 0);
    const i = takeSimple ? simpleOrder[s++]! : otherOrder[o++]!;
    rankOf[i] = rank;
    byRank[rank] = partners[i]!;
  }
  return { byRank, rankOf };
}

/** Radix 28 digit of a prefix character: 0 past its end, then space, then a to z. */
const digitOf = (code: number): number => (code === 32 ? 1 : code - 95);

/**
 * An MSD radix sort of indices by their prefixes (lower-case ASCII letters and spaces only): a few characters
 * at a time are packed with the index into one exact float, the floats sorted natively, and each run of
 * equal characters sorted again on the next characters. Equal prefixes are ordered by `tieBreak`.
 */
class PrefixRadixSort {
  private readonly indexScale: number;
  private readonly charsPerPass: number;
  /** Scratch of the packed floats: a range being sorted uses the same range of it (runs nest, never overlap). */
  private readonly packed: Float64Array;

  constructor(
    private readonly prefixes: readonly string[],
    private readonly tieBreak: (a: number, b: number) => number,
    count: number,
  ) {
    const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
    this.indexScale = 2 ** indexBits;
    // Characters (radix 28) that fit beside the index in a float's 53 exact bits.
    this.charsPerPass = Math.max(1, Math.floor((53 - indexBits) / Math.log2(28)));
    this.packed = new Float64Array(count);
  }

  /** Sorts order[start..end), whose prefixes all share their first `offset` characters. */
  sort(order: Int32Array, start: number, end: number, offset: number): void {
    const { prefixes, indexScale, charsPerPass, packed } = this;
    if (end - start <= 16) return this.insertionSort(order, start, end);
    for (let i = start; i < end; i++) {
      const index = order[i]!;
      const prefix = prefixes[index]!;
      let key = 0;
      for (let c = offset; c < offset + charsPerPass; c++) key = key * 28 + (c < prefix.length ? digitOf(prefix.charCodeAt(c)) : 0);
      packed[i] = key * indexScale + index;
    }
    packed.subarray(start, end).sort();
    for (let i = start; i < end; i++) order[i] = packed[i]! % indexScale;
    for (let run = start; run < end;) {
      const key = Math.floor(packed[run]! / indexScale);
      let runEnd = run + 1;
      while (runEnd < end && Math.floor(packed[runEnd]! / indexScale) === key) runEnd++;
      // Equal characters so far: prefixes that ended before these characters did are equal (the tie-break
      // decides, as the insertion sort does); the others go on with the next characters.
      if (runEnd - run > 1) {
        if (prefixes[order[run]!]!.length < offset + charsPerPass && runEnd - run > 16) order.subarray(run, runEnd).sort(this.tieBreak);
        else this.sort(order, run, runEnd, offset + charsPerPass);
      }
      run = runEnd;
    }
  }

  /** Few indices: sorted by prefix, then tie-break, in place. */
  private insertionSort(order: Int32Array, start: number, end: number): void {
    const { prefixes } = this;
    for (let i = start + 1; i < end; i++) {
      const index = order[i]!;
      const prefix = prefixes[index]!;
      let j = i - 1;
      for (; j >= start; j--) {
        const other = prefixes[order[j]!]!;
        if (other < prefix || (other === prefix && this.tieBreak(order[j]!, index) < 0)) break;
        order[j + 1] = order[j]!;
      }
      order[j + 1] = index;
    }
  }
}

/** ASCII letters and the space: the collator orders them as their lower-case code points do. */
const isLetterOrSpace = (code: number): boolean => code === 32 || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * The leading ASCII letters and spaces of a name, in lower case. The collator orders such characters as
 * their lower-case code points do (space before every letter, case ignored), so where two prefixes differ
 * before either ends, the first difference orders the names exactly as the collator would.
 */
export function sortPrefix(name: string): string {
  let end = 0;
  while (end < name.length && isLetterOrSpace(name.charCodeAt(end))) end++;
  return name.slice(0, end).toLowerCase();
}

/** The order of two names by their sort prefixes; 0 when one prefix starts the other (the collator decides). */
export function comparePrefixes(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return 0;
}
