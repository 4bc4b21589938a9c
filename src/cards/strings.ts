import { readdirSync, readFileSync } from "node:fs";
import en from "./strings/en.json" with { type: "json" };

/** Every user-facing sentence. English is the reference: other locales must have the same keys. */
export type Strings = typeof en;
export const DEFAULT_LOCALE = "en";

/** Where the locale files live: src/cards/strings/<language>.json, one file per language. */
export const STRINGS_DIRECTORY = new URL("./strings/", import.meta.url);
/** A language file in the strings directory: "<language>.json". */
export const LANGUAGE_FILE_PATTERN = /^([a-z]{2,3})\.json$/;

/**
 * The language of every strings object (each nested one too), so a message formats numbers, dates and plural
 * forms by the language it is written in, whoever reads it (src/cards/messages.ts).
 */
const languageOfObject = new WeakMap<object, string>();

const registry: Record<string, Strings> = {};
/** Every language Partner Desk speaks, by its language subtag. */
export const LOCALES: Readonly<Record<string, Strings>> = registry;

function remember(node: unknown, language: string): void {
  if (node === null || typeof node !== "object") return;
  languageOfObject.set(node, language);
  for (const value of Object.values(node)) remember(value, language);
}

/** A sentence the file lacks is English's, so a partial translation shows English, never an empty card. */
function overEnglish(reference: unknown, translated: unknown): unknown {
  if (reference === null || typeof reference !== "object") return typeof translated === "string" ? translated : reference;
  const own = translated !== null && typeof translated === "object" ? (translated as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(reference).map(([key, value]) => [key, overEnglish(value, own[key])]));
}

/**
 * Adds a language (a test's, or one read from its file); returns how to take it away again. The strings are
 * copied, so two languages never share an object and each message knows its own language.
 */
export function registerLocale(language: string, strings: unknown): () => void {
  const copy = language === DEFAULT_LOCALE ? (strings as Strings) : (overEnglish(en, structuredClone(strings)) as Strings);
  const previous = Object.hasOwn(registry, language) ? registry[language] : undefined;
  registry[language] = copy;
  remember(copy, language);
  return () => {
    if (registry[language] !== copy) return;
    if (previous) registry[language] = previous;
    else delete registry[language];
  };
}

/** The languages in a strings directory: every "<language>.json" but English, which is compiled in as the reference. */
export function readLocaleFiles(directory: URL = STRINGS_DIRECTORY): Record<string, unknown> {
  const files: Record<string, unknown> = {};
  for (const name of readdirSync(directory).sort()) {
    const language = LANGUAGE_FILE_PATTERN.exec(name)?.[1];
    if (language && language !== DEFAULT_LOCALE) files[language] = JSON.parse(readFileSync(new URL(name, directory), "utf8"));
  }
  return files;
}

registerLocale(DEFAULT_LOCALE, en);
// Adding a language is adding its file: it is found here, and test/unit/message-catalogue.test.ts checks it.
for (const [language, strings] of Object.entries(readLocaleFiles())) registerLocale(language, strings);

/** The language a strings object (or any object inside one) is written in; English for anything else. */
export function languageOf(strings: object): string {
  return languageOfObject.get(strings) ?? DEFAULT_LOCALE;
}

/** "sv-SE" -> sv, "en-US" -> en, unknown -> English. */
export function resolveLocale(locale: string | undefined): string {
  const language = (typeof locale === "string" ? locale : "").toLowerCase().split(/[-_]/)[0] ?? "";
  // Object.hasOwn, not `in`: the locale comes from the client, and "constructor" is `in` every object.
  return Object.hasOwn(registry, language) ? language : DEFAULT_LOCALE;
}

/**
 * The locale dates, numbers and lists are written in: the reader's own, region included ("en-GB", "sv-FI"), when
 * their language has a file; otherwise the language the text falls back to, so an English sentence read from
 * de-DE gets English dates, not German ones pasted in.
 */
export function writingLocale(locale: string | undefined): string {
  const language = resolveLocale(locale);
  const own = typeof locale === "string" ? locale.toLowerCase().split(/[-_]/)[0] : undefined;
  return own === language && typeof locale === "string" ? locale : language;
}

export function stringsFor(locale: string | undefined): Strings {
  return registry[resolveLocale(locale)] ?? en;
}
