import { expect } from "chai";
import { placesOf } from "../../src/partner-directory/places.js";
import { sampleDirectory } from "../../src/partner-directory/sample.js";
import { PartnerSearch, type SearchQuery } from "../../src/partner-directory/search.js";
import { cityNames, inEnglish } from "../../src/partner-directory/swedish.js";
import { countryNames } from "../../src/partner-directory/text.js";

/*
 * Swedish in the directory search (issue 12, item 5): a Swedish word finds exactly what its English form finds,
 * with or without its accents, on the demo directory.
 */

const partners = sampleDirectory();
const search = PartnerSearch.build(partners);

/** Every partner id the query finds (all pages), in the order found, and the scores. */
function everything(query: SearchQuery): Array<[string, number]> {
  const first = search.search({ ...query, pageSize: 50 });
  const all: Array<[string, number]> = [];
  for (let page = 0; page < first.pageCount; page++)
    for (const hit of search.search({ ...query, page, pageSize: 50 }).hits) all.push([hit.partner.id, hit.score]);
  return all;
}

describe("directory search in Swedish", () => {
  const sameAs: Array<[SearchQuery, SearchQuery]> = [
    [{ location: "Göteborg" }, { location: "Gothenburg" }],
    [{ location: "Goteborg" }, { location: "Gothenburg" }],
    [{ location: "göteborg, sverige" }, { location: "Gothenburg, Sweden" }],
    [{ location: "Sverige" }, { location: "Sweden" }],
    [{ location: "Tyskland" }, { location: "Germany" }],
    [{ location: "München" }, { location: "Munich" }],
    [{ location: "Munchen, Tyskland" }, { location: "Munich, Germany" }],
    [{ location: "Storbritannien" }, { location: "United Kingdom" }],
    [{ location: "Nederländerna" }, { location: "Netherlands" }],
    [{ location: "Nederlanderna" }, { location: "Netherlands" }],
    [{ location: "Kapstaden" }, { location: "Cape Town" }],
    [{ keywords: "säkerhet" }, { keywords: "security" }],
    [{ keywords: "sakerhet" }, { keywords: "security" }],
    [{ keywords: "säkerhet och efterlevnad" }, { keywords: "security and compliance" }],
    [{ keywords: "licenser" }, { keywords: "licensing" }],
    [{ keywords: "licensiering" }, { keywords: "licensing" }],
    [{ keywords: "migrering" }, { keywords: "migration" }],
    [{ keywords: "säkerhetskopiering" }, { keywords: "backup" }],
    [{ keywords: "sjukvård" }, { keywords: "healthcare" }],
    [{ keywords: "återförsäljare" }, { keywords: "reseller" }],
    [
      { keywords: "säkerhet", location: "Göteborg" },
      { keywords: "security", location: "Gothenburg" },
    ],
    [
      { keywords: "migrering", location: "Sverige" },
      { keywords: "migration", location: "Sweden" },
    ],
  ];
  for (const [swedish, english] of sameAs) {
    it(`${JSON.stringify(swedish)} finds exactly what ${JSON.stringify(english)} finds`, () => {
      const expected = everything(english);
      expect(expected, "the English form finds something (else the comparison proves nothing)").to.not.be.empty;
      expect(everything(swedish)).to.deep.equal(expected);
    });
  }

  it("a Swedish word the directory has no partners for still finds nothing, not everything", () => {
    expect(everything({ location: "Norge" })).to.deep.equal([]);
    expect(everything({ location: "Oslo" })).to.deep.equal([]);
  });

  it("'support' is the same word in both languages and needs no table entry", () => {
    expect(inEnglish(["support"])).to.deep.equal(["support"]);
    expect(everything({ keywords: "support" })).to.not.be.empty;
  });

  it("country names come from Intl.DisplayNames in Swedish and English, for any country", () => {
    expect(countryNames("SE")).to.include.members(["se", "sweden", "sverige"]);
    expect(countryNames("NO")).to.include.members(["norway", "norge"]);
    expect(countryNames("DK")).to.include.members(["denmark", "danmark"]);
    expect(countryNames("DE")).to.include.members(["germany", "tyskland", "deutschland"]);
    expect(countryNames("FI")).to.include.members(["finland", "suomi"]);
  });

  it("a city's names are folded both ways: either form finds the city whichever the directory holds", () => {
    expect(cityNames("Göteborg")).to.have.members(["gothenburg", "goteborg"]);
    expect(cityNames("Gothenburg")).to.have.members(["gothenburg", "goteborg"]);
    expect(cityNames("Uppsala")).to.deep.equal(["uppsala"]);
    const inSwedish = partners.map((p) => ({
      ...p,
      locations: p.locations.map((l) => (l.city === "Gothenburg" ? { ...l, city: "Göteborg" } : l)),
    }));
    const swedishDirectory = PartnerSearch.build(inSwedish);
    expect(swedishDirectory.search({ location: "Gothenburg", pageSize: 50 }).total).to.equal(
      search.search({ location: "Gothenburg" }).total,
    );
  });

  it("the places a typed request may name hold the Swedish names of the directory's cities and countries", () => {
    expect(placesOf(partners)).to.include.members([
      "Gothenburg",
      "Göteborg",
      "Sweden",
      "Sverige",
      "Germany",
      "Tyskland",
      "Malmö",
      "Uppsala",
    ]);
  });
});
