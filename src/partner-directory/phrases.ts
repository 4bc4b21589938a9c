/**
 * The text fields of the index: names, services, industries and partner-type words, each a list of phrases
 * (a name is one). Services, industries and type words come from a small vocabulary (40 services and 20
 * industries repeat over hundreds of thousands of generated partners), so each distinct phrase is tokenized
 * and folded once, each distinct token once, and each term's postings (partner ranks and precomputed BM25+ scores) are typed arrays: scoring 50,000
 * matches is one pass over two arrays instead of Map lookups and an object per match.
 *
 * Scores are those MiniSearch gives when a partner's phrases are one text field of its document ("Teams
 * voice | Zero trust"), which is how the index was first built: same field lengths (distinct tokens of that
 * text), same term and document frequencies, same expansion, weights and BM25+ (scoring.ts). Prefix and
 * fuzzy matching of terms uses MiniSearch's own radix tree (SearchableMap).
 */
import SearchableMap from "minisearch/SearchableMap";
import type { Partner } from "../domain/partner.js";
import { bm25, inverseDocumentFrequency, keptExpansions, type Expander, type Scoreboard } from "./scoring.js";

export interface PhraseField {
  /** Relevance multiplier of a match in this field (MiniSearch's `boost`). */
  boost: number;
  phrasesOf(partner: Partner): readonly string[];
  /** Its phrases come from a small vocabulary (services, industries): each distinct one is tokenized once and kept. */
  vocabulary?: boolean;
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
    /** The dictionary entries a query word matches, kept for the next query with that word (scoring.ts). */
    private readonly expansion: Expander<TermPostings>,
  ) {}

  /** `rankOf[i]` is the rank of partners[i] (partners in the order MiniSearch's addAll would have read them). */
  static build(partners: readonly Partner[], rankOf: Int32Array, fields: readonly PhraseField[], text: TextAnalysis): PhraseIndex {
    const partnerCount = partners.length;
    const fieldCount = fields.length;
    const analyzer = new PhraseAnalyzer(text);
    // Two passes, and no per-partner objects or per-term arrays (at 500,000 partners their garbage made the
    // collector walk the whole directory again and again). The first reads the partners in the order they
    // are stored (in rank order every partner was a cache miss or several), analyzes each field once, counts
    // each (term, field), measures the fields and writes each field's terms and frequencies on a tape of
    // integers. The second reads the tape in rank order, so every term's postings come out sorted by rank,
    // and writes ranks and BM25+ scores straight into two shared typed arrays.
    const lengths = fields.map(() => new Uint32Array(partnerCount));
    let counts = new Int32Array(1 << 12);
    const tape = new IntTape(partnerCount * 24);
    const tapeAt = new Int32Array(partnerCount);
    for (let i = 0; i < partnerCount; i++) {
      const partner = partners[i]!;
      const rank = rankOf[i]!;
      tapeAt[rank] = tape.size;
      for (let f = 0; f < fieldCount; f++) {
        const field = fields[f]!;
        const terms = analyzer.analyzeField(field.phrasesOf(partner), field.vocabulary === true);
        lengths[f]![rank] = analyzer.fieldLength;
        counts = ensureLength(counts, analyzer.termCount * fieldCount);
        tape.push(terms);
        for (let j = 0; j < terms; j++) {
          const term = analyzer.fieldTerms[j]!;
          const frequency = analyzer.termFrequency(term);
          counts[term * fieldCount + f]!++;
          // Most terms occur once in a field: term * 2 says so in one integer; term * 2 + 1 is followed by the frequency.
          if (frequency === 1) tape.push(term * 2);
          else {
            tape.push(term * 2 + 1);
            tape.push(frequency);
          }
        }
      }
    }
    const averageLengths = lengths.map((fieldLengths) => runningAverage(fieldLengths, rankOf));
    const keys = analyzer.termCount * fieldCount;
    const start = new Int32Array(keys + 1);
    const idf = new Float64Array(keys);
    for (let key = 0; key < keys; key++) {
      start[key + 1] = start[key]! + counts[key]!;
      idf[key] = inverseDocumentFrequency(counts[key]!, partnerCount);
    }
    const ranks = new Int32Array(start[keys]!);
    const scores = new Float64Array(start[keys]!);
    const next = start.slice(0, keys);
    for (let rank = 0; rank < partnerCount; rank++) {
      let read = tapeAt[rank]!;
      for (let f = 0; f < fieldCount; f++) {
        const fieldLength = lengths[f]![rank]!;
        const average = averageLengths[f]!;
        const terms = tape.at(read++);
        for (let j = 0; j < terms; j++) {
          const entry = tape.at(read++);
          const key = (entry >> 1) * fieldCount + f;
          const at = next[key]!++;
          ranks[at] = rank;
          scores[at] = bm25(idf[key]!, (entry & 1) === 0 ? 1 : tape.at(read++), fieldLength, average);
        }
      }
    }
    const dictionary = new SearchableMap<TermPostings>();
    for (let term = 0; term < analyzer.termCount; term++) {
      const perField = fields.map((_, f): Postings | undefined => {
        const key = term * fieldCount + f;
        if (start[key] === start[key + 1]) return undefined;
        return { ranks: ranks.subarray(start[key], start[key + 1]), scores: scores.subarray(start[key], start[key + 1]) };
      });
      if (perField.some((postings) => postings !== undefined)) dictionary.set(analyzer.termName(term), perField);
    }
    return new PhraseIndex(fields, keptExpansions(dictionary));
  }

  /** Adds the score of every partner matching `term` (exactly, by prefix, or within `maxDistance` edits) to `board`. */
  addScores(term: string, maxDistance: number | false, board: Scoreboard): void {
    for (const { value: perField, weight } of this.expansion(term, maxDistance)) {
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

/** A typed array at least `length` long: `array` itself, or a copy of it twice as long (or longer). */
function ensureLength<T extends Int32Array | Uint32Array>(array: T, length: number): T {
  if (array.length >= length) return array;
  const grown = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2));
  grown.set(array);
  return grown;
}

/** A growing list of integers in one typed array: no boxed numbers, no array of arrays. */
class IntTape {
  private values: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.size === this.values.length) this.values = ensureLength(this.values, this.size + 1);
    this.values[this.size++] = value;
  }

  at(index: number): number {
    return this.values[index]!;
  }
}

/** A vocabulary phrase, tokenized once for the whole directory: its raw tokens as ids, in order. */
interface AnalyzedPhrase {
  tokens: Int32Array;
  /** Not empty and no separator at either end: joined with " | ", such phrases add only the "|" token. */
  plain: boolean;
}

/**
 * Computes per partner and field what MiniSearch would from the field text `phrases.join(" | ")`: its length
 * (distinct raw tokens) and its terms with their frequencies. Tokens and terms are small integer ids; "seen
 * in this field" is a stamp per id, not a Set or Map per partner. Each distinct token is processed (folded,
 * stop words dropped) once.
 */
class PhraseAnalyzer {
  private readonly phrases = new Map<string, AnalyzedPhrase>();
  private readonly tokenIds = new Map<string, number>();
  /** tokenTerm[token id]: the id of its processed term, or -1 for a token that is no term (a stop word, ""). */
  private tokenTerm = new Int32Array(1 << 12);
  private tokenSeen = new Uint32Array(1 << 12);
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private termSeen = new Uint32Array(1 << 12);
  private termFreq = new Int32Array(1 << 12);
  /** The token between two joined phrases (not a separator to MiniSearch's tokenizer: it is a math symbol). */
  private readonly bar: number;
  private stamp = 0;
  /** Distinct tokens and distinct terms of the field being analyzed so far. */
  private length = 0;
  private terms = 0;
  /** The last analyzed field: its length, and its distinct terms fieldTerms[0 .. count-1] (see analyzeField). */
  fieldLength = 0;
  fieldTerms = new Int32Array(64);

  constructor(private readonly text: TextAnalysis) {
    this.bar = this.tokenId("|");
  }

  get termCount(): number {
    return this.termNames.length;
  }

  termName(id: number): string {
    return this.termNames[id]!;
  }

  /** How often `term` occurs in the last analyzed field (one of its fieldTerms). */
  termFrequency(term: number): number {
    return this.termFreq[term]!;
  }

  /**
   * Analyzes one partner's field; returns the number of its distinct terms (in fieldTerms). `vocabulary`:
   * the phrases repeat over the directory, so each is tokenized once and kept. Its length goes to fieldLength.
   */
  analyzeField(raw: readonly string[], vocabulary: boolean): number {
    const stamp = ++this.stamp;
    this.length = 0;
    this.terms = 0;
    let plain = raw.length > 0;
    if (raw.length > 1) {
      this.tokenSeen[this.bar] = stamp;
      this.length++;
    }
    for (const phrase of raw) {
      if (vocabulary) {
        const analyzed = this.phrases.get(phrase) ?? this.analyzePhrase(phrase);
        plain &&= analyzed.plain;
        for (const id of analyzed.tokens) this.see(id, stamp);
      } else {
        const tokens = this.text.tokenize(phrase);
        plain &&= isPlain(tokens);
        for (const token of tokens) this.see(this.tokenId(token), stamp);
      }
    }
    // No phrase, or one with a separator at an end (the tokenizer then yields ""): rare, so done the plain way.
    this.fieldLength = plain ? this.length : new Set(this.text.tokenize(raw.join(" | "))).size;
    return this.terms;
  }

  /** One occurrence of a token in the field being analyzed (stamp). */
  private see(token: number, stamp: number): void {
    if (this.tokenSeen[token] !== stamp) {
      this.tokenSeen[token] = stamp;
      this.length++;
    }
    const term = this.tokenTerm[token]!;
    if (term < 0) return;
    if (this.termSeen[term] !== stamp) {
      this.termSeen[term] = stamp;
      this.termFreq[term] = 0;
      if (this.terms === this.fieldTerms.length) this.fieldTerms = ensureLength(this.fieldTerms, this.terms + 1);
      this.fieldTerms[this.terms++] = term;
    }
    this.termFreq[term]!++;
  }

  private analyzePhrase(phrase: string): AnalyzedPhrase {
    const raw = this.text.tokenize(phrase);
    const analyzed = { tokens: Int32Array.from(raw, (token) => this.tokenId(token)), plain: isPlain(raw) };
    this.phrases.set(phrase, analyzed);
    return analyzed;
  }

  private tokenId(token: string): number {
    let id = this.tokenIds.get(token);
    if (id !== undefined) return id;
    id = this.tokenIds.size;
    this.tokenIds.set(token, id);
    this.tokenSeen = ensureLength(this.tokenSeen, id + 1);
    this.tokenTerm = ensureLength(this.tokenTerm, id + 1);
    const term = this.text.processTerm(token);
    this.tokenTerm[id] = term === null ? -1 : this.termId(term);
    return id;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id !== undefined) return id;
    id = this.termNames.push(term) - 1;
    this.termIds.set(term, id);
    this.termSeen = ensureLength(this.termSeen, id + 1);
    this.termFreq = ensureLength(this.termFreq, id + 1);
    return id;
  }
}

/** Not empty and no "" at either end (the tokenizer's mark of a separator there). */
const isPlain = (tokens: readonly string[]): boolean => tokens.length > 0 && tokens[0] !== "" && tokens[tokens.length - 1] !== "";
