import { expect } from "chai";
import { DEMO } from "../../src/demo/constants.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { MAX_PAGE_SIZE, PartnerSearch, type SearchQuery } from "../../src/partner-directory/search.js";
import type { Partner } from "../../src/domain/partner.js";

/** Over the real sample directory: the expectations below are computed from the data, not copied from the index. */
describe("partner search over the sample directory", () => {
  const partners = sampleDirectory();
  const search = PartnerSearch.build(partners);
  /** Every hit of a query, page after page. */
  const all = (query: SearchQuery): Partner[] => {
    const first = search.search({ ...query, pageSize: MAX_PAGE_SIZE });
    const out: Partner[] = [];
    for (let page = 0; page < first.pageCount; page++)
      out.push(...search.search({ ...query, pageSize: MAX_PAGE_SIZE, page }).hits.map((h) => h.partner));
    return out;
  };
  const ids = (list: Partner[]) => list.map((p) => p.id).sort();
  const inCountry = (p: Partner, country: string) => p.locations.some((l) => l.country === country);
  const offers = (p: Partner, service: string) => p.services.includes(service);

  it("indexes every partner and finds each by id", () => {
    expect(search.size).to.equal(partners.length);
    expect(search.get(DEMO.invitingPartnerId)?.name).to.equal("Contoso Cloud Partners");
    expect(search.get("no-such-partner")).to.equal(undefined);
  });

  describe("keywords", () => {
    it("puts Contoso Cloud Partners first for 'Contoso', and for a typo or the first letters of it", () => {
      for (const keywords of ["Contoso", "contso", "conto"]) {
        expect(search.search({ keywords }).hits[0]?.partner.id, keywords).to.equal(DEMO.invitingPartnerId);
      }
      expect(search.search({ keywords: "nortwind" }).hits[0]?.partner.id).to.equal(DEMO.activePartnerId);
    });

    it("still finds security and compliance partners when both words are misspelt ('secruity complaince')", () => {
      const expected = partners.filter((p) => offers(p, "Security and compliance"));
      expect(expected.length).to.be.greaterThan(20);
      const typo = search.search({ keywords: "secruity complaince" });
      expect(typo.total).to.equal(expected.length);
      for (const hit of typo.hits) expect(hit.partner.services, hit.partner.name).to.include("Security and compliance");
      expect(ids(all({ keywords: "secruity complaince" }))).to.deep.equal(ids(expected));
      expect(ids(all({ keywords: "security and compliance" }))).to.deep.equal(ids(expected));
    });

    it("requires every word to match: 'teams voice healthcare' finds exactly the Teams voice partners in healthcare", () => {
      const expected = partners.filter((p) => offers(p, "Teams voice") && p.industries.includes("Healthcare"));
      expect(expected.length).to.be.within(2, 20);
      expect(ids(all({ keywords: "teams voice healthcare" }))).to.deep.equal(ids(expected));
    });

    it("ranks a match in the name above a match in the services: 'data' lists the '... Data ...' partners first", () => {
      const named = partners.filter((p) => /\bData\b/.test(p.name));
      const result = search.search({ keywords: "data", pageSize: named.length });
      expect(result.total).to.equal(partners.filter((p) => /\bData\b/.test(p.name) || offers(p, "Data and analytics")).length);
      expect(ids(result.hits.map((h) => h.partner))).to.deep.equal(ids(named));
      // Best of all: named Data and offering Data and analytics.
      expect(result.hits[0]!.partner.name).to.match(/\bData\b/);
      expect(result.hits[0]!.partner.services).to.include("Data and analytics");
    });

    it("searches partner types by the words people use: 'GDAP' finds the delegated administrators, 'line of business' the LOB partners", () => {
      const delegated = partners.filter(
        (p) => p.types.includes("delegatedAdministrator") || p.types.includes("resellerAndDelegatedAdministrator"),
      );
      expect(ids(all({ keywords: "GDAP" }))).to.deep.equal(ids(delegated));
      expect(ids(all({ keywords: "line of business" }))).to.deep.equal(ids(partners.filter((p) => p.types.includes("lobPartner"))));
    });

    it("falls back to partners matching any word when none matches them all", () => {
      const copilot = partners.filter((p) => offers(p, "Copilot adoption"));
      expect(ids(all({ keywords: "copilot xylophone" }))).to.deep.equal(ids(copilot));
    });

    it("orders results by score, and equal scores by name then id, the same on every call", () => {
      const first = search.search({ keywords: "nimbus", pageSize: 50 });
      expect(first.hits.every((h) => h.partner.name.startsWith("Nimbus"))).to.equal(true);
      expect(first.total).to.equal(partners.filter((p) => p.name.startsWith("Nimbus")).length);
      for (let i = 1; i < first.hits.length; i++) {
        const [a, b] = [first.hits[i - 1]!, first.hits[i]!];
        expect(a.score >= b.score, `${a.partner.name} before ${b.partner.name}`).to.equal(true);
        if (a.score === b.score) expect(a.partner.name.localeCompare(b.partner.name, "en")).to.be.below(0);
      }
      expect(search.search({ keywords: "nimbus", pageSize: 50 })).to.deep.equal(first);
    });

    it("finds nothing for words that match no partner", () => {
      expect(search.search({ keywords: "xylophone quantum" })).to.deep.equal({ total: 0, page: 0, pageSize: 10, pageCount: 0, hits: [] });
    });
  });

  describe("location", () => {
    const swedish = partners.filter((p) => inCountry(p, "SE"));

    it("takes 'Sweden' with 'security' to Swedish security partners only, best first", () => {
      const expected = swedish.filter((p) => offers(p, "Security and compliance"));
      const result = search.search({ location: "Sweden", keywords: "security" });
      expect(expected.length).to.be.at.least(3);
      expect(result.total).to.equal(expected.length);
      for (const hit of result.hits) {
        expect(inCountry(hit.partner, "SE"), hit.partner.name).to.equal(true);
        expect(hit.partner.services, hit.partner.name).to.include("Security and compliance");
        expect(hit.score).to.be.greaterThan(0);
      }
    });

    it("understands a country code, the English or the local name, in any case", () => {
      for (const location of ["SE", "se", "Sweden", "SWEDEN", "Sverige"])
        expect(ids(all({ location })), location).to.deep.equal(ids(swedish));
      expect(ids(all({ location: "UK" }))).to.deep.equal(ids(all({ location: "GB" })));
      expect(ids(all({ location: "Deutschland" }))).to.deep.equal(ids(partners.filter((p) => inCountry(p, "DE"))));
    });

    it("understands a city, with or without its accents, and 'City, Country'", () => {
      const malmo = partners.filter((p) => p.locations.some((l) => l.city === "Malmö"));
      expect(malmo.length).to.be.at.least(2);
      for (const location of ["Malmö", "malmo", "Malmo, Sweden", "Malmö, SE"])
        expect(ids(all({ location })), location).to.deep.equal(ids(malmo));
      expect(search.search({ location: "Malmö, Germany" }).total).to.equal(0);
      expect(ids(all({ location: "sao paulo" }))).to.deep.equal(
        ids(partners.filter((p) => p.locations.some((l) => l.city === "São Paulo"))),
      );
    });

    it("treats an empty location as anywhere and an unknown place as no match", () => {
      expect(search.search({ location: "  " }).total).to.equal(partners.length);
      expect(search.search({ location: "Atlantis" }).total).to.equal(0);
    });
  });

  describe("organization size", () => {
    it("keeps only partners that serve the size asked for", () => {
      const large = partners.filter((p) => p.sizes.includes("5000+"));
      expect(large.length).to.be.within(1, partners.length - 1);
      expect(ids(all({ size: "5000+" }))).to.deep.equal(ids(large));
      const small = all({ size: "1-50", keywords: "teams voice" });
      expect(small.length).to.be.greaterThan(0);
      for (const partner of small) expect(partner.sizes, partner.name).to.include("1-50");
      expect(ids(small)).to.deep.equal(ids(partners.filter((p) => p.sizes.includes("1-50") && offers(p, "Teams voice"))));
    });

    it("combines with location: small Swedish partners", () => {
      expect(ids(all({ location: "Sweden", size: "1-50" }))).to.deep.equal(
        ids(partners.filter((p) => inCountry(p, "SE") && p.sizes.includes("1-50"))),
      );
    });
  });

  describe("paging", () => {
    it("serves 10 per page by default, pages that never overlap and together hold every match, sorted by name without keywords", () => {
      const first = search.search({});
      expect(first).to.include({ total: partners.length, page: 0, pageSize: 10, pageCount: Math.ceil(partners.length / 10) });
      expect(first.hits).to.have.length(10);
      const seen: string[] = [];
      for (let page = 0; page < first.pageCount; page++) {
        const result = search.search({ page });
        expect(result.page).to.equal(page);
        seen.push(...result.hits.map((h) => h.partner.id));
      }
      expect(seen).to.have.length(partners.length);
      expect(new Set(seen).size).to.equal(partners.length);
      const names = seen.map((id) => search.get(id)!.name);
      expect(names).to.deep.equal([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base", numeric: true })));
      expect(search.search({ page: first.pageCount - 1 }).hits).to.have.length(partners.length - (first.pageCount - 1) * 10);
    });

    it("pages keyword results the same way: disjoint pages, consistent counts", () => {
      const query = { keywords: "security" };
      const first = search.search(query);
      expect(first.pageCount)
        .to.equal(Math.ceil(first.total / 10))
        .and.to.be.greaterThan(2);
      const second = search.search({ ...query, page: 1 });
      const overlap = first.hits.filter((h) => second.hits.some((s) => s.partner.id === h.partner.id));
      expect(overlap).to.deep.equal([]);
      expect(first.hits.at(-1)!.score).to.be.at.least(second.hits[0]!.score);
    });

    it("answers a page past the end with the last page and keeps the page size within bounds", () => {
      const last = search.search({ page: 999 });
      expect(last.page).to.equal(last.pageCount - 1);
      expect(search.search({ pageSize: 1000 }).pageSize).to.equal(MAX_PAGE_SIZE);
      expect(search.search({ pageSize: 0, page: -3 })).to.include({ pageSize: 10, page: 0 });
    });
  });

  describe("recent searches", () => {
    const others: SearchQuery[] = [
      "data",
      "teams",
      "GDAP",
      "contoso",
      "migration",
      "azure",
      "copilot",
      "intune",
      "backup",
      "zero trust",
      "finance",
    ].map((keywords) => ({ keywords, location: "SE" }));

    it("serves every page of a search it has seen exactly as a new index serves it", () => {
      const query = { keywords: "security", size: "51-250" as const };
      const pageCount = search.search(query).pageCount;
      expect(pageCount).to.be.greaterThan(1);
      for (let page = pageCount - 1; page >= 0; page--) {
        expect(search.search({ ...query, page }), `page ${page}`).to.deep.equal(PartnerSearch.build(partners).search({ ...query, page }));
      }
    });

    it("answers a search asked again, after more other searches than it keeps, with the same page", () => {
      const first = search.search({ keywords: "securty", page: 1 });
      for (const other of [...others, ...others]) search.search(other);
      expect(search.search({ keywords: "securty", page: 1 })).to.deep.equal(first);
    });

    it("is not changed by what a caller does with a page", () => {
      const first = search.search({ keywords: "cloud" });
      const copy = structuredClone(first);
      first.hits.reverse().pop();
      first.hits[0]!.score = -1;
      expect(search.search({ keywords: "cloud" })).to.deep.equal(copy);
    });
  });
});
