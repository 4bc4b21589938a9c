import { expect } from "chai";
import { CITIES, generateDirectory, INDUSTRIES, SERVICES } from "../../bench/search/generate.js";
import { ORGANIZATION_SIZES } from "../../src/domain/partner.js";
import { PartnerSearch, type SearchPage, type SearchQuery } from "../../src/partner-directory/search.js";
import { ReferencePartnerSearch } from "../helpers/referenceSearch.js";
import { seededRandom } from "../helpers/seededRandom.js";

/**
 * Speed must never change an answer. The optimised index (radix name order, tape-built postings, stamped
 * scoreboards, bounded-heap and quickselect pages, ready-made size lists) against the plain MiniSearch
 * reference (test/helpers/referenceSearch.ts) on a seeded random directory, with seeded random queries:
 * the same hits in the same order, page after page. Seeds are fixed, so a failure replays exactly.
 */
describe("partner search on a seeded random directory answers as the simple reference does", () => {
  // Some names the generator never makes: digits, punctuation, accents, case (the collator's side of the name order).
  const awkward = ["Öresund IT", "3D Data & Co", "contoso", "Contoso-Nordic", "A-Team 10", "A-Team 9", "Ängel AB"];
  const partners = generateDirectory(2_000, 4242).map((partner, i) => (i % 20 === 0 ? { ...partner, name: awkward[i % 7]! } : partner));
  const fast = PartnerSearch.build(partners);
  const reference = ReferencePartnerSearch.build(partners);
  const random = seededRandom(99);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  /** A word as someone might type it: whole, cut short (a prefix), with a typo, or in Swedish. */
  const word = (): string => {
    const phrase = pick([...SERVICES, ...INDUSTRIES, pick(partners).name]);
    const whole = pick(phrase.split(" "));
    const form = random();
    if (form < 0.2 && whole.length > 3) return whole.slice(0, 2 + Math.floor(random() * (whole.length - 2)));
    if (form < 0.35 && whole.length > 4) {
      const at = 1 + Math.floor(random() * (whole.length - 2));
      return whole.slice(0, at) + whole[at + 1] + whole[at] + whole.slice(at + 2);
    }
    if (form < 0.45) return pick(["säkerhet", "migrering", "sjukvård", "återförsäljare", "GDAP", "och", "the"]);
    return whole;
  };
  const query = (): SearchQuery => {
    const q: SearchQuery = {};
    if (random() < 0.85) q.keywords = Array.from({ length: 1 + Math.floor(random() * 3) }, word).join(" ");
    if (random() < 0.35) {
      const [country, city] = pick(CITIES);
      q.location = pick([country, city, `${city}, ${country}`, "Sverige", "Göteborg", "Goteborg", "Tyskland", "Atlantis"]);
    }
    if (random() < 0.3) q.size = pick(ORGANIZATION_SIZES);
    q.pageSize = pick([1, 10, 50]);
    return q;
  };

  const summary = (page: SearchPage) => ({
    total: page.total,
    page: page.page,
    pageCount: page.pageCount,
    hits: page.hits.map((hit) => hit.partner.id),
  });

  it("gives the same pages for 150 seeded random queries: first, second, a middle one, the last and one past it", () => {
    for (let i = 0; i < 150; i++) {
      const q = query();
      const pageCount = reference.search(q).pageCount;
      for (const page of new Set([0, 1, Math.floor(pageCount / 2), pageCount - 1, pageCount])) {
        const label = `${JSON.stringify(q)} page ${page}`;
        const expected = reference.search({ ...q, page });
        const actual = fast.search({ ...q, page });
        expect(summary(actual), label).to.deep.equal(summary(expected));
        actual.hits.forEach((hit, h) => expect(hit.score, label).to.be.closeTo(expected.hits[h]!.score, 1e-9 * Math.max(1, hit.score)));
      }
    }
  });

  it("finds Göteborg and Goteborg alike, and Swedish words as their English ones, in this directory too", () => {
    const gothenburg = fast.search({ location: "Göteborg", pageSize: 50 });
    expect(gothenburg.total).to.be.greaterThan(0);
    expect(summary(fast.search({ location: "Goteborg", pageSize: 50 }))).to.deep.equal(summary(gothenburg));
    expect(summary(fast.search({ keywords: "säkerhet", location: "Sverige" }))).to.deep.equal(
      summary(fast.search({ keywords: "security", location: "Sweden" })),
    );
  });
});
