import { expect } from "chai";
import { readFileSync } from "node:fs";
import { mergeReport, renderReport, type Options, type Results } from "../../bench/report.js";

const saved = JSON.parse(readFileSync(new URL("../../bench/results.json", import.meta.url), "utf8")) as Results & { options: Options };

describe("bench report", () => {
  it("keeps the hand-written analysis around the generated figures when a run rewrites them", () => {
    const first = mergeReport(undefined, "# Figures\n\nold figures\n");
    const written = first.replace(
      "To be written: what each section measures, why each missed target was missed and what would close it.",
      "A person's analysis.",
    );
    const next = mergeReport(`Intro by hand.\n\n${written}`, "# Figures\n\nnew figures\n");
    expect(next).to.include("Intro by hand.").and.include("A person's analysis.").and.include("new figures");
    expect(next).to.not.include("old figures");
    expect(mergeReport(next, "# Figures\n\nnew figures\n"), "rendering twice changes nothing").to.equal(next);
  });

  it("renders figures and verdicts from a run, and no analysis", () => {
    const report = renderReport(saved, saved.options);
    expect(report).to.include("## Targets").and.include("## Verdicts");
    expect(report).to.not.match(/What would close it|Why:|Little's law/);
  });

  it("leaves bench/RESULTS.md as the generator writes it from bench/results.json", () => {
    const committed = readFileSync(new URL("../../bench/RESULTS.md", import.meta.url), "utf8");
    expect(mergeReport(committed, renderReport(saved, saved.options))).to.equal(committed);
  });
});
