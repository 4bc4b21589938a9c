import { expect } from "chai";
import { TEMPLATES, type TemplateName } from "../../src/cards/render.js";
import { LOCALES } from "../../src/cards/strings.js";
import { galleryCards } from "../helpers/cardGallery.js";
import { CHAT_WIDTH, hostConfig, openCardRenderer, type CardRenderer } from "../helpers/cardRenderer.js";
import { cardSamples } from "../helpers/cardSamples.js";
import { stringsFor } from "../../src/cards/strings.js";

/**
 * Every card, drawn by Microsoft's adaptivecards renderer with Teams' light host config at chat width in a real
 * Chromium (from npm: @sparticuz/chromium), must show every button title whole, stay within the host's action
 * limit and parse without a warning. Issue 11 finding 6: at 450 px the decision row read "Re…", "De…".
 */
describe("cards as Teams draws them (adaptivecards renderer, Teams light host config, 450 px, Chromium)", function () {
  // Launching the browser is the slow part (about a second); every card after it takes a few milliseconds.
  this.timeout(120_000);
  let renderer: CardRenderer;
  const problemsOf = async (card: unknown) => (await renderer.render(card, { theme: "light", width: CHAT_WIDTH })).problems;

  before(async () => {
    renderer = await openCardRenderer();
  });
  after(async () => {
    await renderer?.close();
  });

  it("has sample data for every template", () => {
    const samples = cardSamples(stringsFor("en")) as Record<string, readonly unknown[]>;
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) expect(samples[name], name).to.have.length.above(0);
  });

  for (const locale of Object.keys(LOCALES))
    for (const style of ["execute", "submit"] as const)
      it(`draws every card (${locale}, ${style === "execute" ? "Teams" : "Emulator"} actions) with whole button titles, within maxActions, without a parse or validation event`, async () => {
        const found: string[] = [];
        for (const { template, sample, card } of galleryCards(locale, style))
          for (const problem of await problemsOf(card)) found.push(`${template} #${sample}: ${problem}`);
        expect(found).to.deep.equal([]);
      });

  describe("catches what it is there to catch", () => {
    const card = (actions: unknown[], body: unknown[] = []) => ({ type: "AdaptiveCard", version: "1.5", body, actions });
    const execute = (title: string, extra: Record<string, unknown> = {}) => ({ type: "Action.Execute", title, verb: "x", ...extra });

    it("a button title cut at 450 px (the decision row as it was)", async () => {
      const problems = await problemsOf(
        card([
          execute("Review"),
          execute("Decline"),
          { type: "Action.OpenUrl", title: "Read the Microsoft Customer Agreement", url: "https://example.com" },
          execute("Back"),
        ]),
      );
      expect(problems.join("\n")).to.include('button "Read the Microsoft Customer Agreement" is cut');
    });

    it("a cut button inside an Action.ShowCard", async () => {
      const inner = card([execute("Contact partner to end the relationship"), execute("Accept agreement & authorize partner")]);
      const problems = await problemsOf(card([{ type: "Action.ShowCard", title: "More", card: inner }]));
      expect(problems.join("\n")).to.match(/in "More": button "(Contact partner|Accept agreement)[^"]*" is cut/);
    });

    it(`more actions than Teams' host config allows (maxActions ${hostConfig("light").actions.maxActions})`, async () => {
      const many = Array.from({ length: hostConfig("light").actions.maxActions + 1 }, (_, i) => execute(`A${i}`, { mode: "secondary" }));
      const problems = await problemsOf(card(many));
      expect(problems.join("\n")).to.include("has 7 actions; the host config allows 6");
    });

    it("a choice cut off because it does not wrap (finding 11: the partner's role choices)", async () => {
      const choices = [
        { title: "Helpdesk administrator: Can reset passwords for non-administrators and manage support requests.", value: "h" },
      ];
      const choiceSet = { type: "Input.ChoiceSet", id: "roles", isMultiSelect: true, style: "expanded", choices };
      expect((await problemsOf(card([], [choiceSet]))).join("\n")).to.include('text "Helpdesk administrator: Can reset');
      expect(await problemsOf(card([], [{ ...choiceSet, wrap: true }]))).to.deep.equal([]);
    });

    it("a parse warning: an unknown element and an invalid property value", async () => {
      const problems = await problemsOf(
        card(
          [],
          [
            { type: "TextBlok", text: "x" },
            { type: "TextBlock", text: "y", size: "Huge" },
          ],
        ),
      );
      expect(problems.some((p) => p.startsWith("parse: "))).to.be.true;
      expect(problems.join("\n")).to.include("TextBlok");
    });

    it("a validation failure: two inputs with the same id", async () => {
      const input = { type: "Input.Text", id: "same" };
      const problems = await problemsOf(card([], [input, input]));
      expect(problems.some((p) => p.startsWith("validation: "))).to.be.true;
    });

    it('but not a long title in the overflow menu: `mode: "secondary"` actions sit behind "...", not in the row', async () => {
      const problems = await problemsOf(
        card([
          execute("Accept"),
          execute("Contact partner to end the relationship", { mode: "secondary" }),
          execute("Back", { mode: "secondary" }),
        ]),
      );
      expect(problems).to.deep.equal([]);
    });
  });
});
