import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { LOCALES, stringsFor } from "../../src/cards/strings.js";
import { MENU } from "../../src/features/menu/entries.js";
import { PARTNER_MENU } from "../../src/features/partner-side/home.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { TEXT_COMMANDS } from "../helpers/legacyTextCommands.js";
import { INTENTS } from "../../src/features/typed-requests/intents.js";
import { findName, findPlace, IntentRecogniser } from "../../src/features/typed-requests/recognise.js";
import { understandTyped, type TypedContext } from "../../src/features/typed-requests/understand.js";
import { ALL_VERBS, VERBS } from "../../src/features/verbs.js";

/*
 * Typed requests: the intent table, read the way people type (any word order, filler, typos), and the names a
 * sentence holds (partners of the tenant, places of the directory), read through small fakes of the ports.
 */

const s = stringsFor("en");
const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const NOW = "2026-12-01T10:00:00.000Z";

const relationship = (partnerId: string, partnerName: string) => ({ value: { partnerId, partnerName } as Relationship, etag: "W/1" });
const invitation = (id: string, partnerName: string, expiresAt = "2027-02-01T00:00:00.000Z") => ({
  value: { id, partnerName, partnerId: id, status: "pending", expiresAt } as Invitation,
  etag: "W/1",
});

interface World {
  invitations?: Array<ReturnType<typeof invitation>>;
}

function contextFor(world: World = {}): TypedContext & { reads: string[] } {
  const reads: string[] = [];
  const ctx = {
    identity: { tenantId: TENANT, userId: "admin", name: "Ada", locale: "en-US" },
    roles: async () => [],
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    now: new Date(NOW),
    correlationId: "corr-typed",
    reads,
    ports: {
      relationships: {
        get: async () => undefined,
        listForTenant: async () => {
          reads.push("relationships");
          return [
            relationship("northwind-managed-services", "Northwind Managed Services"),
            relationship("alpine-cloud-ab", "Alpine Cloud AB"),
          ];
        },
      },
      invitations: {
        get: async () => undefined,
        listPending: async () => {
          reads.push("invitations");
          return world.invitations ?? [invitation("demo-invitation-1", "Contoso Cloud Partners")];
        },
      },
      partners: {
        search: async () => ({}) as never,
        get: async () => undefined,
        partnerOfContact: async () => undefined,
        places: async () => {
          reads.push("places");
          return ["New York", "Stockholm", "Sweden", "Sverige", "Gothenburg", "Göteborg", "São Paulo", "Brazil", "United States"];
        },
      },
    },
  } satisfies TypedContext & { reads: string[] };
  return ctx;
}

describe("typed requests: the intent table", () => {
  const recogniser = new IntentRecogniser();
  const phrasings: Array<[string, string | undefined]> = [
    ["show invitations", "invitations"],
    ["Invitations", "invitations"],
    ["any pending invites?", "invitations"],
    ["invitatons", "invitations"],
    ["partners please", "partners"],
    ["show me my partners", "partners"],
    ["partnrs", "partners"],
    ["relationships", "partners"],
    ["remove roles from Northwind", "removeRoles"],
    ["Northwind: remove their roles", "removeRoles"],
    ["revoke Northwind", "removeRoles"],
    ["I want to find a partner in Stockholm", "findPartner"],
    ["search partners", "findPartner"],
    ["looking for a new partner", "findPartner"],
    ["accept", "accept"],
    ["accept the invitation", "accept"],
    ["approve Contoso", "accept"],
    ["decline", "decline"],
    ["cancel", "cancel"],
    ["never mind", "cancel"],
    ["help", "menu"],
    ["menu", "menu"],
    ["?", "menu"],
    ["hello", "menu"],
    ["partner types", "partnerTypes"],
    ["what partner types are there", "partnerTypes"],
    ["types", "partnerTypes"],
    ["find a partner", "findPartner"],
    ["end relationship with Northwind", "endRelationship"],
    ["terminate northwind", "endRelationship"],
    ["connect to Microsoft", "connection"],
    ["reset demo", "resetDemo"],
    ["please reset the demo", "resetDemo"],
    ["what's the weather like", undefined],
    ["asdf qwerty", undefined],
    ["Northwind", undefined],
    ["", undefined],
  ];
  for (const [text, intent] of phrasings) {
    it(`reads ${JSON.stringify(text)} as ${intent ?? "no request"}`, () => {
      expect(recogniser.recognise(text).row?.intent).to.equal(intent);
    });
  }

  // Swedish (issue 12, item 4): understood whatever the reader's locale; accents optional.
  const swedish: Array<[string, string | undefined]> = [
    ["hej", "menu"],
    ["Hej!", "menu"],
    ["hjälp", "menu"],
    ["hjalp", "menu"],
    ["meny", "menu"],
    ["hitta partner", "findPartner"],
    ["sök partner", "findPartner"],
    ["sok partner", "findPartner"],
    ["hitta en partner i Göteborg", "findPartner"],
    ["jag letar efter en ny partner", "findPartner"],
    ["inbjudningar", "invitations"],
    ["visa mina inbjudningar", "invitations"],
    ["inbjudan", "invitations"],
    ["inbjudningarna", "invitations"],
    ["partner", "partners"],
    ["mina partner", "partners"],
    ["visa relationer", "partners"],
    ["partnertyper", "partnerTypes"],
    ["vilka partnertyper finns det?", "partnerTypes"],
    ["vad är en återförsäljare", "partnerTypes"],
    ["avbryt", "cancel"],
    ["glöm det", "cancel"],
    ["acceptera", "accept"],
    ["acceptera inbjudan från Contoso", "accept"],
    ["avböj", "decline"],
    ["avboj", "decline"],
    ["ta bort roller", "removeRoles"],
    ["ta bort roller från Northwind", "removeRoles"],
    ["ta bort roller fran northwind", "removeRoles"],
    ["avsluta relationen med Northwind", "endRelationship"],
    ["anslut till Microsoft", "connection"],
    ["återställ demon", "resetDemo"],
    ["skickade inbjudningar", "invitationsSent"],
    ["mina kunder", "customers"],
    ["förfrågningar", "contactRequests"],
    ["vad blir vädret i Paris i morgon", undefined],
    ["tack", undefined],
  ];
  for (const [text, intent] of swedish) {
    it(`reads the Swedish ${JSON.stringify(text)} as ${intent ?? "no request"}`, () => {
      expect(recogniser.recognise(text).row?.intent).to.equal(intent);
    });
  }

  it("keeps only the names of a Swedish sentence: 'ta bort roller från Northwind' leaves northwind", () => {
    expect(recogniser.recognise("ta bort roller från Northwind").rest).to.deep.equal(["northwind"]);
    expect(recogniser.recognise("hitta en partner i Göteborg för säkerhet").rest).to.deep.equal(["goteborg", "sakerhet"]);
  });

  it("keeps the words that are not triggers for the names: 'remove roles from Northwind' leaves northwind", () => {
    expect(recogniser.recognise("remove roles from Northwind").rest).to.deep.equal(["northwind"]);
  });

  it("understands every text command of the menu as the verb it ran before", () => {
    for (const [command, verb] of TEXT_COMMANDS) {
      const row = recogniser.recognise(command).row;
      expect(row?.verb, command).to.equal(verb);
    }
  });

  it("understands every command a menu shows, in each language it is shown in", () => {
    // The partner's "invitations" reaches the invitations list, whose handler shows a partner contact their own view.
    const sameView: Partial<Record<string, string>> = { [VERBS.partnerSide.invitations]: VERBS.invitations.list };
    for (const locale of Object.keys(LOCALES)) {
      const strings = stringsFor(locale);
      for (const entry of [...MENU, ...PARTNER_MENU]) {
        const command = entry.command(strings);
        expect(recogniser.recognise(command).row?.verb, `${locale}: "${command}"`).to.be.oneOf([entry.verb, sameView[entry.verb]]);
      }
    }
  });

  it("has one row per intent, each with a verb the router answers", () => {
    const names = INTENTS.map((row) => row.intent);
    expect(new Set(names).size).to.equal(names.length);
    for (const row of INTENTS) expect(ALL_VERBS).to.include(row.verb);
  });

  it("lets a new row win on its own words without touching the others (how partner-contact words are added)", () => {
    const extended = new IntentRecogniser([
      ...INTENTS,
      { intent: "invitationsSent", verb: VERBS.invitations.list, weight: 1, words: ["invitations sent", "sent invitations"] },
    ]);
    expect(extended.recognise("invitations sent").row?.intent).to.equal("invitationsSent");
    expect(extended.recognise("invitations").row?.intent).to.equal("invitations");
  });
});

describe("typed requests: names in a sentence", () => {
  const partners = [
    { id: "northwind-managed-services", name: "Northwind Managed Services" },
    { id: "contoso-cloud-partners", name: "Contoso Cloud Partners" },
  ];
  it("finds a partner by any word of its name, with a typo or a prefix", () => {
    expect(findName(["northwnd"], partners)?.id).to.equal("northwind-managed-services");
    expect(findName(["contoso"], partners)?.id).to.equal("contoso-cloud-partners");
    expect(findName(["north"], partners)?.id).to.equal("northwind-managed-services");
    expect(findName(["weather"], partners)).to.equal(undefined);
  });
  it("finds a place only as a whole name, and says which words named it", () => {
    const places = ["New York", "Stockholm", "Sweden"];
    expect(findPlace(["stokholm"], places)).to.deep.equal({ place: "Stockholm", words: ["stokholm"] });
    expect(findPlace(["new", "york", "security"], places)?.place).to.equal("New York");
    expect(findPlace(["new"], places)).to.equal(undefined);
  });
});

describe("typed requests: what runs", () => {
  it("'remove roles from Northwind' opens Northwind's Remove roles step", async () => {
    expect(await understandTyped("remove roles from Northwind", contextFor())).to.deep.equal({
      verb: VERBS.relationships.removeRolesConfirm,
      data: { partnerId: "northwind-managed-services" },
    });
  });
  it("'remove roles' without a partner lists the partners and asks which", async () => {
    const answer = await understandTyped("remove roles", contextFor());
    expect(answer.verb).to.equal(VERBS.relationships.list);
    expect(answer.say).to.include("Which partner?");
  });
  it("gives the 'which partner?' example in the reader's language, as a request they can type back", async () => {
    const sv = stringsFor("sv");
    for (const [strings, typed, expected] of [
      [s, "remove roles", "remove roles from Northwind"],
      [s, "end relationship", "end relationship with Northwind"],
      [sv, "ta bort roller", "ta bort roller från Northwind"],
      [sv, "avsluta relationen", "avsluta relationen med Northwind"],
    ] as const) {
      const answer = await understandTyped(typed, { ...contextFor(), strings });
      expect(answer.say, typed).to.include(expected);
      expect(await understandTyped(expected, contextFor()), expected).to.deep.include({
        data: { partnerId: "northwind-managed-services" },
      });
    }
  });
  it("'I want to find a partner in Stockholm' searches Stockholm; other words become keywords", async () => {
    expect(await understandTyped("I want to find a partner in Stockholm", contextFor())).to.deep.equal({
      verb: VERBS.findPartner.search,
      data: { location: "Stockholm" },
    });
    expect(await understandTyped("find a partner in new york for security", contextFor())).to.deep.equal({
      verb: VERBS.findPartner.search,
      data: { location: "New York", keywords: "security" },
    });
  });
  it("'ta bort roller från Northwind' opens Northwind's Remove roles step, accents or not", async () => {
    for (const text of ["ta bort roller från Northwind", "Ta bort roller fran northwind"])
      expect(await understandTyped(text, contextFor()), text).to.deep.equal({
        verb: VERBS.relationships.removeRolesConfirm,
        data: { partnerId: "northwind-managed-services" },
      });
  });
  it("'hitta en partner i Göteborg' searches Göteborg; 'för säkerhet' becomes the keyword", async () => {
    for (const text of ["hitta en partner i Göteborg", "hitta en partner i Goteborg"])
      expect(await understandTyped(text, contextFor()), text).to.deep.equal({
        verb: VERBS.findPartner.search,
        data: { location: "Göteborg" },
      });
    expect(await understandTyped("sök partner i Sverige för säkerhet", contextFor())).to.deep.equal({
      verb: VERBS.findPartner.search,
      data: { location: "Sverige", keywords: "sakerhet" },
    });
  });
  it("'acceptera' with exactly one pending invitation opens it; 'inbjudningar' lists them", async () => {
    expect(await understandTyped("acceptera", contextFor())).to.deep.equal({
      verb: VERBS.invitations.show,
      data: { invitationId: "demo-invitation-1" },
    });
    expect(await understandTyped("inbjudningar", contextFor())).to.deep.equal({ verb: VERBS.invitations.list, data: {} });
  });
  it("'avbryt' says nothing is in progress and shows the menu, as 'cancel' does", async () => {
    expect(await understandTyped("avbryt", contextFor())).to.deep.equal(await understandTyped("cancel", contextFor()));
  });
  it("'find a partner' alone opens the search form without reading the directory's places", async () => {
    const ctx = contextFor();
    expect(await understandTyped("find a partner", ctx)).to.deep.equal({ verb: VERBS.findPartner.start, data: {} });
    expect(ctx.reads).to.deep.equal([]);
  });
  it("'show invitations' without a name leaves the reading to the list: no read while understanding", async () => {
    const ctx = contextFor();
    expect(await understandTyped("show invitations", ctx)).to.deep.equal({ verb: VERBS.invitations.list, data: {} });
    expect(ctx.reads).to.deep.equal([]);
  });
  it("'accept' with exactly one pending invitation opens it", async () => {
    expect(await understandTyped("accept", contextFor())).to.deep.equal({
      verb: VERBS.invitations.show,
      data: { invitationId: "demo-invitation-1" },
    });
  });
  it("'accept' with several lists them and asks which; naming the partner opens its invitation", async () => {
    const world = { invitations: [invitation("inv-a", "Contoso Cloud Partners"), invitation("inv-b", "Alpine Cloud AB")] };
    const several = await understandTyped("accept", contextFor(world));
    expect(several.verb).to.equal(VERBS.invitations.list);
    expect(several.say).to.include("2 pending invitations");
    expect(await understandTyped("accept alpine", contextFor(world))).to.deep.equal({
      verb: VERBS.invitations.show,
      data: { invitationId: "inv-b" },
    });
  });
  it("'accept' ignores an expired invitation and, with none left, lists (the list says there are none)", async () => {
    const world = { invitations: [invitation("old", "Contoso Cloud Partners", "2026-01-01T00:00:00.000Z")] };
    expect(await understandTyped("accept", contextFor(world))).to.deep.equal({ verb: VERBS.invitations.list, data: {} });
  });
  it("'cancel' says nothing is in progress and shows the menu", async () => {
    const answer = await understandTyped("cancel", contextFor());
    expect(answer).to.deep.equal({ verb: VERBS.menu.show, data: {}, say: s.typed.nothingInProgress });
  });
  it("anything else gets 'I didn't catch that' and the menu", async () => {
    const answer = await understandTyped("what's the weather like", contextFor());
    expect(answer.verb).to.equal(VERBS.menu.show);
    expect(answer.say).to.match(/^I didn't catch that/);
  });
  it("a partner's name alone opens that partner", async () => {
    expect(await understandTyped("Northwind", contextFor())).to.deep.equal({
      verb: VERBS.relationships.show,
      data: { partnerId: "northwind-managed-services" },
    });
  });
  it("'partners please' lists the partners, reading no names", async () => {
    const ctx = contextFor();
    expect(await understandTyped("partners please", ctx)).to.deep.equal({ verb: VERBS.relationships.list, data: {} });
    expect(ctx.reads).to.deep.equal([]);
  });
});

describe("typed requests: four-eyes for Global administrator", () => {
  for (const [typed, on] of [
    ["require two approvals", "true"],
    ["four-eyes on", "true"],
    ["turn on four eyes", "true"],
    ["four-eyes off", "false"],
    ["kräv två godkännanden", "true"],
    ["fyra ögon på", "true"],
    ["fyra ögon av", "false"],
  ] as const) {
    it(`'${typed}' asks to confirm turning it ${on === "true" ? "on" : "off"}, reading nothing`, async () => {
      const ctx = contextFor();
      expect(await understandTyped(typed, ctx)).to.deep.equal({ verb: VERBS.settings.fourEyesConfirm, data: { on } });
      expect(ctx.reads).to.deep.equal([]);
    });
  }
  for (const typed of ["settings", "four eyes", "inställningar"]) {
    it(`'${typed}' opens the settings card`, async () => {
      expect(await understandTyped(typed, contextFor())).to.deep.equal({ verb: VERBS.settings.show, data: {} });
    });
  }
  it("leaves 'approve Contoso' to the invitation it names", async () => {
    expect((await understandTyped("approve Contoso", contextFor())).verb).to.equal(VERBS.invitations.show);
  });
});
