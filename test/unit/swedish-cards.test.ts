import { expect } from "chai";
import { galleryCards } from "../helpers/cardGallery.js";
import { SAMPLE_DATA_PHRASES } from "../helpers/cardSamples.js";
import { REVIEW_SAMPLE_DATA } from "../helpers/reviewCardSamples.js";
import { dataPhrases, englishIn, readableTexts } from "../helpers/englishScan.js";

/*
 * Every card the bot can send, written for a Swedish reader, holds no English sentence: the gallery's cards in sv
 * (their samples written in the card's language, as the views write them), scanned for English-only words.
 * test/e2e/admin-journey.test.ts and test/e2e/partner-side-sv.test.ts scan what the bot really sends on the way.
 */
describe("Swedish cards: no English left", () => {
  const data = dataPhrases([...SAMPLE_DATA_PHRASES, ...REVIEW_SAMPLE_DATA]);

  for (const style of ["execute", "submit"] as const) {
    it(`finds no English-only word on any card in sv (${style} actions)`, () => {
      const found = galleryCards("sv", style).flatMap((c) =>
        englishIn(c.card, data).map((f) => `${c.template} #${c.sample}: "${f.word}" in "${f.text}"`),
      );
      expect(found).to.deep.equal([]);
    });
  }

  it("is a scan that finds English: the same cards in en are full of it", () => {
    const cards = galleryCards("en", "execute");
    const withEnglish = cards.filter((c) => englishIn(c.card, data).length > 0);
    expect(withEnglish.length).to.be.greaterThan(cards.length / 2);
  });

  it("reads what a person reads and not the data behind the buttons", () => {
    const card = {
      type: "AdaptiveCard",
      body: [
        { type: "TextBlock", text: "Hej" },
        { type: "FactSet", facts: [{ title: "Status", value: "Väntar" }] },
        { type: "Input.Text", id: "x", label: "Namn", placeholder: "T.ex. Ada", value: "typed by the user" },
      ],
      actions: [{ type: "Action.Execute", title: "Skicka", verb: "v", data: { note: "the English data" } }],
    };
    expect(readableTexts(card)).to.deep.equal(["Hej", "Status", "Väntar", "Namn", "T.ex. Ada", "Skicka"]);
    expect(englishIn(card)).to.deep.equal([]);
    expect(
      englishIn({ body: [{ type: "TextBlock", text: "You declined [the invitation](https://x.example/the)" }] }).map((f) => f.word),
    ).to.deep.equal(["you", "declined", "the", "invitation"]);
  });
});
