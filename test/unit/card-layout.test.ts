import { expect } from "chai";
import { stringsFor } from "../../src/cards/strings.js";
import { galleryCards } from "../helpers/cardGallery.js";
import { buttonTitles } from "../helpers/journey.js";

const s = stringsFor("en");
const cards = galleryCards("en", "execute");

/** Every object in a card tree, depth first (document order). */
function objectsIn(node: unknown, out: Array<Record<string, any>> = []): Array<Record<string, any>> {
  if (Array.isArray(node)) for (const child of node) objectsIn(child, out);
  else if (node !== null && typeof node === "object") {
    out.push(node as Record<string, any>);
    for (const value of Object.values(node)) objectsIn(value, out);
  }
  return out;
}
const label = (c: { template: string; sample: number }) => `${c.template} #${c.sample}`;

/** Issue 11, findings 2, 6 and 11: the layout rules the rendering test cannot see on its own. */
describe("card layout: decisions first, links as text, nothing hidden behind an empty row", () => {
  it("puts the invitation's decision first, in the procedure's words: Accept agreement & authorize partner, then Decline", () => {
    const actionable = cards.filter((c) => c.template === "invitation" && JSON.stringify(c.card).includes('"Decline"'));
    expect(actionable).to.have.length.above(0);
    for (const c of actionable) {
      const titles = buttonTitles(c.card);
      // Four-eyes: a second admin's first decision is Approve (the first admin accepted the agreement already).
      const first = JSON.stringify(c.card).includes(`"${s.invitations.approve}"`) ? s.invitations.approve : s.invitations.acceptTitle;
      expect(titles.slice(0, 2), label(c)).to.deep.equal([first, s.invitations.decline]);
      expect(titles, label(c)).to.not.include(s.invitations.review);
    }
  });

  it("links to the Microsoft Customer Agreement as text (markdown in a TextBlock), never as a button", () => {
    for (const c of cards.filter((c) => c.template === "invitation" || c.template === "acceptAgreement")) {
      const objects = objectsIn(c.card);
      expect(
        objects.filter((o) => o["type"] === "Action.OpenUrl" && String(o["url"]).includes("customeragreement")),
        label(c),
      ).to.deep.equal([]);
      expect(
        objects.some((o) => o["type"] === "TextBlock" && String(o["text"]).startsWith(`[${s.invitations.openAgreement}](https://`)),
        label(c),
      ).to.be.true;
    }
  });

  it("never leaves a row of actions with only the overflow menu: something to press stays a button", () => {
    for (const c of cards)
      for (const holder of objectsIn(c.card).filter((o) => Array.isArray(o["actions"]) && o["actions"].length > 0)) {
        const actions = holder["actions"] as Array<Record<string, unknown>>;
        expect(
          actions.some((a) => a["mode"] !== "secondary"),
          `${label(c)}: ${JSON.stringify(actions.map((a) => a["title"]))}`,
        ).to.be.true;
      }
  });

  it("wraps every choice and toggle label, so a role's description is never cut off", () => {
    for (const c of cards)
      for (const input of objectsIn(c.card).filter(
        (o) => o["type"] === "Input.Toggle" || (o["type"] === "Input.ChoiceSet" && o["style"] === "expanded"),
      ))
        expect(input["wrap"], `${label(c)}: ${String(input["id"])}`).to.equal(true);
  });
});
