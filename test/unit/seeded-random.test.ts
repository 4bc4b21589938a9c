import { expect } from "chai";
import { seededRandom } from "../helpers/seededRandom.js";

describe("seededRandom, the PRNG shared by tests, benchmarks and generators", () => {
  it("draws the same numbers from the same seed, so a run can be replayed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).to.deep.equal(first);
  });

  it("keeps mulberry32's sequence, which the committed sample directory was generated with", () => {
    const random = seededRandom(1);
    expect([random(), random(), random()].map((x) => x.toFixed(10))).to.deep.equal(["0.6270739406", "0.0027357212", "0.5274470400"]);
  });

  it("draws in [0, 1) and differs between seeds", () => {
    const draws = Array.from({ length: 1000 }, seededRandom(7));
    expect(draws.every((x) => x >= 0 && x < 1)).to.equal(true);
    expect(seededRandom(7)()).to.not.equal(seededRandom(8)());
  });
});
