import MiniSearch from "minisearch";
import { fold } from "../../partner-directory/text.js";
import { FILLER_WORDS, INTENTS, type IntentRow } from "./intents.js";

/** A name the sentence may contain: a partner (its id) or a place (the place itself). */
export interface NamedThing {
  id: string;
  name: string;
}

export interface Recognised {
  /** The intent that matched best, or undefined: nothing in the sentence was a request. */
  row: IntentRow | undefined;
  /** The words that were neither a trigger nor filler: where names are looked for. */
  rest: string[];
  /** Every word that was not filler, triggers included: a place may share a word with a trigger ("new" York). */
  meaningful: string[];
}

/** "Remove roles from Northwind!" -> ["remove", "roles", "from", "northwind"]; a lone "?" stays (it asks for help). */
export function wordsOf(text: string): string[] {
  if (text.trim() === "?") return ["?"];
  return fold(text).split(" ").filter(Boolean);
}

/** Typo tolerance grows with the word: none for "end", one edit for "invite", two for "invitatons". */
const fuzziness = (term: string): number => (term.length < 5 ? 0 : term.length < 8 ? 1 : 2);

const significant = (trigger: string): string[] => wordsOf(trigger).filter((w) => !FILLER_WORDS.has(w) || trigger === "?");

/** Every trigger word of the table, indexed once so a typed word finds its nearest trigger word. */
class TriggerVocabulary {
  private readonly exact: ReadonlySet<string>;
  private readonly index: MiniSearch<{ id: string; word: string }>;

  constructor(rows: readonly IntentRow[]) {
    const words = new Set(rows.flatMap((row) => row.words.flatMap(significant)));
    this.exact = words;
    this.index = new MiniSearch({ fields: ["word"], storeFields: ["word"], idField: "id" });
    this.index.addAll([...words].map((word) => ({ id: word, word })));
  }

  /** The trigger word a typed word stands for, or undefined. */
  triggerFor(word: string): string | undefined {
    if (this.exact.has(word)) return word;
    const fuzzy = fuzziness(word);
    if (fuzzy === 0) return undefined;
    const [best] = this.index.search(word, { fuzzy, prefix: false });
    return best ? String(best["word"]) : undefined;
  }
}

/**
 * Finds the intent of a typed sentence: each word is mapped to the trigger word it stands for (typos forgiven),
 * then each row scores its best trigger whose words are all there (weight x number of words), and the highest
 * score wins; on a tie, the row earlier in the table. Pure and synchronous: the table test runs it directly.
 */
export class IntentRecogniser {
  private readonly vocabulary: TriggerVocabulary;

  constructor(private readonly rows: readonly IntentRow[] = INTENTS) {
    this.vocabulary = new TriggerVocabulary(rows);
  }

  recognise(text: string): Recognised {
    const words = wordsOf(text);
    const triggers = words.map((w) => (FILLER_WORDS.has(w) ? undefined : this.vocabulary.triggerFor(w)));
    const present = new Set(triggers.filter((t): t is string => t !== undefined));
    let best: { row: IntentRow; score: number } | undefined;
    for (const row of this.rows) {
      for (const trigger of row.words) {
        const needed = significant(trigger);
        if (needed.length === 0 || !needed.every((w) => present.has(w))) continue;
        const score = row.weight * needed.length;
        if (!best || score > best.score) best = { row, score };
      }
    }
    const rest = words.filter((w, i) => triggers[i] === undefined && !FILLER_WORDS.has(w));
    return { row: best?.row, rest, meaningful: words.filter((w) => !FILLER_WORDS.has(w)) };
  }
}

/**
 * The named thing the words name, fuzzily (a typo, a prefix: "northwnd", "north"), or undefined. A name of several
 * words is found by any of them ("Contoso" finds Contoso Cloud Partners); the best-scoring name wins.
 */
export function findName(words: readonly string[], things: readonly NamedThing[]): NamedThing | undefined {
  if (words.length === 0 || things.length === 0) return undefined;
  const index = new MiniSearch<NamedThing>({ fields: ["name"], storeFields: ["id", "name"], processTerm: (t) => fold(t) || null });
  // Two names of one id (a relationship and an invitation of the same partner) are one thing.
  const unique = [...new Map(things.map((t) => [t.id, t])).values()];
  index.addAll(unique);
  const hits = index.search(words.join(" "), {
    combineWith: "OR",
    fuzzy: (term) => fuzziness(term),
    prefix: (term) => term.length >= 4,
  });
  const top = hits[0];
  return top ? { id: String(top.id), name: String(top["name"]) } : undefined;
}

/**
 * The place the words name, whole: "stockholm", "new york" (both words), "swedn" (a typo), and the typed words
 * that named it. Places are matched as complete names, so "new" alone is no place.
 */
export function findPlace(words: readonly string[], places: readonly string[]): { place: string; words: string[] } | undefined {
  if (words.length === 0 || places.length === 0) return undefined;
  const index = new MiniSearch<NamedThing>({ fields: ["name"], storeFields: ["name"], processTerm: (t) => fold(t) || null });
  index.addAll([...new Set(places)].map((name) => ({ id: name, name })));
  const hits = index.search(words.join(" "), { combineWith: "OR", fuzzy: (term) => fuzziness(term), prefix: false });
  for (const hit of hits) {
    const name = String(hit["name"]);
    const matched = new Set(Object.keys(hit.match));
    if (wordsOf(name).every((w) => matched.has(w))) return { place: name, words: hit.queryTerms };
  }
  return undefined;
}
