import { expect } from "chai";
import fc from "fast-check";
import { comparePrefixes, sortPrefix } from "../../src/partner-directory/nameOrder.js";

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
