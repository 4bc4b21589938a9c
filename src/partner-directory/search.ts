import type { OrganizationSize, Partner } from "../domain/partner.js";
import type { PartnerType } from "../domain/partnerTypes.js";
import { parseLocation, PlaceAndSizeIndex, type RankFilter } from "./filters.js";
import { PhraseIndex, type PhraseField } from "./phrases.js";
import { selectRange, selectWindow } from "./ranking.js";
import { Scoreboard } from "./scoring.js";
import { rankByName } from "./nameOrder.js";
import { placesOf } from "./places.js";
import { processTerm, queryTerms, tokenize } from "./terms.js";

export interface SearchQuery {
  /** A country code ("SE"), a country name ("Sweden", "Sverige"), a city ("Malmo"), or "City, Country"; empty = anywhere. */
  location?: string;
  /** Only partners that serve organizations of this size. */
  size?: OrganizationSize;
  /** Words matched (typo-tolerant, by prefix) against name, services, industries and partner types; Swedish ones as their English words. */
  keywords?: string;
  /** 0-based. A page past the end is answered with the last page (a stale "next" button still shows something). */
  page?: number;
  /** Default 10, at most MAX_PAGE_SIZE (a Teams message holds about 80 KB). */
  pageSize?: number;
}

export interface SearchHit {
  partner: Partner;
  /** Relevance (higher is better); 0 when the query has no keywords. */
  score: number;
}

export interface SearchPage {
  total: number;
  /** The page actually returned (see SearchQuery.page). */
  page: number;
  pageSize: number;
  pageCount: number;
  hits: SearchHit[];
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 50;

/** Words a person may use for each partner type, so "GDAP" or "line of business" finds the right partners. */
export const TYPE_WORDS: Readonly<Record<PartnerType, string>> = {
  reseller: "reseller",
  delegatedAdministrator: "delegated administrator admin GDAP DAP",
  resellerAndDelegatedAdministrator: "reseller delegated administrator admin GDAP DAP",
  partner: "partner",
  advisor: "advisor adviser",
  mpsaPartner: "MPSA partner Microsoft Products and Services Agreement",
  lobPartner: "line of business LOB partner",
};

/** Term processing, shared with the reference search its tests compare it with. */
export { processTerm };

/** Typo tolerance grows with the word: none for "IT", one edit for "teams", two for "secruity" (a swap is two). */
const fuzziness = (term: string): number | false => (term.length < 4 ? false : term.length < 7 ? 1 : 2);

/**
 * The searched fields and their relevance multipliers: a word in the name counts 3x, in the services 2x. A
 * name is a field of one phrase; services, industries and type words are lists of phrases.
 */
const FIELDS: readonly PhraseField[] = [
  { boost: 3, phrasesOf: (p) => [p.name] },
  { boost: 2, phrasesOf: (p) => p.services, vocabulary: true },
  { boost: 1, phrasesOf: (p) => p.industries, vocabulary: true },
  { boost: 1, phrasesOf: (p) => p.types.map((type) => TYPE_WORDS[type]), vocabulary: true },
];

/** Results up to this one are picked with a bounded heap (one pass); deeper pages with a quickselect (linear). */
const HEAP_DEPTH = 100;

/** Partners matching a query with their order; `range` returns ranks and scores of results start..end-1. */
interface Results {
  readonly total: number;
  range(start: number, end: number): Array<{ rank: number; score: number }>;
}

const contactKey = (tenantId: string, userId: string) => `${tenantId.toLowerCase()}|${userId.toLowerCase()}`;

/**
 * The directory's search index, in memory, rebuilt whenever the directory changes. Filters (location, size)
 * are exact; keywords are fuzzy and ranked. Every ordering is deterministic, so a page asked twice is the
 * same page.
 *
 * Built for hundreds of thousands of partners: every partner gets a rank (its place in name order), and the per-query work is
 * over typed arrays indexed by rank: term postings with precomputed BM25+ (phrases.ts), expanded by prefix and
 * typo through MiniSearch's radix tree, scored as a MiniSearch index over the four fields would score them.
 */
export class PartnerSearch {
  /**
   * The last query and its results, which live in the scratch arrays below until the next query replaces
   * them: paging through a search ranks it once. (Not an LRU of several: at 500,000 partners each would be
   * megabytes of arrays kept alive, and the garbage collector's pauses would then show in every search.)
   */
  private last: { key: string; results: Results } | undefined;
  /**
   * Scratch space of one search (searches are synchronous, so one of each is enough). Reused rather than
   * allocated per query: at 500,000 partners that would be megabytes per query, and more frequent GC pauses.
   * The last query's results are views of keptRanks, keptScores and keptOrder.
   */
  private readonly termBoard: Scoreboard;
  private readonly queryBoard: Scoreboard;
  private readonly keptRanks: Int32Array;
  private readonly keptScores: Float64Array;
  private readonly keptOrder: Int32Array;
  private placeNames: readonly string[] | undefined;

  private constructor(
    /** byRank[r]: the partner of rank r, i.e. all partners sorted by name, then id. */
    private readonly byRank: readonly Partner[],
    private readonly byId: ReadonlyMap<string, Partner>,
    private readonly phrases: PhraseIndex,
    private readonly filters: PlaceAndSizeIndex,
    /** "tenant|user" of every partner contact -> the partner they speak for. */
    private readonly contacts: ReadonlyMap<string, Partner>,
  ) {
    this.termBoard = new Scoreboard(byRank.length);
    this.queryBoard = new Scoreboard(byRank.length);
    this.keptRanks = new Int32Array(byRank.length);
    this.keptScores = new Float64Array(byRank.length);
    this.keptOrder = new Int32Array(byRank.length);
  }

  static build(partners: readonly Partner[]): PartnerSearch {
    const byId = new Map<string, Partner>();
    for (const partner of partners) {
      if (byId.has(partner.id)) throw new Error(`partner "${partner.id}" appears twice in the directory`);
      byId.set(partner.id, partner);
    }
    const { byRank, rankOf } = rankByName(partners);
    const phrases = PhraseIndex.build(partners, rankOf, FIELDS, { tokenize, processTerm });
    const contacts = new Map<string, Partner>();
    for (const partner of partners) for (const c of partner.contacts) contacts.set(contactKey(c.tenantId, c.userId), partner);
    return new PartnerSearch(byRank, byId, phrases, PlaceAndSizeIndex.build(partners, rankOf), contacts);
  }

  /** Every city and country name the partners serve, once each (computed on first use). */
  get places(): readonly string[] {
    return (this.placeNames ??= placesOf(this.byRank));
  }

  get size(): number {
    return this.byRank.length;
  }

  get(id: string): Partner | undefined {
    return this.byId.get(id);
  }

  /** The partner a user speaks for, if the directory lists them as one of its contacts. */
  partnerOfContact(tenantId: string, userId: string): Partner | undefined {
    return this.contacts.get(contactKey(tenantId, userId));
  }

  search(query: SearchQuery): SearchPage {
    const results = this.results(query);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
    const pageCount = Math.ceil(results.total / pageSize);
    const page = Math.max(0, Math.min(Math.floor(query.page ?? 0) || 0, pageCount - 1));
    const hits = results.range(page * pageSize, (page + 1) * pageSize).map(({ rank, score }) => ({ partner: this.byRank[rank]!, score }));
    return { total: results.total, page, pageSize, pageCount, hits };
  }

  /** The query's results: those of the last query when it was the same search (another page of it). */
  private results(query: SearchQuery): Results {
    const terms = queryTerms(query.keywords);
    // Normalized, so "Sweden" and "sweden ", or "the security" and "security", are the same search.
    const key = JSON.stringify([terms, parseLocation(query.location) ?? [], query.size ?? null]);
    if (this.last?.key === key) return this.last.results;
    this.last = undefined; // its arrays are about to be overwritten
    const filter = this.filters.compile(query.location, query.size);
    const results = filter.nobody ? NO_RESULTS : terms.length > 0 ? this.ranked(terms, filter) : this.inNameOrder(filter);
    this.last = { key, results };
    return results;
  }

  /**
   * Every word must match (fuzzily, by prefix); if no partner matches them all, the partners matching any
   * of them, best first: a query with one unknown word still finds something useful. As in MiniSearch, a
   * partner's score is the sum over the words, times the number of distinct words it matched.
   */
  private ranked(terms: readonly string[], filter: RankFilter): Results {
    const board = this.queryBoard;
    try {
      terms.forEach((term, i) => {
        // The first word's scores go straight to the query's board: one pass less for one-word queries.
        if (i === 0) return this.phrases.addScores(term, fuzziness(term), board);
        this.phrases.addScores(term, fuzziness(term), this.termBoard);
        board.addTerm(this.termBoard, terms.indexOf(term) < i);
        this.termBoard.clear();
      });
      const all = this.collect(filter, new Set(terms).size);
      return all.total > 0 ? all : this.collect(filter, 0);
    } finally {
      board.clear();
      this.termBoard.clear();
    }
  }

  /** The scored partners the filter keeps that matched `matching` distinct words (0: any number), with their final scores. */
  private collect(filter: RankFilter, matching: number): Results {
    const { ranks, sums, terms, size } = this.queryBoard;
    const accepted = filter.kept;
    const { keptRanks: kept, keptScores: scores } = this;
    let count = 0;
    for (let i = 0; i < size; i++) {
      const rank = ranks[i]!;
      const matched = terms[rank]!;
      if ((matching !== 0 && matched !== matching) || accepted[rank] === 0) continue;
      kept[count] = rank;
      // MiniSearch's final score: the sum over the words times the number of distinct words matched.
      scores[count++] = sums[rank]! * matched;
    }
    return new ScoredResults(kept.subarray(0, count), scores.subarray(0, count), this.keptOrder);
  }

  /** Without keywords: the partners the filter keeps, by name (ranks are name order). */
  private inNameOrder(filter: RankFilter): Results {
    if (filter.everyone) return new NameOrderResults(this.byRank.length);
    if (filter.ranks) return new NameOrderResults(filter.ranks.length, filter.ranks);
    const count = ranksKept(filter.kept, this.keptRanks);
    return new NameOrderResults(count, this.keptRanks.subarray(0, count));
  }
}

/**
 * Keyword results: candidates (ranks and final scores) in no particular order. A first page is selected with
 * a bounded heap; a deep one with a quickselect in `orderSpace`, in time linear in the candidates (sorting
 * them all took tens of milliseconds at 500,000 partners).
 */
class ScoredResults implements Results {
  constructor(
    private readonly ranks: Int32Array,
    private readonly scores: Float64Array,
    private readonly orderSpace: Int32Array,
  ) {}

  get total(): number {
    return this.ranks.length;
  }

  range(start: number, end: number): Array<{ rank: number; score: number }> {
    const positions =
      end <= HEAP_DEPTH
        ? selectRange(this.ranks, this.scores, start, end)
        : selectWindow(this.ranks, this.scores, start, end, this.orderSpace);
    return Array.from(positions, (i) => ({ rank: this.ranks[i]!, score: this.scores[i]! }));
  }
}

/** Results without keywords: ranks in name order (all partners when `ranks` is left out), score 0. */
class NameOrderResults implements Results {
  constructor(
    readonly total: number,
    private readonly ranks?: Int32Array,
  ) {}

  range(start: number, end: number): Array<{ rank: number; score: number }> {
    const hits: Array<{ rank: number; score: number }> = [];
    for (let i = start; i < Math.min(end, this.total); i++) hits.push({ rank: this.ranks ? this.ranks[i]! : i, score: 0 });
    return hits;
  }
}

const NO_RESULTS: Results = { total: 0, range: () => [] };

/**
 * Writes the ranks `kept` marks to `into`, ascending, and returns how many. Reads four bytes at a time and
 * skips the zero words: a city keeps a few percent of the directory. (Its own function: V8 optimizes the
 * loop better.)
 */
function ranksKept(kept: Uint8Array, into: Int32Array): number {
  let count = 0;
  let rank = 0;
  if (kept.byteOffset % 4 === 0) {
    const words = new Uint32Array(kept.buffer, kept.byteOffset, kept.length >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let r = w * 4; r < w * 4 + 4; r++) if (kept[r] === 1) into[count++] = r;
    }
    rank = words.length * 4;
  }
  for (; rank < kept.length; rank++) if (kept[rank] === 1) into[count++] = rank;
  return count;
}
