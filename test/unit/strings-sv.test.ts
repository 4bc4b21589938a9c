import { expect } from "chai";
import IntlMessageFormat from "intl-messageformat";
import en from "../../src/cards/strings/en.json" with { type: "json" };
import sv from "../../src/cards/strings/sv.json" with { type: "json" };

/**
 * The Swedish strings file against English, the reference: same keys, same placeholders, the glossary's button
 * titles (/work/shared/GLOSSARY.sv.md) on the same keys, and nothing left untranslated by accident.
 */

/** Every leaf of a strings tree with its dotted path ("errors.conflict"); keys may themselves hold dots. */
function leaves(node: unknown, prefix = ""): [string, unknown][] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

/** The shape of a tree: every object's keys, in order of nesting, so "a.b" as a key and a.b as nesting differ. */
function shape(node: unknown): unknown {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return typeof node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, shape(value)]),
  );
}

/** The parts of intl-messageformat's AST this test reads: argument names, plural/select branches, tag children. */
interface AstElement {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstElement[] }>;
  children?: AstElement[];
}
// @formatjs/icu-messageformat-parser's TYPE: 0 literal and 7 "#" take no value; every other element names one.
const LITERAL = 0;
const POUND = 7;

/** The names a message needs values for: {name}, {count, plural, …}, {when, date, medium}, <tag>…</tag>. */
function argumentNames(message: string, locale: string): Set<string> {
  const names = new Set<string>();
  const walk = (elements: AstElement[]): void => {
    for (const element of elements) {
      if (element.type !== LITERAL && element.type !== POUND && typeof element.value === "string") names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      walk(element.children ?? []);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst());
  return names;
}

const enLeaves = new Map(leaves(en) as [string, string][]);
const svLeaves = new Map(leaves(sv) as [string, string][]);

/** The procedure's buttons, English title -> Swedish title, exactly as GLOSSARY.sv.md gives them. */
const GLOSSARY_BUTTONS: readonly (readonly [string, string])[] = [
  ["Search", "Sök"],
  ["Contact selected providers", "Kontakta valda leverantörer"],
  ["Send", "Skicka"],
  ["Review", "Granska"],
  ["Accept agreement & authorize partner", "Acceptera avtal och auktorisera partner"],
  ["Accept & authorize", "Acceptera och auktorisera"],
  ["Accept", "Acceptera"],
  ["Decline", "Avböj"],
  ["Remove roles", "Ta bort roller"],
  ["Remove roles?", "Ta bort roller?"],
  ["Yes", "Ja"],
  ["No", "Nej"],
  ["Contact partner to end the relationship", "Kontakta partnern för att avsluta relationen"],
  ["Back", "Tillbaka"],
  ["Menu", "Meny"],
  ["Read the Microsoft Customer Agreement", "Läs Microsoft-kundavtalet"],
  ["I have read the Microsoft Customer Agreement", "Jag har läst Microsoft-kundavtalet"],
];

/** Keys whose Swedish is rightly the English text: a product name, a sign, placeholders, or a word both languages share. */
const SAME_IN_BOTH = new Set([
  "app.name", // Partner Desk, a product name
  "partnerTypes.types.partner.name", // "Partner" is Swedish too (the glossary keeps it)
  "common.notSet", // a dash
  "history.line", // placeholders and a separator
  "history.utc", // a placeholder and UTC
  "partners.detailsTitle", // the partner's name alone
  "partners.status", // "Status" is Swedish too
  "partnerHome.status",
  "invitations.agreementVersion", // "Version {version}" is Swedish too
]);

const keysHolding = (strings: Map<string, string>, text: string): string[] =>
  [...strings].filter(([, value]) => value === text).map(([key]) => key);

describe("Swedish strings (sv.json)", () => {
  it("has exactly English's keys, nested the same way", () => {
    expect(shape(sv)).to.deep.equal(shape(en));
    expect([...svLeaves.keys()].sort()).to.deep.equal([...enLeaves.keys()].sort());
  });

  it("notices a missing or an extra key", () => {
    const missing = structuredClone(sv) as unknown as { errors: Record<string, unknown> };
    delete missing.errors["conflict"];
    expect(shape(missing)).to.not.deep.equal(shape(en));
    const extra = structuredClone(sv) as unknown as { errors: Record<string, unknown> };
    extra.errors["surplus"] = "Överbliven";
    expect(shape(extra)).to.not.deep.equal(shape(en));
  });

  it("holds only non-empty strings", () => {
    for (const [key, value] of svLeaves) {
      expect(value, key).to.be.a("string");
      expect(value.trim(), key).to.not.equal("");
    }
  });

  it("needs exactly the values each English message needs, and every message is valid ICU", () => {
    for (const [key, english] of enLeaves) {
      const swedish = svLeaves.get(key) ?? "";
      expect([...argumentNames(swedish, "sv")].sort(), key).to.deep.equal([...argumentNames(english, "en")].sort());
    }
  });

  it("reads placeholders inside plural branches, so a dropped one is noticed", () => {
    expect([...argumentNames("{count, plural, one {# inbjudan från {partner}} other {# inbjudningar}}", "sv")].sort()).to.deep.equal([
      "count",
      "partner",
    ]);
    expect([...argumentNames("Du har # inbjudningar", "sv")]).to.deep.equal([]);
  });

  it("titles the procedure's buttons as the glossary does, on the keys English uses for them", () => {
    for (const [english, swedish] of GLOSSARY_BUTTONS) {
      const enKeys = keysHolding(enLeaves, english);
      expect(enKeys, `no English key holds "${english}"`).to.not.be.empty;
      expect(keysHolding(svLeaves, swedish), `${english} -> ${swedish}`).to.deep.equal(enKeys);
    }
  });

  it("leaves no message in English, except a few that are the same in both languages", () => {
    const untranslated = [...enLeaves].filter(([key, english]) => svLeaves.get(key) === english).map(([key]) => key);
    expect(untranslated.sort()).to.deep.equal([...SAME_IN_BOTH].sort());
  });

  describe("counts", () => {
    const format = (key: string, values: Record<string, string | number>): string => {
      const message = svLeaves.get(key);
      if (message === undefined) throw new Error(`no Swedish message ${key}`);
      return String(new IntlMessageFormat(message, "sv").format(values));
    };

    it("says one invitation and several invitations with their own words", () => {
      expect(format("demo.pendingInvitations", { count: 1 })).to.equal("1 väntande inbjudan");
      expect(format("demo.pendingInvitations", { count: 2 })).to.equal("2 väntande inbjudningar");
      expect(format("typed.whichInvitation", { count: 3, partner: "Contoso" })).to.match(
        /^Du har 3 väntande inbjudningar\. .*”acceptera Contoso”\.$/,
      );
    });

    it("says one day and several days, and the number comes from the formatter", () => {
      expect(format("invitations.durationValue", { days: 1, endDate: "28 maj 2027" })).to.equal("1 dag, fram till 28 maj 2027");
      // Swedish groups thousands with a no-break space; the message itself holds no digits.
      expect(format("invitations.durationValue", { days: 1000, endDate: "28 maj 2027" })).to.equal(
        "1\u00a0000 dagar, fram till 28 maj 2027",
      );
    });

    it("agrees the participle with the count in partners carried over from other pages", () => {
      expect(format("findPartner.carried", { count: 1 })).to.equal("Dessutom vald på andra sidor: 1 partner");
      expect(format("findPartner.carried", { count: 4 })).to.equal("Dessutom valda på andra sidor: 4 partner");
    });

    it("words the results, the request sent and the connection for one and for several", () => {
      expect(format("findPartner.resultsSummary", { count: 1, page: 1, pageCount: 1 })).to.equal("1 partner hittades · sida 1 av 1");
      expect(format("findPartner.sent", { count: 1 })).to.include("Partnern kontaktar dig");
      expect(format("findPartner.sent", { count: 3 })).to.include("3 partner. De kontaktar dig");
      expect(format("partnerSide.connection.connected", { count: 1 })).to.equal("Ansluten till Microsoft: 1 relation syns");
      expect(format("partnerSide.connection.connected", { count: 2 })).to.equal("Ansluten till Microsoft: 2 relationer syns");
    });

    it("says which decision was already made in Swedish, chosen inside the sentence", () => {
      const values = { by: "Ada Admin", date: "29 nov. 2026 14:02" };
      expect(format("invitations.alreadyDecided", { ...values, status: "accepted" })).to.include("redan accepterad av Ada Admin");
      expect(format("invitations.alreadyDecided", { ...values, status: "declined" })).to.include("redan avböjd av Ada Admin");
      expect(format("invitations.alreadyDecidedByYou", { ...values, status: "declined" })).to.match(/^Du har redan avböjt/);
    });
  });
});
