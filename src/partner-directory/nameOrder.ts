/**
 * The name order of the directory: every partner's rank is its place among all partners sorted by name (the
 * collator's order, case and accents ignored, numbers by value), then id.
 */
import type { Partner } from "../domain/partner.js";

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const compareByName = (a: Partner, b: Partner): number => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Ranks: partners sorted by name, then id. The only collator comparisons happen here, once per build, and
 * only where the names' sort prefixes cannot decide (at 500,000 partners the collator alone took seconds).
 */
export function rankByName(partners: readonly Partner[]): { byRank: Partner[]; rankOf: Int32Array } {
  const prefixes = partners.map((partner) => sortPrefix(partner.name));
  const order = Array.from(partners, (_, i) => i).sort(
    (a, b) => comparePrefixes(prefixes[a]!, prefixes[b]!) || compareByName(partners[a]!, partners[b]!),
  );
  const rankOf = new Int32Array(partners.length);
  order.forEach((i, rank) => (rankOf[i] = rank));
  return { byRank: order.map((i) => partners[i]!), rankOf };
}

/**
 * The leading ASCII letters and spaces of a name, in lower case. The collator orders such characters as
 * their lower-case code points do (space before every letter, case ignored), so where two prefixes differ
 * before either ends, the first difference orders the names exactly as the collator would.
 */
export const sortPrefix = (name: string): string => /^[A-Za-z ]{0,24}/.exec(name)![0].toLowerCase();

/** The order of two names by their sort prefixes; 0 when one prefix starts the other (the collator decides). */
export function comparePrefixes(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return 0;
}
