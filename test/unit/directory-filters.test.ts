import { expect } from "chai";
import fc from "fast-check";
import { parseLocation, PlaceAndSizeIndex } from "../../src/partner-directory/filters.js";
import { canonicalCountry, countryNames, fold } from "../../src/partner-directory/text.js";
import { ORGANIZATION_SIZES, type Partner } from "../../src/domain/partner.js";

/** The filter as it was written before the typed arrays: strings and Sets, one partner at a time. */
function naiveAccepts(partner: Partner, location: string | undefined, size: string | undefined): boolean {
  const parts = parseLocation(location);
  const places = partner.locations.map((l) => ({
    city: fold(l.city),
    country: new Set(countryNames(canonicalCountry(l.country) ?? l.country.toUpperCase())),
  }));
  return (
    (size === undefined || (partner.sizes as string[]).includes(size)) &&
    (parts === undefined || places.some((p) => parts.every((part) => part === p.city || p.country.has(part))))
  );
}

const PLACES = [
  { city: "Malmö", country: "SE" },
  { city: "Malmo", country: "se" },
  { city: "Stockholm", country: "SE" },
  { city: "London", country: "GB" },
  { city: "London", country: "CA" },
  { city: "Sydney", country: "AU" },
  { city: "São Paulo", country: "BR" },
  { city: "Georgia", country: "US" },
  { city: "Tbilisi", country: "GE" },
  { city: "Nowhere", country: "XX" },
];
const LOCATIONS = [
  "",
  " ",
  "SE",
  "se",
  "Sweden",
  "Sverige",
  "Malmö",
  "malmo",
  "Malmo, Sweden",
  "Malmö, GB",
  "London",
  "London, GB",
  "london, canada",
  "UK",
  "United Kingdom",
  "Georgia",
  "georgia, us",
  "GE",
  "sao paulo",
  "Atlantis",
  "XX",
  ", ,",
];

const partner = (i: number) =>
  fc
    .record({
      locations: fc.array(fc.constantFrom(...PLACES), { minLength: 1, maxLength: 3 }),
      sizes: fc.uniqueArray(fc.constantFrom(...ORGANIZATION_SIZES), { minLength: 1, maxLength: 5 }),
    })
    .map((fields): Partner => ({
      id: `p-${i}`,
      name: `Partner ${i}`,
      tenantId: `t-${i}`,
      services: ["x"],
      industries: [],
      types: ["reseller"],
      contacts: [],
      ...fields,
    }));
const directory = fc.integer({ min: 0, max: 30 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => partner(i))));

describe("location and size filters over typed arrays", () => {
  it("keep exactly the partners the naive filter keeps, for any location and size", () => {
    fc.assert(
      fc.property(
        directory,
        fc.constantFrom(...LOCATIONS, undefined),
        fc.constantFrom(...ORGANIZATION_SIZES, undefined, "huge"),
        (partners, location, size) => {
          const filter = PlaceAndSizeIndex.build(partners).compile(location, size);
          const kept = partners.filter((_, rank) => filter.kept[rank] === 1).map((p) => p.id);
          expect(kept).to.deep.equal(partners.filter((p) => naiveAccepts(p, location, size)).map((p) => p.id));
          expect(filter.kept).to.have.length(partners.length);
          if (filter.everyone) expect(kept).to.have.length(partners.length);
          if (filter.nobody || partners.length === 0) expect(kept).to.deep.equal([]);
          else expect(filter.nobody, "nobody exactly when no partner is kept").to.equal(kept.length === 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("says when a query keeps everyone or no one, so that search can skip the per-partner test", () => {
    const partners: Partner[] = [
      {
        id: "a",
        name: "A",
        tenantId: "t",
        locations: [{ city: "Malmö", country: "SE" }],
        sizes: ["1-50"],
        services: ["x"],
        industries: [],
        types: ["reseller"],
        contacts: [],
      },
    ];
    const index = PlaceAndSizeIndex.build(partners);
    expect(index.compile(undefined, undefined).everyone).to.equal(true);
    expect(index.compile("  ", undefined).everyone).to.equal(true);
    expect(index.compile("Atlantis", undefined).nobody).to.equal(true);
    expect(index.compile("Malmö, Germany", undefined).nobody).to.equal(true);
    expect(index.compile(undefined, "huge").nobody).to.equal(true);
    const sweden = index.compile("Sweden", "1-50");
    expect([sweden.everyone, sweden.nobody, sweden.kept[0]]).to.deep.equal([false, false, 1]);
  });
});
