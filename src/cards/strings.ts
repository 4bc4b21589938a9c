import en from "./strings/en.json" with { type: "json" };

/** Every user-facing sentence. English is the reference: other locales must have the same keys. */
export type Strings = typeof en;

/** Adding a language is adding its file here (and a test checks it has every key English has). */
export const LOCALES: Readonly<Record<string, Strings>> = { en };
export const DEFAULT_LOCALE = "en";

/** "sv-SE" -> sv, "en-US" -> en, unknown -> English. */
export function resolveLocale(locale: string | undefined): string {
  const language = (typeof locale === "string" ? locale : "").toLowerCase().split(/[-_]/)[0] ?? "";
  // Object.hasOwn, not `in`: the locale comes from the client, and "constructor" is `in` every object.
  return Object.hasOwn(LOCALES, language) ? language : DEFAULT_LOCALE;
}

export function stringsFor(locale: string | undefined): Strings {
  return LOCALES[resolveLocale(locale)] ?? en;
}
