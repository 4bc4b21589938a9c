/**
 * The partner search as it was before it was made fast at 100,000 partners: one MiniSearch index over every
 * field, a filter callback per result, a collator sort of every hit. Kept as the reference the fast
 * PartnerSearch is checked against (test/unit/directory-search-equivalence.test.ts): same hits, same order,
 * same scores. Slow on purpose; never use it in the bot.
 */
import MiniSearch, { type SearchOptions } from "minisearch";
import type { Partner } from "../../src/domain/partner.js";
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  processTerm,
  TYPE_WORDS,
  type SearchHit,
  type SearchPage,
  type SearchQuery,
} from "../../src/partner-directory/search.js";
import { cityNames, inEnglish } from "../../src/partner-directory/swedish.js";
import { canonicalCountry, countryNames, fold } from "../../src/partner-directory/text.js";

// The same words and term processing as the real index: the two must differ only in how they compute.

/** Typo tolerance grows with the word: none for "IT", one edit for "teams", two for "secruity" (a swap is two). */
const fuzziness = (term: string): number | false => (term.length < 4 ? false : term.length < 7 ? 1 : 2);

const SEARCH_OPTIONS: SearchOptions = {
  boost: { name: 3, services: 2 },
  prefix: true,
  fuzzy: fuzziness,
  combineWith: "AND",
  // A query's Swedish words are searched as the English words the directory holds, as the real index does.
  processTerm: (term) => {
    const processed = processTerm(term);
    return processed === null ? null : inEnglish([processed]);
  },
};

interface IndexedPartner {
  partner: Partner;
  /** Every folded name of each location's city and every folded name of each location's country, per location. */
  places: Array<{ city: ReadonlySet<string>; country: ReadonlySet<string> }>;
}

interface Doc {
  id: string;
  name: string;
  services: string;
  industries: string;
  types: string;
}

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });
const compareByName = (a: Partner, b: Partner): number => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The directory's search index: an in-memory MiniSearch over a few thousand partners at most, rebuilt
 * whenever the directory changes. Filters (location, size) are exact; keywords are fuzzy and ranked.
 * Every ordering is deterministic, so a page asked twice is the same page.
 */
const contactKey = (tenantId: string, userId: string) => `${tenantId.toLowerCase()}|${userId.toLowerCase()}`;

export class ReferencePartnerSearch {
  private constructor(
    private readonly index: MiniSearch<Doc>,
    private readonly partners: ReadonlyMap<string, IndexedPartner>,
    /** All partners sorted by name: the answer to a query without keywords, before filtering. */
    private readonly sorted: readonly IndexedPartner[],
    /** "tenant|user" of every partner contact -> the partner they speak for. */
    private readonly contacts: ReadonlyMap<string, Partner>,
  ) {}

  static build(partners: readonly Partner[]): ReferencePartnerSearch {
    const index = new MiniSearch<Doc>({
      fields: ["name", "services", "industries", "types"],
      storeFields: [],
      processTerm,
      searchOptions: SEARCH_OPTIONS,
    });
    const countryCache = new Map<string, ReadonlySet<string>>();
    const namesOf = (code: string) => {
      let names = countryCache.get(code);
      if (!names) {
        names = new Set(countryNames(code));
        countryCache.set(code, names);
      }
      return names;
    };
    const byId = new Map<string, IndexedPartner>();
    for (const partner of partners) {
      if (byId.has(partner.id)) throw new Error(`partner "${partner.id}" appears twice in the directory`);
      byId.set(partner.id, {
        partner,
        places: partner.locations.map((location) => ({
          city: new Set(cityNames(location.city)),
          country: namesOf(canonicalCountry(location.country) ?? location.country.toUpperCase()),
        })),
      });
    }
    index.addAll(
      partners.map((p) => ({
        id: p.id,
        name: p.name,
        services: p.services.join(" | "),
        industries: p.industries.join(" | "),
        types: p.types.map((type) => TYPE_WORDS[type]).join(" | "),
      })),
    );
    const sorted = [...byId.values()].sort((a, b) => compareByName(a.partner, b.partner));
    const contacts = new Map<string, Partner>();
    for (const partner of partners) for (const c of partner.contacts) contacts.set(contactKey(c.tenantId, c.userId), partner);
    return new ReferencePartnerSearch(index, byId, sorted, contacts);
  }

  get size(): number {
    return this.partners.size;
  }

  get(id: string): Partner | undefined {
    return this.partners.get(id)?.partner;
  }

  /** The partner a user speaks for, if the directory lists them as one of its contacts. */
  partnerOfContact(tenantId: string, userId: string): Partner | undefined {
    return this.contacts.get(contactKey(tenantId, userId));
  }

  search(query: SearchQuery): SearchPage {
    const place = parseLocation(query.location);
    const size = query.size;
    const accepts = (entry: IndexedPartner) =>
      (size === undefined || entry.partner.sizes.includes(size)) &&
      (place === undefined || entry.places.some((p) => place.every((part) => p.city.has(part) || p.country.has(part))));

    const hits = this.hasTerms(query.keywords)
      ? this.ranked(query.keywords!, accepts)
      : this.sorted.filter(accepts).map((e) => ({ partner: e.partner, score: 0 }));

    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE));
    const pageCount = Math.ceil(hits.length / pageSize);
    const page = Math.max(0, Math.min(Math.floor(query.page ?? 0) || 0, pageCount - 1));
    return { total: hits.length, page, pageSize, pageCount, hits: hits.slice(page * pageSize, (page + 1) * pageSize) };
  }

  /**
   * Every word must match (fuzzily, by prefix); if no partner matches them all, the partners matching any
   * of them, best first: a query with one unknown word still finds something useful.
   */
  private ranked(keywords: string, accepts: (entry: IndexedPartner) => boolean): SearchHit[] {
    const filter = (result: { id: unknown }) => {
      const entry = this.partners.get(String(result.id));
      return entry !== undefined && accepts(entry);
    };
    let results = this.index.search(keywords, { filter });
    if (results.length === 0) results = this.index.search(keywords, { filter, combineWith: "OR" });
    return results
      .map((result) => ({ partner: this.partners.get(String(result.id))!.partner, score: result.score }))
      .sort((a, b) => b.score - a.score || compareByName(a.partner, b.partner));
  }

  private hasTerms(keywords: string | undefined): boolean {
    if (!keywords) return false;
    return MiniSearch.getDefault("tokenize")(keywords).some((token: string) => processTerm(token) !== null);
  }
}

/** "Malmö, Sweden" -> ["malmo", "sweden"]: every part must name the same location (its city or its country). */
function parseLocation(location: string | undefined): string[] | undefined {
  const parts = (location ?? "")
    .split(",")
    .map(fold)
    .filter((part) => part !== "");
  return parts.length > 0 ? parts : undefined;
}
