import { expect } from "chai";
import fc from "fast-check";
import { before, selectRange, selectWindow, sortPositions } from "../../src/partner-directory/ranking.js";

/** Candidates with few distinct scores (many ties) and unique ranks in any order, as a search produces them. */
const candidates = fc.array(fc.constantFrom(0.5, 1, 1.25, 2, 7.75), { maxLength: 300 }).chain((scores) =>
  fc
    .shuffledSubarray(
      Array.from({ length: scores.length * 3 }, (_, i) => i),
      { minLength: scores.length, maxLength: scores.length },
    )
    .map((ranks) => ({ scores, ranks })),
);

/** The naive answer: every candidate sorted by score (descending), then rank. */
const naiveOrder = ({ scores, ranks }: { scores: number[]; ranks: number[] }) =>
  scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || ranks[a]! - ranks[b]!);

describe("search result ranking", () => {
  it("puts the higher score first and breaks ties by the lower rank", () => {
    expect(before(2, 9, 1, 0)).to.equal(true);
    expect(before(1, 0, 2, 9)).to.equal(false);
    expect(before(1, 3, 1, 4)).to.equal(true);
    expect(before(1, 4, 1, 3)).to.equal(false);
    expect(before(1, 3, 1, 3)).to.equal(false);
  });

  it("sorts every position like the naive sort", () => {
    fc.assert(
      fc.property(candidates, (c) => {
        expect([...sortPositions(Int32Array.from(c.ranks), Float64Array.from(c.scores))]).to.deep.equal(naiveOrder(c));
      }),
    );
  });

  it("selects any range with the quickselect exactly as sorting everything and slicing would", () => {
    fc.assert(
      fc.property(candidates, fc.nat(320), fc.nat(60), (c, start, length) => {
        const space = new Int32Array(c.ranks.length);
        const selected = selectWindow(Int32Array.from(c.ranks), Float64Array.from(c.scores), start, start + length, space);
        expect([...selected]).to.deep.equal(naiveOrder(c).slice(start, start + length));
      }),
      { numRuns: 2_000 },
    );
  });

  it("selects any range with the bounded heap exactly as sorting everything and slicing would", () => {
    fc.assert(
      fc.property(candidates, fc.nat(320), fc.nat(60), (c, start, length) => {
        const selected = selectRange(Int32Array.from(c.ranks), Float64Array.from(c.scores), start, start + length);
        expect([...selected]).to.deep.equal(naiveOrder(c).slice(start, start + length));
      }),
    );
  });

  it("selects the top 10 of 50,000 tied hits by rank", () => {
    const n = 50_000;
    const ranks = Int32Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const scores = new Float64Array(n).fill(3);
    scores[ranks.indexOf(40_000)] = 4;
    const top = [...selectRange(ranks, scores, 0, 10)].map((i) => ranks[i]);
    expect(top).to.deep.equal([40_000, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
