/**
 * The text fields of the index: names, services, industries and partner-type words, each a list of phrases
 * (a name is one). Services, industries and type words come from a small vocabulary (40 services and 20
 * industries repeat over 100,000 generated partners), so each distinct phrase is tokenized and folded once,
 * and each term's postings (partner ranks and precomputed BM25+ scores) are typed arrays: scoring 50,000
 * matches is one pass over two arrays instead of Map lookups and an object per match.
 *
 * Scores are those MiniSearch gives when a partner's phrases are one text field of its document ("Teams
 * voice | Zero trust"), which is how the index was first built: same field lengths (distinct tokens of that
 * text), same term and document frequencies, same expansion, weights and BM25+ (scoring.ts). Prefix and
 * fuzzy matching of terms uses MiniSearch's own radix tree (SearchableMap).
 */
import SearchableMap from "minisearch/SearchableMap";
import type { Partner } from "../domain/partner.js";
import { bm25, expand, inverseDocumentFrequency, type Scoreboard } from "./scoring.js";

export interface PhraseField {
  /** Relevance multiplier of a match in this field (MiniSearch's `boost`). */
  boost: number;
  phrasesOf(partner: Partner): readonly string[];
}

interface Postings {
  /** Ranks of the partners with the term in this field, ascending. */
  ranks: Int32Array;
  /**
   * BM25+ of the term in each of those partners' field. It depends only on the directory (term and document
   * frequencies, field lengths), so it is computed once here; a query multiplies it by its weight and boost.
   */
  scores: Float64Array;
}

/** One term's postings in each field (undefined where the term does not occur). */
type TermPostings = Array<Postings | undefined>;

export interface TextAnalysis {
  tokenize(text: string): string[];
  processTerm(token: string): string | null;
}

export class PhraseIndex {
  private constructor(
    private readonly fields: readonly PhraseField[],
    private readonly dictionary: SearchableMap<TermPostings>,
  ) {}

  /** `rankOf[i]` is the rank of partners[i] (partners in the order MiniSearch's addAll would have read them). */
  static build(partners: readonly Partner[], rankOf: Int32Array, fields: readonly PhraseField[], text: TextAnalysis): PhraseIndex {
    const byRank: Partner[] = [];
    partners.forEach((partner, i) => (byRank[rankOf[i]!] = partner));
    const analyzer = new PhraseAnalyzer(text);
    const keyOf = (term: number, f: number) => term * fields.length + f;
    // Two passes over the partners, in rank order (so every term's postings come out sorted by rank): the first
    // counts each (term, field) and measures the fields, the second writes ranks and BM25+ scores straight into
    // two shared typed arrays. No intermediate per-term arrays: at 500,000 partners their growth and copies made
    // the garbage collector walk the whole directory again and again.
    const counts: number[] = [];
    const lengths = fields.map((field, f) => {
      const fieldLengths = new Uint32Array(partners.length);
      byRank.forEach((partner, rank) => {
        const raw = field.phrasesOf(partner);
        const phrases = raw.map((phrase) => analyzer.analyze(phrase));
        fieldLengths[rank] = analyzer.fieldLength(raw, phrases);
        analyzer.termFrequencies(phrases, (term) => (counts[keyOf(term, f)] = (counts[keyOf(term, f)] ?? 0) + 1));
      });
      return fieldLengths;
    });
    const averageLengths = lengths.map((fieldLengths) => runningAverage(fieldLengths, rankOf));
    const keys = keyOf(analyzer.termCount, 0);
    const start = new Int32Array(keys + 1);
    for (let key = 0; key < keys; key++) start[key + 1] = start[key]! + (counts[key] ?? 0);
    const idf = Float64Array.from({ length: keys }, (_, key) => inverseDocumentFrequency(counts[key] ?? 0, partners.length));
    const ranks = new Int32Array(start[keys]!);
    const scores = new Float64Array(start[keys]!);
    const next = start.slice(0, keys);
    fields.forEach((field, f) => {
      const fieldLengths = lengths[f]!;
      byRank.forEach((partner, rank) => {
        const phrases = field.phrasesOf(partner).map((phrase) => analyzer.analyze(phrase));
        analyzer.termFrequencies(phrases, (term, freq) => {
          const key = keyOf(term, f);
          const at = next[key]!++;
          ranks[at] = rank;
          scores[at] = bm25(idf[key]!, freq, fieldLengths[rank]!, averageLengths[f]!);
        });
      });
    });
    const dictionary = new SearchableMap<TermPostings>();
    for (let term = 0; term < analyzer.termCount; term++) {
      const perField = fields.map((_, f): Postings | undefined => {
        const key = keyOf(term, f);
        if (start[key] === start[key + 1]) return undefined;
        return { ranks: ranks.subarray(start[key], start[key + 1]), scores: scores.subarray(start[key], start[key + 1]) };
      });
      if (perField.some((postings) => postings !== undefined)) dictionary.set(analyzer.termName(term), perField);
    }
    return new PhraseIndex(fields, dictionary);
  }

  /** Adds the score of every partner matching `term` (exactly, by prefix, or within `maxDistance` edits) to `board`. */
  addScores(term: string, maxDistance: number | false, board: Scoreboard): void {
    for (const { value: perField, weight } of expand(this.dictionary, term, maxDistance)) {
      this.fields.forEach((field, f) => {
        const postings = perField[f];
        // weight * boost * bm25: MiniSearch's product, in its order.
        if (postings) board.addAll(postings.ranks, postings.scores, weight * field.boost);
      });
    }
  }
}

/** MiniSearch's average field length is a running average over the documents in the order they were added. */
function runningAverage(lengthsByRank: Uint32Array, rankOf: Int32Array): number {
  let average = 0;
  for (let i = 0; i < rankOf.length; i++) average = (average * i + lengthsByRank[rankOf[i]!]!) / (i + 1);
  return average;
}

/** A distinct phrase, tokenized and processed once for the whole directory. Tokens and terms are small integer ids. */
interface AnalyzedPhrase {
  /** Its distinct raw tokens but "": MiniSearch's field length counts distinct raw tokens. */
  tokens: number[];
  /** Its processed terms (stop words left out) and how often each occurs. */
  terms: number[];
  counts: number[];
  /** Not empty and no separator at either end: joined with " | ", such phrases add only the "|" token. */
  plain: boolean;
}

/**
 * Analyzes each distinct phrase once, then computes per partner what MiniSearch would from the field text
 * `phrases.join(" | ")`, with integer ids and "seen in this partner" stamps instead of a Set or Map per partner.
 */
class PhraseAnalyzer {
  private readonly phrases = new Map<string, AnalyzedPhrase>();
  private readonly tokenIds = new Map<string, number>();
  private readonly termIds = new Map<string, number>();
  private readonly terms: string[] = [];
  /** The token between two joined phrases (not a separator to MiniSearch's tokenizer: it is a math symbol). */
  private readonly bar: number;
  /** Per token or term id, the partner-field that saw it last, and the term frequency being summed. */
  private readonly tokenSeen: number[] = [];
  private readonly termSeen: number[] = [];
  private readonly termFreq: number[] = [];
  private stamp = 0;

  constructor(private readonly text: TextAnalysis) {
    this.bar = this.tokenId("|");
  }

  analyze(phrase: string): AnalyzedPhrase {
    let analyzed = this.phrases.get(phrase);
    if (analyzed) return analyzed;
    const raw = this.text.tokenize(phrase);
    const counts = new Map<number, number>();
    for (const token of raw) {
      const term = this.text.processTerm(token);
      if (term === null) continue;
      const id = this.termId(term);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    analyzed = {
      tokens: [...new Set(raw.filter((token) => token !== ""))].map((token) => this.tokenId(token)),
      terms: [...counts.keys()],
      counts: [...counts.values()],
      plain: raw.length > 0 && raw[0] !== "" && raw.at(-1) !== "",
    };
    this.phrases.set(phrase, analyzed);
    return analyzed;
  }

  termName(id: number): string {
    return this.terms[id]!;
  }

  get termCount(): number {
    return this.terms.length;
  }

  /** The number of distinct tokens of `raw.join(" | ")`, as MiniSearch counts a field's length. */
  fieldLength(raw: readonly string[], phrases: readonly AnalyzedPhrase[]): number {
    // No phrase, or one ending in a separator (the tokenizer then yields ""): rare, so done the plain way.
    if (phrases.length === 0 || !phrases.every((phrase) => phrase.plain)) return new Set(this.text.tokenize(raw.join(" | "))).size;
    const stamp = ++this.stamp;
    let length = 0;
    if (phrases.length > 1) {
      this.tokenSeen[this.bar] = stamp;
      length++;
    }
    for (const phrase of phrases) {
      for (const token of phrase.tokens) {
        if (this.tokenSeen[token] === stamp) continue;
        this.tokenSeen[token] = stamp;
        length++;
      }
    }
    return length;
  }

  /** Each term of the field and its frequency, the phrases' counts added up ("Dynamics 365", "Dynamics 365 Sales": dynamics 2). */
  termFrequencies(phrases: readonly AnalyzedPhrase[], emit: (term: number, freq: number) => void): void {
    const stamp = ++this.stamp;
    const seen: number[] = [];
    for (const phrase of phrases) {
      phrase.terms.forEach((term, i) => {
        if (this.termSeen[term] !== stamp) {
          this.termSeen[term] = stamp;
          this.termFreq[term] = 0;
          seen.push(term);
        }
        this.termFreq[term] = this.termFreq[term]! + phrase.counts[i]!;
      });
    }
    for (const term of seen) emit(term, this.termFreq[term]!);
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) this.tokenIds.set(token, (id = this.tokenIds.size));
    return id;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      this.termIds.set(term, (id = this.terms.length));
      this.terms.push(term);
    }
    return id;
  }
}
