import { expect } from "chai";
import { formatMessage } from "../../src/cards/messages.js";
import { languageOf, LOCALES, registerLocale, resolveLocale, stringsFor, writingLocale, type Strings } from "../../src/cards/strings.js";

const s = stringsFor("en");

describe("formatMessage: ICU messages in the language of the strings they come from", () => {
  it("fills placeholders, the same one several times", () => {
    expect(formatMessage(s, "{partner} asks for {count} roles, {partner} says", { partner: "Contoso", count: 3 })).to.equal(
      "Contoso asks for 3 roles, Contoso says",
    );
  });

  it('picks the plural form: "1 partner found", "2 partners found", and writes the count as English does', () => {
    const summary = (count: number) => formatMessage(s, s.findPartner.resultsSummary, { count, page: 1, pageCount: 4 });
    expect([0, 1, 2, 1000].map(summary)).to.deep.equal([
      "0 partners found · page 1 of 4",
      "1 partner found · page 1 of 4",
      "2 partners found · page 1 of 4",
      "1,000 partners found · page 1 of 4",
    ]);
    expect(formatMessage(s.partnerSide, s.partnerSide.connection.connected, { count: 1 })).to.equal(
      "Connected to Microsoft: 1 relationship visible",
    );
    expect(formatMessage(s, s.findPartner.sent, { count: 3 })).to.include("went to 3 partners.");
  });

  it("formats numbers and dates by the message's language, not the reader's (no Swedish digits in an English sentence)", () => {
    // The English strings are what a de-DE or sv-SE reader gets while their language has no file.
    expect(formatMessage(stringsFor("de-DE"), s.findPartner.businessNeedsTooLong, { max: 4000 })).to.include("at most 4,000 characters");
    expect(formatMessage(s, "{when, date, medium}", { when: new Date("2026-11-24T23:30:00Z") })).to.equal("Nov 24, 2026");
  });

  it("uses the language of the strings object it is given, nested objects included", () => {
    const undo = registerLocale("qx", structuredClone(s));
    try {
      const qx = LOCALES["qx"] as Strings;
      expect(languageOf(qx)).to.equal("qx");
      expect(languageOf(qx.partnerSide.connection)).to.equal("qx");
      expect(languageOf(s.partnerSide.connection)).to.equal("en");
      // "qx" has no plural rules or digits of its own: the runtime's default applies, and nothing throws.
      expect(formatMessage(qx, qx.findPartner.resultsSummary, { count: 2, page: 1, pageCount: 1 })).to.include("2 partners found");
    } finally {
      undo();
    }
  });

  it("refuses a placeholder it has no value for, even one named like an Object property", () => {
    expect(() => formatMessage(s, "Hello {name}", {})).to.throw(/name/);
    expect(() => formatMessage(s, "Hi {toString}", { name: "Avery" })).to.throw(/toString/);
  });

  it("chooses the words for a decision inside the sentence (select), rather than pasting a status word in", () => {
    const values = { by: "Bea Billing", date: "Nov 24, 2026, 14:05" };
    expect(formatMessage(s, s.invitations.alreadyDecided, { ...values, status: "declined" })).to.equal(
      "This invitation was already declined by Bea Billing on Nov 24, 2026, 14:05 UTC. Nothing was changed.",
    );
    expect(formatMessage(s, s.invitations.alreadyDecidedByYou, { ...values, status: "accepted" })).to.equal(
      "You already accepted this invitation on Nov 24, 2026, 14:05 UTC. Nothing was changed.",
    );
    expect(formatMessage(s, s.invitations.alreadyDecidedByYou, { ...values, status: "withdrawn" })).to.match(
      /^This invitation was already withdrawn/,
    );
  });

  it("treats < and > as text, not markup", () => {
    expect(formatMessage(s, "<b>{name}</b>", { name: "Avery" })).to.equal("<b>Avery</b>");
  });
});

describe("resolving a reader's locale to a language with a file", () => {
  it("picks a registered language by the locale's language subtag, whatever its case or separator", () => {
    const undo = registerLocale("qx", structuredClone(s));
    try {
      for (const locale of ["qx", "qx-FI", "QX_fi"]) expect(resolveLocale(locale), locale).to.equal("qx");
      expect(stringsFor("qx-FI")).to.equal(LOCALES["qx"]);
    } finally {
      undo();
    }
    expect(resolveLocale("qx-FI")).to.equal("en");
  });

  it("falls back to English for a language without a file", () => {
    for (const locale of ["de-DE", "fr", "zz-ZZ"]) expect(stringsFor(locale), locale).to.equal(s);
  });

  it("gives a language file's missing sentence in English rather than nothing", () => {
    const partial = structuredClone(s) as unknown as { welcome: Record<string, unknown> };
    delete partial.welcome["title"];
    const undo = registerLocale("qx", partial);
    try {
      expect((LOCALES["qx"] as Strings).welcome.title).to.equal(s.welcome.title);
    } finally {
      undo();
    }
  });

  it("writes dates and numbers by the reader's locale when their language has a file, by the text's language otherwise", () => {
    expect(writingLocale("en-GB")).to.equal("en-GB");
    expect(writingLocale("de-DE")).to.equal("en");
    expect(writingLocale(undefined)).to.equal("en");
    const undo = registerLocale("qx", structuredClone(s));
    try {
      expect(writingLocale("qx-FI")).to.equal("qx-FI");
    } finally {
      undo();
    }
  });

  it("takes a test's language away again, giving back the one registered before it", () => {
    const first = registerLocale("qx", structuredClone(s));
    const firstStrings = LOCALES["qx"];
    const second = registerLocale("qx", structuredClone(s));
    expect(LOCALES["qx"]).to.not.equal(firstStrings);
    second();
    expect(LOCALES["qx"]).to.equal(firstStrings);
    first();
    expect(LOCALES).to.not.have.property("qx");
  });
});
