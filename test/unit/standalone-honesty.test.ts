import { expect } from "chai";
import { LINKS } from "../../src/cards/links.js";
import { renderCard, type AdaptiveCardJson, type TemplateName } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { cardSamples } from "../helpers/cardSamples.js";

/**
 * No partner is connected to Microsoft through Partner Desk yet: every relationship is Partner Desk's record of
 * what was agreed in chat. The cards that show or change a partner's roles must say so, and send the admin to
 * the admin center, where roles really take effect or end; none may claim that roles were granted or removed.
 */
const s = stringsFor("en");
const samples = cardSamples(s);

function openUrls(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(openUrls);
  if (node === null || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = record["type"] === "Action.OpenUrl" && typeof record["url"] === "string" ? [record["url"]] : [];
  return [...own, ...Object.values(record).flatMap(openUrls)];
}

const render = (name: TemplateName, index = 0): AdaptiveCardJson =>
  renderCard(name, samples[name][index] as never, { strings: s, actionStyle: "execute" });

describe("cards say what is recorded in Partner Desk only, and where roles really change", () => {
  for (const [name, text] of [
    ["partnerDetails", s.partners.recordedOnly],
    ["removeRolesConfirm", s.partners.removeAlsoInAdminCenter],
  ] as const) {
    it(`${name}: says the roles change in Microsoft 365 only in the admin center, and links its partner relationships page`, () => {
      const card = render(name);
      expect(JSON.stringify(card)).to.include(JSON.stringify(text).slice(1, -1));
      expect(openUrls(card)).to.include(LINKS.adminCenterPartners);
    });
  }

  it("partnerList: says the list is Partner Desk's record and links the admin center, when there are partners", () => {
    const withPartners = samples.partnerList.findIndex((d) => (d as { partners: unknown[] }).partners.length > 0);
    expect(withPartners).to.be.at.least(0);
    const card = render("partnerList", withPartners);
    expect(JSON.stringify(card)).to.include(JSON.stringify(s.partners.listRecordedOnly).slice(1, -1));
    expect(openUrls(card)).to.include(LINKS.adminCenterPartners);
  });

  it("links only to Microsoft's admin center over https", () => {
    expect(new URL(LINKS.adminCenterPartners).protocol).to.equal("https:");
    expect(new URL(LINKS.adminCenterPartners).hostname).to.equal("admin.microsoft.com");
  });

  it("never tells an admin or a partner that roles were granted or removed in Microsoft 365", () => {
    for (const text of [
      s.invitations.accepted,
      s.partners.rolesRemoved,
      s.partnerSide.accepted,
      s.partnerSide.rolesRemoved,
      s.partnerSide.ended,
    ]) {
      expect(text).to.match(/Partner Desk/);
      expect(text).to.match(/admin center/);
      expect(text).to.not.match(/no longer has admin roles|Roles granted|roles are gone|were removed:/);
    }
  });
});
