import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import type { ViewContext } from "../../src/features/types.js";
import { PARTNER_PAGE_SIZE, partnerListCard, riskFlags } from "../../src/features/relationships/partnerList.js";
import { buttonData, buttonTitles } from "../helpers/journey.js";
import { manyRelationships } from "../helpers/manyRelationships.js";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const s = stringsFor("en");
const ctx: ViewContext = {
  identity: { tenantId: "t1", userId: "u1", name: "Ada", locale: "en-GB" },
  strings: s,
  card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
  now: NOW,
};
/** Teams refuses cards past about 28 KB; the list keeps far below it. */
const TEAMS_CARD_LIMIT = 28 * 1024;

const all = manyRelationships("t1", 35, NOW);
const current = all.filter((r) => r.status === "active");
const ended = all.filter((r) => r.status !== "active");
const namesOn = (card: unknown) => [...JSON.stringify(card).matchAll(/Partner (\d\d) Managed/g)].map((m) => m[1] ?? "");

describe("the partner list (finding 15)", () => {
  it("shows 35 relationships a page at a time, well under Teams' card size limit", () => {
    expect(current).to.have.length(28);
    const first = partnerListCard(ctx, all);
    expect(new Set(namesOn(first)).size).to.equal(PARTNER_PAGE_SIZE);
    expect(JSON.stringify(first)).to.include("Showing 1–10 of 28");
    expect(Buffer.byteLength(JSON.stringify(first))).to.be.below(TEAMS_CARD_LIMIT * 0.75);
    expect(buttonTitles(first)).to.include("Next").and.not.include("Previous");
    expect(buttonData(first, "Next")).to.deep.equal({ verb: "relationships.list", data: { page: 1, showEnded: false } });
  });

  it("pages forward to the last page and back, each relationship on exactly one page", () => {
    const seen: string[] = [];
    for (let page = 0; page < 3; page++) seen.push(...new Set(namesOn(partnerListCard(ctx, all, null, { page, showEnded: false }))));
    expect(seen).to.have.length(28);
    expect(new Set(seen).size).to.equal(28);
    const last = partnerListCard(ctx, all, null, { page: 2, showEnded: false });
    expect(JSON.stringify(last)).to.include("Showing 21–28 of 28");
    expect(buttonTitles(last)).to.include("Previous").and.not.include("Next");
    expect(buttonData(last, "Previous").data).to.deep.equal({ page: 1, showEnded: false });
  });

  it("shows the last page for a page past the end (the list shrank since the card was sent)", () => {
    expect(JSON.stringify(partnerListCard(ctx, all, null, { page: 99, showEnded: false }))).to.include("Showing 21–28 of 28");
  });

  it("after a decision about one partner, shows the page that lists it, so the banner's partner is on the card", () => {
    const card = JSON.stringify(partnerListCard(ctx, all, null, { page: 0, showEnded: false, focus: "partner-33" }));
    expect(card).to.include("Partner 33 Managed").and.include("Showing 21–28 of 28");
    const unknown = JSON.stringify(partnerListCard(ctx, all, null, { page: 0, showEnded: false, focus: "nobody" }));
    expect(unknown).to.include("Showing 1–10 of 28");
  });

  it("hides ended relationships by default, and lists them on Show ended", () => {
    const first = partnerListCard(ctx, all);
    expect(JSON.stringify(first)).to.not.include('"Ended"');
    expect(buttonData(first, `Show ended (${ended.length})`).data).to.deep.equal({ page: 0, showEnded: true });
    const withEnded = partnerListCard(ctx, all, null, { page: 0, showEnded: true });
    expect(JSON.stringify(withEnded)).to.include("Showing 1–10 of 35").and.include('"Ended"');
    expect(buttonData(withEnded, "Next").data).to.deep.equal({ page: 1, showEnded: true });
    expect(buttonData(withEnded, "Hide ended").data).to.deep.equal({ page: 0, showEnded: false });
  });

  it("says why the list is empty when every relationship has ended, and offers them", () => {
    const card = partnerListCard(ctx, ended);
    expect(JSON.stringify(card)).to.include(s.partners.noneCurrent);
    expect(buttonTitles(card)).to.include(`Show ended (${ended.length})`);
  });

  it("keeps at most two primary buttons: paging first, the rest in the overflow", () => {
    const card = partnerListCard(ctx, all, null, { page: 1, showEnded: false }) as { actions: Array<{ title: string; mode?: string }> };
    const primary = card.actions.filter((a) => a.mode !== "secondary").map((a) => a.title);
    expect(primary).to.deep.equal(["Previous", "Next"]);
    const single = partnerListCard(ctx, all.slice(0, 3)) as { actions: Array<{ title: string; mode?: string }> };
    expect(single.actions.filter((a) => a.mode !== "secondary").map((a) => a.title)).to.deep.equal([s.common.menu]);
  });

  it("flags Global administrator, an agreement not accepted and an end within 30 days, per row", () => {
    const base = current[1]!;
    const endsAt = addDays(NOW.toISOString(), 12);
    const risky = {
      ...base,
      roles: [{ roleId: ROLE.globalAdministrator, expiresAt: endsAt }],
      agreement: { status: "notAccepted" as const },
      endsAt,
    };
    expect(riskFlags(risky, ctx)).to.deep.equal(["Global administrator", "Agreement not accepted", "Ends soon (11 Dec 2026)"]);
    const calm = {
      ...base,
      roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: endsAt }],
      agreement: { status: "accepted" as const, version: "2024-06" },
      endsAt: addDays(NOW.toISOString(), 31),
    };
    expect(riskFlags(calm, ctx)).to.deep.equal([]);
    expect(riskFlags({ ...risky, status: "terminated" }, ctx), "an ended relationship has no risk left").to.deep.equal([]);
    const card = JSON.stringify(partnerListCard(ctx, [risky, { ...calm, partnerId: "calm", partnerName: "Calm" }]));
    expect(card).to.include("Global administrator · Agreement not accepted · Ends soon (11 Dec 2026)");
  });
});
