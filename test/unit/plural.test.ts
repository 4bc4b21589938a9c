import { expect } from "chai";
import { stringsFor } from "../../src/cards/strings.js";
import { plural } from "../../src/features/cardText.js";

const s = stringsFor("en");

describe('plural forms (issue 11 finding 11: no more "1 partners")', () => {
  it("picks the form Intl.PluralRules gives for the count: one for 1, other for 0, 2 and 1,000", () => {
    const forms = { one: "{count} partner", other: "{count} partners" };
    expect([0, 1, 2, 1000].map((n) => plural(forms, n, "en"))).to.deep.equal(["0 partners", "1 partner", "2 partners", "1,000 partners"]);
  });

  it("fills the other placeholders and writes the count as the locale does", () => {
    const summary = plural(s.findPartner.resultsSummary, 1, "en", { page: 1, pageCount: 1 });
    expect(summary).to.equal("1 partner found · page 1 of 1");
    expect(plural(s.findPartner.resultsSummary, 38, "en", { page: 2, pageCount: 4 })).to.equal("38 partners found · page 2 of 4");
    expect(plural({ one: "{count} x", other: "{count} xs" }, 1234, "de")).to.equal("1.234 xs");
  });

  it("falls back to English rules for a tag the runtime does not know", () => {
    expect(plural({ one: "one", other: "other" }, 1, "not a locale!")).to.equal("one");
  });

  it("gives every counted sentence in en.json both forms", () => {
    for (const forms of [s.findPartner.resultsSummary, s.findPartner.sent, s.partnerSide.connection.connected]) {
      expect(forms.one).to.include("{count}");
      expect(forms.other).to.include("{count}");
      expect(forms.one).to.not.equal(forms.other);
    }
  });
});
