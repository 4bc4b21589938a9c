import { expect } from "chai";
import { openUrls } from "../helpers/journey.js";
import { LINKS } from "../../src/cards/links.js";
import { renderCard, type AdaptiveCardJson, type TemplateName } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { partnerDetailsCard } from "../../src/features/relationships/views.js";
import { partnerListCard } from "../../src/features/relationships/partnerList.js";
import type { ViewContext } from "../../src/features/types.js";
import { approvalLink } from "../../src/microsoft/gdap/index.js";
import { cardSamples } from "../helpers/cardSamples.js";

/**
 * No partner is connected to Microsoft through Partner Desk yet: every relationship is Partner Desk's record of
 * what was agreed in chat. The cards that show or change a partner's roles must say so, and send the admin to
 * the admin center, where roles really take effect or end; none may claim that roles were granted or removed.
 */
const s = stringsFor("en");
const samples = cardSamples(s);

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

/**
 * A connected partner's invitation is a real GDAP request: the admin accepts the agreement in chat, and a Global
 * administrator approves the roles in the admin center. Until Microsoft says `active`, no card may claim the
 * roles were granted, and every card that shows them says they wait for that approval, with its link.
 */
describe("cards of a GDAP request that Microsoft has not activated say it waits for approval", () => {
  const APPROVAL = /^https:\/\/admin\.microsoft\.com\/AdminPortal\/Home#\/partners\/invitation\/granularAdminRelationships\/.+/;
  const gdapSamples = (name: "invitation" | "partnerList" | "partnerDetails") =>
    samples[name].map((data, index) => ({ data, index })).filter(({ data }) => JSON.stringify(data).includes("granularAdminRelationships"));

  for (const name of ["invitation", "partnerList", "partnerDetails"] as const) {
    it(`${name}: links the relationship's approval link and says "waiting for approval", claiming no grant`, () => {
      const found = gdapSamples(name);
      expect(found, `a GDAP sample of ${name}`).to.not.be.empty;
      for (const { index } of found) {
        const card = render(name, index);
        const text = JSON.stringify(card);
        expect(openUrls(card).some((url) => APPROVAL.test(url))).to.equal(true);
        expect(text).to.match(/[Ww]aiting for approval/);
        expect(text).to.not.match(/\bgranted\b|Roles granted|\bActive\b/);
      }
    });
  }

  it("titles the link as the issue asks: Approve roles in the Microsoft 365 admin center", () => {
    expect(s.invitations.approveInAdminCenter).to.equal("Approve roles in the Microsoft 365 admin center");
    expect(s.partners.approveInAdminCenter).to.equal("Approve roles in the Microsoft 365 admin center");
  });

  it("never tells the admin or the partner that a GDAP request's roles were granted or are in effect", () => {
    for (const text of [
      s.invitations.acceptedGdap,
      s.invitations.waitingForApproval,
      s.invitations.acceptIntroGdap,
      s.partnerSide.acceptedGdap,
      s.partners.gdapWaiting,
    ]) {
      expect(text).to.match(/admin center/);
      expect(text).to.not.match(/\bgrant(s|ed)\b|are active|now has|in effect now/i);
    }
  });
});

describe("the views of a GDAP relationship waiting for approval, from the records themselves", () => {
  const relationshipId = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836";
  const microsoft: MicrosoftSide = {
    relationshipId,
    displayName: "PD-0123456789abcdef0123456789abcdef",
    status: "approvalPending",
    approvalLink: approvalLink(relationshipId),
    syncedAt: "2026-12-01T10:00:00.000Z",
  };
  const view: ViewContext = {
    identity: { tenantId: "t", userId: "u", name: "Ada", locale: "en" },
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    now: new Date("2026-12-01T10:05:00.000Z"),
  };
  const relationship = (side: MicrosoftSide | undefined): Relationship => ({
    tenantId: "t",
    partnerId: "contoso",
    partnerName: "Contoso",
    types: ["delegatedAdministrator"],
    roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" }],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: "2026-12-01T10:00:00.000Z",
    ...(side ? { microsoft: side } : {}),
  });

  it("the partner list and details say waiting for approval and link the approval, not Active, until Microsoft says active", () => {
    for (const card of [partnerListCard(view, [relationship(microsoft)]), partnerDetailsCard(view, relationship(microsoft), [])]) {
      expect(openUrls(card)).to.include(microsoft.approvalLink);
      expect(JSON.stringify(card)).to.include(s.partners.waitingForApproval).and.not.to.include(`"${s.partners.statuses.active}"`);
    }
    const active = partnerDetailsCard(view, relationship({ ...microsoft, status: "active" }), []);
    expect(openUrls(active)).to.not.include(microsoft.approvalLink);
    expect(JSON.stringify(active)).to.include(`"${s.partners.statuses.active}"`);
  });

  it("a standalone relationship keeps Partner Desk's record-only text and the admin center link", () => {
    const card = partnerDetailsCard(view, relationship(undefined), []);
    expect(JSON.stringify(card)).to.include(JSON.stringify(s.partners.recordedOnly).slice(1, -1));
    expect(openUrls(card)).to.include(LINKS.adminCenterPartners);
  });
});

/**
 * A removal (issue 10, item 5): carried out by a connected partner's connection, a card says exactly what Microsoft
 * answered; when Microsoft refused or did not answer, that nothing was removed and nothing changed; recorded only,
 * that it is Partner Desk's record and the admin center is where the roles go.
 */
describe("removal cards say what Microsoft answered, or that Partner Desk only recorded it", () => {
  it("removeRolesConfirm: a connected partner's card says its connection removes the roles, and no GDAP relationship without roles", () => {
    const connected = samples.removeRolesConfirm.findIndex((d) => (d as { carriedOut: string }).carriedOut !== "");
    expect(connected).to.be.at.least(0);
    const text = JSON.stringify(render("removeRolesConfirm", connected));
    expect(text).to.include("its connection removes the roles you choose in Microsoft 365").and.include("ends Contoso's GDAP relationship");
    expect(text).to.not.include(JSON.stringify(s.partners.removeAlsoInAdminCenter).slice(1, -1));
  });

  it("removeRolesConfirm: every role is a choice, all ticked, Global administrator flagged", () => {
    const card = render("removeRolesConfirm") as { body: Array<Record<string, any>>; actions: Array<Record<string, any>> };
    const choice = card.body.find((b) => b["type"] === "Input.ChoiceSet")!;
    expect(choice).to.deep.include({ id: "roleIds", isMultiSelect: true, isRequired: true });
    expect(choice["value"]).to.equal(choice["choices"].map((c: { value: string }) => c.value).join(","));
    expect(choice["choices"][0].title).to.include(s.roles.globalAdministrator.name).and.include(s.common.broadestRole);
    expect(JSON.stringify(card)).to.include(s.partners.removeGlobalAdmin);
    // An empty choice is left out of what the client sends: the flag tells the bot the card offered the choice.
    expect(card.actions[0]!["data"]).to.deep.include({ chooseRoles: true });
  });

  it("never says roles were removed while Microsoft only accepted the removal or is ending the relationship", () => {
    for (const text of [
      s.partners.removalAcceptedInMicrosoft,
      s.partners.endRequestedInMicrosoft,
      s.partnerSide.rolesRemovedInMicrosoft.accepted,
      s.partnerSide.rolesRemovedInMicrosoft.terminationRequested,
      s.partnerSide.endConfirmedInMicrosoft,
      s.partnerSide.endedInMicrosoft,
    ]) {
      expect(text).to.match(/Microsoft/);
      expect(text).to.not.match(/were removed|no longer ha(s|ve)|roles are gone|has been removed|Removed in Microsoft/);
    }
    expect(s.partners.removedInMicrosoft).to.match(/^Removed in Microsoft 365: Microsoft confirmed/);
  });

  it("says nothing was removed and nothing changed in Partner Desk whenever Microsoft refused or did not answer", () => {
    for (const text of [
      s.partners.removalConflict,
      s.partners.removalUnavailable,
      s.partners.removalConnectionBroken,
      s.partners.removalNotActive,
      s.partners.removalRefused,
    ]) {
      expect(text).to.match(/^Nothing was removed: /);
      expect(text).to.include("Nothing was changed in Partner Desk");
    }
    expect(s.partners.removalConflict).to.include("changed in Microsoft meanwhile");
    expect(s.partners.removalWaiting).to.include("waiting for approval").and.include("don't approve it").and.include("Nothing was changed");
  });

  it("recorded only: the admin's and the partner's texts say Partner Desk recorded it and where it really ends", () => {
    expect(s.partners.rolesRemoved)
      .to.match(/^Recorded in Partner Desk/)
      .and.include("remove them in the admin center");
    expect(s.partnerSide.endConfirmed).to.include("in Partner Desk").and.include("in Partner Center too");
    expect(s.partnerSide.endConfirmed).to.not.match(/roles you held are gone/);
  });

  it("the connection card tells a partner its connection carries out customers' removals and end requests, and that it agrees to this", () => {
    const point = s.partnerSide.connection.pointCarryOut;
    expect(point).to.include("removal of roles").and.include("requests to end a relationship").and.include("you agree to this");
  });
});
