import { expect } from "chai";
import { existsSync } from "node:fs";
import { DEFAULT_LOCALE, LOCALES, resolveLocale, STRINGS_DIRECTORY, stringsFor, type Strings } from "../../src/cards/strings.js";
import { PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { ROLE_KEYS } from "../../src/domain/roles.js";

const en = LOCALES["en"] as Strings;

/** Every leaf of a strings tree as a dotted path ("errors.conflict"), sorted. */
function keyPaths(node: unknown, prefix = ""): string[] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [prefix];
  return Object.entries(node as Record<string, unknown>)
    .flatMap(([key, value]) => keyPaths(value, prefix ? `${prefix}.${key}` : key))
    .sort();
}

/** Every leaf value with its path. */
function leaves(node: unknown, prefix = ""): [string, unknown][] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

describe("strings", () => {
  describe("resolveLocale", () => {
    it("gives sv-SE Swedish exactly when src/cards/strings/sv.json exists, and English otherwise", () => {
      const swedish = existsSync(new URL("sv.json", STRINGS_DIRECTORY));
      expect(resolveLocale("sv-SE")).to.equal(swedish ? "sv" : "en");
    });

    it("maps every English variant to en, whatever its case or separator", () => {
      for (const locale of ["en-GB", "en-US", "EN-us", "en_AU", "en"]) expect(resolveLocale(locale), locale).to.equal("en");
    });

    it("uses English when the channel sends no locale or an empty one", () => {
      expect(resolveLocale(undefined)).to.equal("en");
      expect(resolveLocale("")).to.equal("en");
      expect(DEFAULT_LOCALE).to.equal("en");
    });

    // Teams and the Emulator let the client pick the locale, so it is untrusted input.
    it('falls back to English for a locale that names an Object property, such as "constructor"', () => {
      for (const locale of ["constructor", "Constructor-US", "__proto__"]) {
        expect(resolveLocale(locale), locale).to.equal("en");
        expect(stringsFor(locale).errors?.title, locale).to.equal(en.errors.title);
      }
    });
  });

  describe("stringsFor", () => {
    it("returns the English strings for an unknown locale", () => {
      expect(stringsFor("xx-YY")).to.equal(en);
      expect(stringsFor("en-GB").welcome.title).to.equal("Welcome to Partner Desk");
    });
  });

  describe("every locale", () => {
    it("notices a locale that lacks one of English's sentences", () => {
      const incomplete = structuredClone(en) as unknown as { errors: Record<string, unknown> };
      delete incomplete.errors["conflict"];
      expect(keyPaths(incomplete)).to.not.deep.equal(keyPaths(en));
    });

    it("has exactly the key paths English has", () => {
      const reference = keyPaths(en);
      expect(reference).to.include("errors.conflict");
      for (const [locale, strings] of Object.entries(LOCALES)) expect(keyPaths(strings), locale).to.deep.equal(reference);
    });

    it("holds only non-empty strings", () => {
      for (const [locale, strings] of Object.entries(LOCALES)) {
        for (const [path, value] of leaves(strings)) {
          expect(value, `${locale}: ${path}`).to.be.a("string");
          expect((value as string).trim(), `${locale}: ${path}`).to.not.equal("");
        }
      }
    });
  });

  describe("English", () => {
    it("names and describes every partner type", () => {
      for (const type of PARTNER_TYPES) {
        const entry = (en.partnerTypes.types as Record<string, { name?: unknown; description?: unknown }>)[type];
        expect(entry?.name, type).to.be.a("string").that.is.not.empty;
        expect(entry?.description, type).to.be.a("string").that.is.not.empty;
      }
    });

    it("describes no partner type that the domain does not know", () => {
      expect(Object.keys(en.partnerTypes.types)).to.have.members([...PARTNER_TYPES]);
    });

    it("names and describes every directory role", () => {
      expect(ROLE_KEYS).to.not.be.empty;
      for (const key of ROLE_KEYS) {
        const entry = (en.roles as Record<string, { name?: unknown; description?: unknown }>)[key];
        expect(entry?.name, key).to.be.a("string").that.is.not.empty;
        expect(entry?.description, key).to.be.a("string").that.is.not.empty;
      }
    });
  });
});
