import { expect } from "chai";
import fc from "fast-check";
import { generateDirectory } from "../../bench/search/generate.js";
import type { Partner } from "../../src/domain/partner.js";
import { comparePrefixes, rankByName, sortPrefix } from "../../src/partner-directory/nameOrder.js";

/** The collator the search orders names by (nameOrder.ts). */
const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** Names made of the characters that make collation hard: case, spaces, digits, punctuation, accents, other scripts. */
const name = fc
  .array(
    fc.constantFrom(
      "a",
      "A",
      "b",
      "B",
      "z",
      "Z",
      "m",
      " ",
      "  ",
      "1",
      "2",
      "10",
      "-",
      ".",
      "&",
      "'",
      "å",
      "Å",
      "é",
      "ö",
      "ß",
      "æ",
      "\u0301",
      "σ",
      "中",
    ),
    {
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(""));

describe("the name order's fast path", () => {
  it("never disagrees with the collator where it decides, so ranks stay exactly the collator's order", () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const byPrefix = Math.sign(comparePrefixes(sortPrefix(a), sortPrefix(b)));
        if (byPrefix !== 0) expect(byPrefix).to.equal(Math.sign(collator.compare(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { numRuns: 20_000 },
    );
  });

  it("decides the common case: names whose first letters differ", () => {
    expect(comparePrefixes(sortPrefix("Contoso Ltd"), sortPrefix("contour AB"))).to.be.lessThan(0);
    expect(comparePrefixes(sortPrefix("A B"), sortPrefix("AB"))).to.be.lessThan(0);
    // A prefix of the other (or a name starting with an accent): the collator decides.
    expect(comparePrefixes(sortPrefix("Contoso"), sortPrefix("Contoso-Nordic"))).to.equal(0);
    expect(comparePrefixes(sortPrefix("Åbo IT"), sortPrefix("Zenith"))).to.equal(0);
  });
});

describe("the directory's name order", () => {
  /** The order ranks must follow: the collator's, then id. */
  const expectedOrder = (partners: Partner[]) =>
    [...partners].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((p) => p.id);
  const partnerNamed = (name: string, i: number): Partner => ({
    id: `p-${(i * 7919) % 1000}-${i}`,
    name,
    tenantId: `t-${i}`,
    contacts: [],
    locations: [],
    sizes: [],
    services: [],
    industries: [],
    types: [],
  });

  it("ranks partners exactly as sorting them with the collator, then by id, would", () => {
    // Plain names (the radix path), awkward ones (the collator path) and long shared beginnings (several radix passes).
    const plain = fc.stringMatching(/^(contoso northwind |[A-Za-z ]{0,3})[A-Za-z ]{0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.oneof(plain, name), { maxLength: 120 }), (names) => {
        const partners = names.map(partnerNamed);
        const { byRank, rankOf } = rankByName(partners);
        expect(byRank.map((p) => p.id)).to.deep.equal(expectedOrder(partners));
        partners.forEach((partner, i) => expect(byRank[rankOf[i]!]).to.equal(partner));
      }),
      { numRuns: 400 },
    );
  });

  it("orders a generated directory of 20,000 partners as the collator does", () => {
    const partners = generateDirectory(20_000, 11);
    expect(rankByName(partners).byRank.map((p) => p.id)).to.deep.equal(expectedOrder(partners));
  });
});
