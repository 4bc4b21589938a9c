import * as AC from "adaptivecards";
import { expect } from "chai";
import { ActionRouter } from "../../src/bot/router.js";
import {
  TEMPLATES,
  actionStyleFor,
  renderCard,
  toSubmitActions,
  type ActionStyle,
  type AdaptiveCardJson,
  type TemplateName,
} from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { DEMO } from "../../src/demo/constants.js";
import { cardSamples } from "../helpers/cardSamples.js";
import { ADMIN_PARTNER_TYPES, PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { ROUTES } from "../../src/features/index.js";
import { ALL_VERBS } from "../../src/features/verbs.js";
import { menuItems } from "../../src/features/menu/entries.js";
import { showPartnerTypes } from "../../src/features/partner-types/showPartnerTypes.js";
import type { FeatureContext } from "../../src/features/types.js";
import type { NoPorts } from "../../src/features/ports.js";

const s = stringsFor("en");
const STYLES: readonly ActionStyle[] = ["execute", "submit"];
/** Teams refuses messages near 100 KB (~80 KB of card); we keep each card far below that. */
const MAX_CARD_BYTES = 28 * 1024;

type Json = Record<string, unknown>;

const menuRows = menuItems(s);

/** Realistic data for every template; a new template without samples fails to compile (see cardSamples). */
const SAMPLES: Record<TemplateName, readonly object[]> = cardSamples(s);

const templateNames = Object.keys(TEMPLATES) as TemplateName[];

/** Every object in a card tree, depth first. */
function objectsIn(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const child of node) objectsIn(child, out);
  else if (node !== null && typeof node === "object") {
    out.push(node as Json);
    for (const value of Object.values(node)) objectsIn(value, out);
  }
  return out;
}
const ofType = (card: unknown, type: string) => objectsIn(card).filter((o) => o["type"] === type);

/** What Microsoft's own renderer library says about a card; an empty list means it parsed cleanly. */
function parseEvents(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  const events: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) {
    const event = ctx.getEventAt(i);
    events.push(`${AC.ValidationEvent[event.event] ?? event.event}: ${event.message}`);
  }
  return events;
}

function everyRendering(): { label: string; card: AdaptiveCardJson }[] {
  return templateNames.flatMap((name) =>
    (SAMPLES[name] ?? []).flatMap((data, i) =>
      STYLES.map((actionStyle) => ({
        label: `${name}#${i} (${actionStyle})`,
        card: renderCard(name, data as never, { strings: s, actionStyle }),
      })),
    ),
  );
}

function featureContext(actionStyle: ActionStyle): FeatureContext<NoPorts> {
  return {
    identity: { tenantId: DEMO.admin.tenantId, userId: DEMO.admin.userId, name: DEMO.admin.name, locale: "en-US" },
    roles: async () => [],
    strings: s,
    card: (name, data) => renderCard(name, data as never, { strings: s, actionStyle }),
    // The partner types card reads and writes nothing: its route asks for no ports.
    ports: {},
    correlationId: "corr-cards",
    now: new Date("2025-01-01T00:00:00Z"),
  };
}

async function partnerTypesCard(actionStyle: ActionStyle = "execute"): Promise<AdaptiveCardJson> {
  const outcome = await showPartnerTypes.handle({}, featureContext(actionStyle));
  if (!outcome.ok) expect.fail(`partner types failed: ${outcome.code}`);
  return outcome.value.card;
}

describe("card templates", () => {
  it("has realistic sample data here for every template", () => {
    for (const name of templateNames) expect(SAMPLES[name], name).to.be.an("array").that.is.not.empty;
  });

  it("renders every template, in both action styles, into a card Microsoft's adaptivecards library parses without a single warning", () => {
    const renderings = everyRendering();
    expect(renderings).to.have.length.of.at.least(templateNames.length * STYLES.length);
    for (const { label, card } of renderings) {
      expect(parseEvents(card), label).to.deep.equal([]);
    }
  });

  it("leaves no unbound ${...} expression and no $data / $when in any rendered card", () => {
    for (const { label, card } of everyRendering()) {
      const text = JSON.stringify(card);
      expect(text, label).to.not.include("${");
      const templatingKeys = objectsIn(card)
        .flatMap((o) => Object.keys(o))
        .filter((key) => key.startsWith("$") && key !== "$schema");
      expect(templatingKeys, label).to.deep.equal([]);
    }
  });

  it("renders Adaptive Cards of version 1.5", () => {
    for (const { label, card } of everyRendering()) {
      expect(card.type, label).to.equal("AdaptiveCard");
      expect(card.version, label).to.equal("1.5");
    }
  });

  it("keeps every rendered card under 28 KB of JSON", () => {
    for (const { label, card } of everyRendering()) {
      expect(Buffer.byteLength(JSON.stringify(card), "utf8"), label).to.be.below(MAX_CARD_BYTES);
    }
  });

  it("notices a broken card: an unknown element type is a parse event", () => {
    const broken = {
      type: "AdaptiveCard",
      version: "1.5",
      body: [
        { type: "TextBlock", text: "ok" },
        { type: "Carousel3000", text: "?" },
      ],
    };
    const events = parseEvents(broken);
    expect(events).to.have.length.of.at.least(1);
    expect(events.join("\n")).to.include("Carousel3000");
  });

  it("shows text from data literally, even when it looks like a template expression", () => {
    const message = 'Partner "${s.errors.title}" {{name}} <b>bold</b>';
    const card = renderCard("error", { message, reference: "ref-1" }, { strings: s, actionStyle: "submit" });
    const texts = ofType(card, "TextBlock").map((block) => block["text"]);
    expect(texts).to.include(message);
    expect(texts).to.include(`${s.errors.reference}: ref-1`);
  });

  it("leaves the reference line out of the error card when there is no reference", () => {
    const card = renderCard("error", { message: "m", reference: "" }, { strings: s, actionStyle: "execute" });
    expect(JSON.stringify(card)).to.not.include(s.errors.reference);
  });

  it("picks the strings from the locale when none are given", () => {
    const card = renderCard("welcome", { items: [], note: "" }, { locale: "en-GB", actionStyle: "execute" });
    expect(ofType(card, "TextBlock").map((b) => b["text"])).to.include(s.welcome.title);
  });
});

describe("action styles", () => {
  it("uses Action.Execute in Teams and Action.Submit everywhere else", () => {
    expect(actionStyleFor("msteams")).to.equal("execute");
    expect(actionStyleFor("emulator")).to.equal("submit");
    expect(actionStyleFor("webchat")).to.equal("submit");
  });

  it("keeps Action.Execute with its verb in the execute style", () => {
    const card = renderCard("menu", { items: menuRows, note: "" }, { strings: s, actionStyle: "execute" });
    const executes = ofType(card, "Action.Execute");
    expect(executes.map((a) => a["verb"])).to.deep.equal(menuRows.map((row) => row.verb));
    expect(ofType(card, "Action.Submit")).to.be.empty;
  });

  it("has no Action.Execute anywhere in the submit style, and every Action.Submit carries its verb in data", () => {
    for (const name of templateNames) {
      for (const data of SAMPLES[name]) {
        const executeCard = renderCard(name, data as never, { strings: s, actionStyle: "execute" });
        const submitCard = renderCard(name, data as never, { strings: s, actionStyle: "submit" });
        expect(ofType(submitCard, "Action.Execute"), name).to.be.empty;
        const submits = ofType(submitCard, "Action.Submit");
        // Every button survives as a Submit; only the card's `refresh` (Teams-only) is dropped.
        const { refresh: _refresh, ...withoutRefresh } = executeCard;
        expect(submits.length, name).to.equal(ofType(withoutRefresh, "Action.Execute").length);
        for (const submit of submits) {
          expect(submit, name).to.not.have.property("verb");
          expect((submit["data"] as Json)["verb"], name).to.be.a("string").that.is.not.empty;
        }
      }
    }
  });

  it("gives each menu button of the submit style the verb of its feature", () => {
    const card = renderCard("welcome", { items: menuRows, note: "" }, { strings: s, actionStyle: "submit" });
    expect(ofType(card, "Action.Submit").map((a) => (a["data"] as Json)["verb"])).to.deep.equal(menuRows.map((row) => row.verb));
  });
});

/** A button found in a card, with the verb it sends back and where it sits (for the failure message). */
interface ButtonVerb {
  at: string;
  type: string;
  verb: unknown;
}

/**
 * Every button of a card with the verb it would send: Action.Execute's `verb`, and the `data.verb` an
 * Action.Submit carries on the Emulator path. It walks the whole tree, so the card's `refresh.action`,
 * `selectAction`s, `ActionSet`s and the cards inside `Action.ShowCard` are all visited.
 */
function buttonVerbs(node: unknown, at = "$", out: ButtonVerb[] = []): ButtonVerb[] {
  if (Array.isArray(node)) node.forEach((child, i) => buttonVerbs(child, `${at}[${i}]`, out));
  else if (node !== null && typeof node === "object") {
    const o = node as Json;
    if (o["type"] === "Action.Execute") out.push({ at, type: "Action.Execute", verb: o["verb"] });
    if (o["type"] === "Action.Submit") {
      const data = o["data"];
      out.push({ at, type: "Action.Submit", verb: data !== null && typeof data === "object" ? (data as Json)["verb"] : undefined });
    }
    for (const [key, value] of Object.entries(o)) buttonVerbs(value, `${at}.${key}`, out);
  }
  return out;
}

describe("every button on every card reaches a route", () => {
  const router = new ActionRouter(ROUTES);

  it("finds the buttons of a refresh, a selectAction, an ActionSet and a card inside an Action.ShowCard", () => {
    const card = {
      type: "AdaptiveCard",
      version: "1.5",
      refresh: { action: { type: "Action.Execute", verb: "v.refresh" }, userIds: [] },
      body: [
        { type: "Container", selectAction: { type: "Action.Execute", verb: "v.select" }, items: [] },
        { type: "ActionSet", actions: [{ type: "Action.Submit", data: { verb: "v.submit", id: 1 } }] },
      ],
      actions: [
        {
          type: "Action.ShowCard",
          card: { type: "AdaptiveCard", body: [{ type: "ActionSet", actions: [{ type: "Action.Execute", verb: "v.inner" }] }] },
        },
        { type: "Action.OpenUrl", url: "https://example.com" },
        { type: "Action.Submit" },
      ],
    };
    expect(buttonVerbs(card).map((b) => b.verb)).to.deep.equal(["v.refresh", "v.select", "v.submit", "v.inner", undefined]);
  });

  it("offers, on every template rendered with realistic data in both action styles, only current verbs the router answers", () => {
    const seen = new Set<unknown>();
    for (const { label, card } of everyRendering()) {
      for (const button of buttonVerbs(card)) {
        const where = `${label} ${button.type} at ${button.at}: ${String(button.verb)}`;
        expect(button.verb, where).to.be.a("string");
        // A card we send today names today's verb; old names are for cards already out there.
        expect(ALL_VERBS, where).to.include(button.verb);
        expect(router.has(String(button.verb)), where).to.equal(true);
        seen.add(button.verb);
      }
    }
    // The samples must show the buttons behind $when too, or a broken one would hide: every verb a template names is seen.
    const named = templateNames.flatMap((name) => [...JSON.stringify(TEMPLATES[name]).matchAll(/\$root\.verbs\.(\w+)\.(\w+)/g)]);
    expect(named.length).to.be.greaterThan(0);
    for (const [, feature, step] of named) expect(seen, `${feature}.${step}`).to.include(`${feature}.${step}`);
  });
});

describe("toSubmitActions", () => {
  const execute = (verb: string, data?: unknown) => ({
    type: "Action.Execute",
    title: verb,
    verb,
    ...(data === undefined ? {} : { data }),
  });

  it("keeps the button's data and adds the verb to it", () => {
    expect(toSubmitActions(execute("invitation.accept", { invitationId: "inv-7" }))).to.deep.equal({
      type: "Action.Submit",
      title: "invitation.accept",
      data: { invitationId: "inv-7", verb: "invitation.accept" },
    });
  });

  it("gives a button without data an object holding the verb", () => {
    expect(toSubmitActions(execute("menu.show"))).to.deep.equal({ type: "Action.Submit", title: "menu.show", data: { verb: "menu.show" } });
    expect(toSubmitActions(execute("menu.show", "not an object"))).to.deep.equal({
      type: "Action.Submit",
      title: "menu.show",
      data: { verb: "menu.show" },
    });
  });

  it("removes the card's refresh, which only Teams understands", () => {
    const card = { type: "AdaptiveCard", version: "1.5", refresh: { action: execute("invitation.refresh"), userIds: ["u1"] }, body: [] };
    const converted = toSubmitActions(card);
    expect(converted).to.not.have.property("refresh");
    expect(ofType(converted, "Action.Execute")).to.be.empty;
  });

  it("keeps a field named refresh that is a button's data, not the card's", () => {
    const converted = toSubmitActions({
      type: "AdaptiveCard",
      version: "1.5",
      body: [],
      actions: [execute("partners.list", { refresh: true })],
    });
    expect(converted.actions[0]).to.deep.equal({
      type: "Action.Submit",
      title: "partners.list",
      data: { refresh: true, verb: "partners.list" },
    });
  });

  it("rewrites a selectAction, an ActionSet and the card inside an Action.ShowCard", () => {
    const card = {
      type: "AdaptiveCard",
      version: "1.5",
      body: [
        { type: "Container", selectAction: execute("partner.show", { partnerId: "p1" }), items: [{ type: "TextBlock", text: "Contoso" }] },
        { type: "ActionSet", actions: [execute("invitation.decline", { invitationId: "inv-7" })] },
      ],
      actions: [
        {
          type: "Action.ShowCard",
          title: "More",
          card: {
            type: "AdaptiveCard",
            body: [{ type: "ActionSet", actions: [execute("relationship.end", { relationshipId: "r1" })] }],
            actions: [execute("menu.show")],
          },
        },
      ],
    };
    const converted = toSubmitActions(card);
    expect(ofType(converted, "Action.Execute")).to.be.empty;
    expect(ofType(converted, "Action.Submit").map((a) => a["data"])).to.deep.equal([
      { partnerId: "p1", verb: "partner.show" },
      { invitationId: "inv-7", verb: "invitation.decline" },
      { relationshipId: "r1", verb: "relationship.end" },
      { verb: "menu.show" },
    ]);
    expect(ofType(converted, "Action.ShowCard")).to.have.length(1);
    expect(parseEvents(converted)).to.deep.equal([]);
  });

  it("does not change the card it was given", () => {
    const card = { type: "AdaptiveCard", version: "1.5", body: [], actions: [execute("menu.show")] };
    const before = structuredClone(card);
    toSubmitActions(card);
    expect(card).to.deep.equal(before);
  });
});

describe("the partner types card", () => {
  /** One Container per type: its first text block is the name, the second column says whether it brings admin roles. */
  async function typeRows(actionStyle: ActionStyle = "execute") {
    const card = await partnerTypesCard(actionStyle);
    return (card.body as Json[])
      .filter((element) => element["type"] === "Container")
      .map((container) => {
        const texts = ofType(container, "TextBlock").map((block) => String(block["text"]));
        return { name: texts[0], texts };
      });
  }

  it("lists all seven partner types by their English names, in the procedure's order", async () => {
    const rows = await typeRows();
    expect(PARTNER_TYPES).to.have.length(7);
    expect(rows.map((row) => row.name)).to.deep.equal(PARTNER_TYPES.map((type) => s.partnerTypes.types[type].name));
  });

  it("explains each type with its English description", async () => {
    const rows = await typeRows();
    PARTNER_TYPES.forEach((type, i) => expect(rows[i]?.texts, type).to.include(s.partnerTypes.types[type].description));
  });

  it("flags the types that hand the partner admin roles, such as delegated administrator", async () => {
    const rows = await typeRows();
    expect(ADMIN_PARTNER_TYPES.has("delegatedAdministrator")).to.equal(true);
    PARTNER_TYPES.forEach((type, i) => {
      const texts = rows[i]?.texts ?? [];
      const admin = ADMIN_PARTNER_TYPES.has(type);
      expect(texts.includes(s.partnerTypes.adminRoles), `${type} flagged`).to.equal(admin);
      expect(texts.includes(s.partnerTypes.noAdminRoles), `${type} unflagged`).to.equal(!admin);
    });
  });

  it("parses cleanly and leads back to the menu in both action styles", async () => {
    for (const style of STYLES) {
      const card = await partnerTypesCard(style);
      expect(parseEvents(card), style).to.deep.equal([]);
      const back =
        style === "execute"
          ? ofType(card, "Action.Execute").map((a) => a["verb"])
          : ofType(card, "Action.Submit").map((a) => (a["data"] as Json)["verb"]);
      expect(back, style).to.deep.equal(["menu.show"]);
    }
  });
});
