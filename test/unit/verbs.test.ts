import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ActionRouter } from "../../src/bot/router.js";
import { TEMPLATES } from "../../src/cards/render.js";
import { ROUTES } from "../../src/features/index.js";
import { ALL_VERBS, currentVerb, LEGACY_VERBS, VERBS } from "../../src/features/verbs.js";

/**
 * Every verb the first release put on cards, written out as it was sent. Teams keeps those cards in people's
 * chats; this list is history, so it never changes, and each of its verbs must reach a route for good.
 */
const FIRST_RELEASE_VERBS = [
  "menu.show",
  "partnerTypes.show",
  "findPartner.start",
  "findPartner.search",
  "findPartner.contactForm",
  "findPartner.send",
  "invitations.list",
  "invitations.show",
  "invitations.review",
  "invitations.accept",
  "invitations.declineForm",
  "invitations.decline",
  "partners.list",
  "partners.show",
  "agreement.review",
  "agreement.accept",
  "relationship.removeRolesConfirm",
  "relationship.removeRoles",
  "relationship.endForm",
  "relationship.requestEnd",
  "partner.invitationForm",
  "partner.sendInvitation",
  "partner.confirmEnd",
];

const SRC = new URL("../../src/", import.meta.url).pathname;
const VERBS_FILE = join(SRC, "features", "verbs.ts");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every value of a `verb` key in a JSON tree (a template's Action.Execute buttons and its refresh). */
function verbValuesIn(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const child of node) verbValuesIn(child, out);
  else if (node !== null && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "verb") out.push(value);
      verbValuesIn(value, out);
    }
  }
  return out;
}

describe("card verbs", () => {
  it("names each verb <feature>.<step> after the place it has in VERBS, and no two verbs alike", () => {
    for (const [feature, steps] of Object.entries(VERBS)) {
      for (const [step, verb] of Object.entries(steps)) expect(verb).to.equal(`${feature}.${step}`);
    }
    expect(new Set(ALL_VERBS).size).to.equal(ALL_VERBS.length);
    expect(ALL_VERBS).to.have.length.of.at.least(20);
  });

  it("has exactly one route for every verb, and no route for a verb outside VERBS", () => {
    const routed = ROUTES.map((route) => route.verb);
    expect(new Set(routed).size, "a verb claimed by two routes").to.equal(routed.length);
    expect([...routed].sort()).to.deep.equal([...ALL_VERBS].sort());
  });

  it("still answers every verb the first release put on a card, renamed or not", () => {
    const router = new ActionRouter(ROUTES);
    for (const verb of FIRST_RELEASE_VERBS) expect(router.has(verb), verb).to.equal(true);
  });

  it("maps each old name to a current verb, and never gives an old name to a new verb", () => {
    expect(LEGACY_VERBS.size).to.be.greaterThan(0);
    for (const [old, now] of LEGACY_VERBS) {
      expect(ALL_VERBS, `${old} -> ${now}`).to.include(now);
      expect(ALL_VERBS, `${old} is a current verb as well as an alias`).to.not.include(old);
      expect(currentVerb(old)).to.equal(now);
    }
  });

  it("resolves a current verb to itself and nothing else to anything", () => {
    for (const verb of ALL_VERBS) expect(currentVerb(verb)).to.equal(verb);
    for (const sent of [
      "constructor",
      "__proto__",
      "toString",
      "",
      "relationship.nuke",
      "MENU.SHOW",
      " menu.show",
      42,
      null,
      undefined,
      {},
    ]) {
      expect(currentVerb(sent), String(JSON.stringify(sent))).to.equal(undefined);
    }
  });

  it("spells verbs out only in src/features/verbs.ts: code and templates take them from VERBS", () => {
    const quoted = ALL_VERBS.flatMap((verb) => [`"${verb}"`, `'${verb}'`, `\`${verb}\``]);
    const offenders = filesUnder(SRC)
      .filter((file) => file !== VERBS_FILE && /\.(ts|json)$/.test(file))
      .flatMap((file) => {
        const text = readFileSync(file, "utf8");
        return quoted.filter((q) => text.includes(q)).map((q) => `${relative(SRC, file)}: ${q}`);
      });
    expect(offenders).to.deep.equal([]);
  });

  it("binds every button of every template to VERBS or to a verb of its data model, never to a literal", () => {
    for (const [name, template] of Object.entries(TEMPLATES)) {
      for (const value of verbValuesIn(template)) {
        expect(value, name)
          .to.be.a("string")
          .that.matches(/^\$\{.+\}$/);
        const path = /^\$\{\$root\.verbs\.(\w+)\.(\w+)\}$/.exec(String(value));
        // `${verb}`-style bindings read a typed `Verb` from the card's data model (see cards/models.ts).
        if (!path) continue;
        const [, feature = "", step = ""] = path;
        const steps: Record<string, string> | undefined = (VERBS as Record<string, Record<string, string>>)[feature];
        expect(steps?.[step], `${name}: ${String(value)}`).to.be.a("string");
      }
    }
  });
});
