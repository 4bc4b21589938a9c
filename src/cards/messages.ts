import { IntlMessageFormat, type Formats } from "intl-messageformat";
import { LRUCache } from "lru-cache";
import { languageOf } from "./strings.js";

/** What a message's placeholders take: text, a number (formatted and pluralised by the message's language) or a date. */
export type MessageValues = Readonly<Record<string, string | number | Date>>;

/**
 * Dates in messages (`{when, date, medium}`) are in UTC, as the sentences around them say, so every admin sees the
 * same day. intl-messageformat merges these over its defaults, so they spell out fields rather than `dateStyle`.
 */
const FORMATS: Partial<Formats> = {
  date: { medium: { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" } },
  time: { short: { hour: "numeric", minute: "numeric", timeZone: "UTC" } },
};

/**
 * Compiled messages, per language and text: parsing a message costs far more than formatting it, and cards are
 * built on every turn. The catalogue is finite, but a test or a new file may add languages, so the cache is bounded.
 */
const MAX_COMPILED = 5_000;
const compiled = new LRUCache<string, IntlMessageFormat>({ max: MAX_COMPILED });

/**
 * Formats an ICU message (`{partner}`, `{count, plural, one {# partner} other {# partners}}`, `{status, select, …}`)
 * in the language of the strings it comes from: `strings` is that strings object, or any object inside it
 * (`formatMessage(s, s.partners.endTitle, { partner })`).
 */
export function formatMessage(strings: object, message: string, values: MessageValues = {}): string {
  const language = languageOf(strings);
  const key = `${language}\u0000${message}`;
  let format = compiled.get(key);
  if (!format) {
    // ignoreTag: a "<" in a sentence is text, not markup.
    format = new IntlMessageFormat(message, language, FORMATS, { ignoreTag: true });
    compiled.set(key, format);
  }
  // A prototype-less copy: intl-messageformat looks values up with `in`, so "{toString}" would find Object's method.
  const formatted = format.format<string>(Object.assign(Object.create(null) as Record<string, never>, values));
  return Array.isArray(formatted) ? formatted.join("") : String(formatted);
}
