import MiniSearch from "minisearch";
import { inEnglish } from "./swedish.js";
import { fold } from "./text.js";

/**
 * Words that carry no meaning in "security and compliance" or "säkerhet och efterlevnad": never required to
 * match. Folded, as the terms they are compared with ("för" is "for", "på" is "pa").
 */
const STOP_WORDS = new Set("a an and the of for in on with to or & och i pa av med till eller en ett".split(" "));

/** A token of a name, a phrase or a query as the index holds it: folded, or null for a stop word. */
export const processTerm = (term: string): string | null => {
  const folded = fold(term);
  return folded === "" || STOP_WORDS.has(folded) ? null : folded;
};

export const tokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];

/** The processed words of a query, stop words left out; empty when it has none (then it filters only). */
export function queryTerms(keywords: string | undefined): string[] {
  if (!keywords) return [];
  // Swedish words become the English words the directory holds: "säkerhet" is searched as "security".
  return inEnglish(
    tokenize(keywords)
      .map(processTerm)
      .filter((term): term is string => term !== null),
  );
}
