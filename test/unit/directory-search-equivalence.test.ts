import { expect } from "chai";
import fc from "fast-check";
import { generateDirectory, QUERIES } from "../../bench/search/generate.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { PartnerSearch, type SearchPage, type SearchQuery } from "../../src/partner-directory/search.js";
import { ORGANIZATION_SIZES, type Partner } from "../../src/domain/partner.js";
import { PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { ReferencePartnerSearch } from "../helpers/referenceSearch.js";

/**
 * The fast PartnerSearch (rank arrays, phrase postings, typed filters, page selection, caches) against the
 * plain MiniSearch implementation it replaced (test/helpers/referenceSearch.ts): the same pages, in the same
 * order, with the same scores, page after page.
 */
describe("partner search gives the same pages as plain MiniSearch", () => {
  /** Same totals, same partners in the same order, same scores (up to rounding in the last bits). */
  const expectSame = (actual: SearchPage, expected: SearchPage, label: string) => {
    const summary = (p: SearchPage) => ({
      total: p.total,
      page: p.page,
      pageSize: p.pageSize,
      pageCount: p.pageCount,
      ids: p.hits.map((h) => h.partner.id),
    });
    expect(summary(actual), label).to.deep.equal(summary(expected));
    actual.hits.forEach((hit, i) => {
      const score = expected.hits[i]!.score;
      expect(hit.score, `${label}: score of ${hit.partner.id}`).to.be.closeTo(score, 1e-9 * Math.max(1, score));
    });
    actual.hits.forEach((hit, i) => expect(hit.partner, label).to.equal(expected.hits[i]!.partner));
  };

  /** Every page of a query (and one past the end), in order, from both. */
  const expectSameEverywhere = (fast: PartnerSearch, reference: ReferencePartnerSearch, query: SearchQuery) => {
    const first = reference.search(query);
    for (let page = 0; page <= first.pageCount; page++) {
      const label = `${JSON.stringify(query)} page ${page}`;
      expectSame(fast.search({ ...query, page }), reference.search({ ...query, page }), label);
    }
  };

  describe("over the sample directory", () => {
    const partners = sampleDirectory();
    const fast = PartnerSearch.build(partners);
    const reference = ReferencePartnerSearch.build(partners);
    const queries: SearchQuery[] = [
      {},
      { keywords: "Contoso" },
      { keywords: "contso" },
      { keywords: "conto" },
      { keywords: "nortwind" },
      { keywords: "security and compliance" },
      { keywords: "secruity complaince" },
      { keywords: "teams voice healthcare" },
      { keywords: "data" },
      { keywords: "GDAP" },
      { keywords: "line of business" },
      { keywords: "copilot xylophone" },
      { keywords: "xylophone quantum" },
      { keywords: "security security" },
      { keywords: "the and of" },
      { keywords: "IT" },
      { keywords: "nimbus", pageSize: 50 },
      { keywords: "security", pageSize: 3 },
      { keywords: "migration", location: "Sweden" },
      { keywords: "teams voice", size: "1-50" },
      { location: "SE" },
      { location: "Sverige", size: "1-50" },
      { location: "Malmo, Sweden" },
      { location: "Malmö, Germany" },
      { location: "UK" },
      { location: "sao paulo", keywords: "azure" },
      { location: "Atlantis", keywords: "security" },
      { size: "5000+" },
      { location: "Göteborg", keywords: "säkerhet" },
      { location: "Tyskland" },
      { keywords: "säkerhet och efterlevnad" },
      { keywords: "licenser migrering" },
    ];
    for (const query of queries) {
      it(`answers ${JSON.stringify(query)} alike`, () => expectSameEverywhere(fast, reference, query));
    }

    it("answers a word alike when its expansion was kept, and again after more words than are kept pushed it out", () => {
      // Its own index: the words' expansions kept by the other tests must not decide what this one sees.
      const own = PartnerSearch.build(partners);
      const words = ["secruity", "contso", "teams", "migrering"];
      for (const keywords of words) expectSame(own.search({ keywords }), reference.search({ keywords }), `${keywords}, first`);
      // The same words in other company: their kept expansions meet other words' scores.
      expectSame(own.search({ keywords: "teams secruity" }), reference.search({ keywords: "teams secruity" }), "kept, combined");
      for (let i = 0; i < 1_200; i++) own.search({ keywords: `filler${i}` });
      for (const keywords of words) expectSame(own.search({ keywords }), reference.search({ keywords }), `${keywords}, after`);
    });
  });

  describe("over a generated directory of 3,000 partners (the benchmark's queries)", () => {
    const partners = generateDirectory(3_000, 7);
    const fast = PartnerSearch.build(partners);
    const reference = ReferencePartnerSearch.build(partners);

    it("answers each benchmark query alike on its first pages, a middle page, the last page and past the end", () => {
      for (const { label, ...query } of QUERIES) {
        const total = reference.search(query).pageCount;
        for (const page of [0, 1, 2, Math.floor(total / 2), total - 1, total + 5]) {
          for (const pageSize of [10, 50])
            expectSame(
              fast.search({ ...query, page, pageSize }),
              reference.search({ ...query, page, pageSize }),
              `${label} page ${page}/${pageSize}`,
            );
        }
      }
    });
  });

  describe("over random small directories with awkward text", () => {
    const words = [
      "Contoso",
      "Nimbus",
      "Data",
      "data-driven",
      "Cloud",
      "Clouds",
      "IT",
      "365",
      "A&B",
      "Öresund",
      "Säker",
      "Co.",
      "North",
      "Northwind",
      "security",
      "the",
    ];
    const phrases = [
      "Teams voice",
      "Dynamics 365",
      "Dynamics 365 Sales",
      "Security and compliance",
      "Email security",
      "Zero trust",
      "Backup & recovery",
      "-leading dash",
      "trailing dot.",
      "a|b",
      "Ärende hantering",
      "Data and analytics",
      "x",
    ];
    const places = [
      { city: "Malmö", country: "SE" },
      { city: "Stockholm", country: "se" },
      { city: "Göteborg", country: "SE" },
      { city: "London", country: "GB" },
      { city: "London", country: "CA" },
      { city: "São Paulo", country: "BR" },
      { city: "Springfield", country: "US" },
      { city: "Nowhere", country: "XX" },
    ];
    const partner = (i: number) =>
      fc
        .record({
          name: fc.oneof(
            fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(" ")),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          services: fc.array(fc.constantFrom(...phrases), { minLength: 1, maxLength: 4 }),
          industries: fc.array(fc.constantFrom("Finance", "Real estate", "Healthcare", "-x", "Energy"), { maxLength: 3 }),
          types: fc.uniqueArray(fc.constantFrom(...PARTNER_TYPES), { minLength: 1, maxLength: 3 }),
          sizes: fc.uniqueArray(fc.constantFrom(...ORGANIZATION_SIZES), { minLength: 1, maxLength: 3 }),
          locations: fc.array(fc.constantFrom(...places), { minLength: 1, maxLength: 3 }),
        })
        .map((fields): Partner => ({ id: `p-${i}`, tenantId: `t-${i}`, contacts: [], ...fields }));
    const directory = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => partner(i))));
    const query = fc.record(
      {
        keywords: fc.oneof(
          fc
            .array(fc.constantFrom(...words, "secruity", "dynamic", "voice", "and", "nimbs", "zzz", "gdap"), { maxLength: 3 })
            .map((w) => w.join(" ")),
          fc.string({ maxLength: 8 }),
        ),
        location: fc.constantFrom(
          "",
          "SE",
          "Sweden",
          "malmo",
          "Malmö, Sweden",
          "London",
          "London, GB",
          "UK",
          "Atlantis",
          "Gothenburg",
          "Sverige",
        ),
        size: fc.constantFrom(...ORGANIZATION_SIZES),
        pageSize: fc.constantFrom(1, 3, 10),
      },
      { requiredKeys: [] },
    );

    it("answers random queries alike, every page", () => {
      fc.assert(
        fc.property(directory, fc.array(query, { minLength: 1, maxLength: 5 }), (partners, queries) => {
          const fast = PartnerSearch.build(partners);
          const reference = ReferencePartnerSearch.build(partners);
          for (const q of queries) expectSameEverywhere(fast, reference, q);
        }),
        { numRuns: 150 },
      );
    });
  });
});
