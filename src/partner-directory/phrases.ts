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
    // Every (term, field, rank, frequency) occurrence goes to one growing typed array, not to a JavaScript array
    // per term: at 500,000 partners those arrays were millions of numbers the garbage collector kept walking.
    const occurrences = new Occurrences();
    const lengths: Uint32Array[] = [];
    fields.forEach((field, f) => {
      const fieldLengths = new Uint32Array(partners.length);
      // In rank order, so that every term's postings come out sorted by rank.
      byRank.forEach((partner, rank) => {
        const raw = field.phrasesOf(partner);
        const phrases = raw.map((phrase) => analyzer.analyze(phrase));
        fieldLengths[rank] = analyzer.fieldLength(raw, phrases);
        analyzer.termFrequencies(phrases, (term, freq) => occurrences.add(term * fields.length + f, rank, freq));
      });
      lengths.push(fieldLengths);
    });
    const averageLengths = lengths.map((fieldLengths) => runningAverage(fieldLengths, rankOf));
    // Postings of every (term, field) are consecutive slices of two shared arrays, in the order occurred.
    const { start, ranks, freqs } = occurrences.grouped(analyzer.termCount * fields.length);
    const scores = new Float64Array(ranks.length);
    const dictionary = new SearchableMap<TermPostings>();
    for (let term = 0; term < analyzer.termCount; term++) {
      const perField = fields.map((_, f): Postings | undefined => {
        const key = term * fields.length + f;
        if (start[key] === start[key + 1]) return undefined;
        const slice = { ranks: ranks.subarray(start[key]!, start[key + 1]!), scores: scores.subarray(start[key]!, start[key + 1]!) };
        bm25Scores(slice, freqs.subarray(start[key]!, start[key + 1]!), lengths[f]!, averageLengths[f]!, partners.length);
        return slice;
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

/** Writes the BM25+ of one term in one field for each partner that has it (its ranks, with their term frequencies freqs). */
function bm25Scores(postings: Postings, freqs: Int32Array, lengths: Uint32Array, averageLength: number, partnerCount: number): void {
  const { ranks, scores } = postings;
  const idf = inverseDocumentFrequency(ranks.length, partnerCount);
  for (let i = 0; i < ranks.length; i++) scores[i] = bm25(idf, freqs[i]!, lengths[ranks[i]!]!, averageLength);
}

/** (key, rank, frequency) triples in a growing Int32Array, then grouped by key (stable: each key's ranks stay in order). */
class Occurrences {
  private triples = new Int32Array(3 * 1024);
  private count = 0;

  add(key: number, rank: number, freq: number): void {
    if (3 * this.count === this.triples.length) {
      const grown = new Int32Array(this.triples.length * 2);
      grown.set(this.triples);
      this.triples = grown;
    }
    const at = 3 * this.count++;
    this.triples[at] = key;
    this.triples[at + 1] = rank;
    this.triples[at + 2] = freq;
  }

  /** Ranks and frequencies by key: those of key k are at start[k] .. start[k + 1] - 1. */
  grouped(keys: number): { start: Int32Array; ranks: Int32Array; freqs: Int32Array } {
    const { triples, count } = this;
    const start = new Int32Array(keys + 1);
    for (let i = 0; i < count; i++) start[triples[3 * i]! + 1]!++;
    for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
    const next = start.slice(0, keys);
    const ranks = new Int32Array(count);
    const freqs = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const at = next[triples[3 * i]!]!++;
      ranks[at] = triples[3 * i + 1]!;
      freqs[at] = triples[3 * i + 2]!;
    }
    this.triples = new Int32Array(0);
    return { start, ranks, freqs };
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
