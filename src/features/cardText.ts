import { LRUCache } from "lru-cache";
import type { RoleModel } from "../cards/models.js";
import { formatMessage } from "../cards/messages.js";
import { writingLocale, type Strings } from "../cards/strings.js";
import type { PartnerType } from "../domain/partnerTypes.js";
import { ROLE, ROLE_BREADTH, roleKeyOf } from "../domain/roles.js";
import type { ViewContext } from "./types.js";

/**
 * Intl objects per locale, built once: constructing a DateTimeFormat or Collator costs far more than using one, and
 * a card with a dozen dates built them a dozen times per turn (bench/RESULTS.md). They are immutable, so sharing
 * them between concurrent turns is safe. Locales come from activities, so the cache is bounded.
 */
const MAX_CACHED_LOCALES = 64;
function cachedPerLocale<T extends NonNullable<unknown>>(make: (locale: string) => T): (locale: string) => T {
  const cache = new LRUCache<string, T>({
    max: MAX_CACHED_LOCALES,
    memoMethod: (locale) => {
      try {
        return make(locale);
      } catch {
        return make("en"); // a tag the runtime does not know (or not a tag at all) falls back to English
      }
    },
  });
  return (locale) => cache.memo(locale);
}

const dateFormatFor = cachedPerLocale((locale) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }));

const dateTimeFormatFor = cachedPerLocale(
  (locale) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
);

/** Keyed "locale|zone": a reader's own zone, or UTC when their client did not say. */
const momentFormatFor = cachedPerLocale((key) => {
  const [locale = "en", timeZone = "UTC"] = key.split("|");
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
});

/**
 * A moment as the reader reads it: their locale, in their own time zone when their client says which
 * ("29 Nov 2026, 15:02"), otherwise in UTC and labelled so ("29 Nov 2026, 14:02 UTC").
 */
export function formatMoment(iso: string, reader: { locale: string; timeZone?: string | undefined }, s: Strings): string {
  const zone = reader.timeZone;
  const text = momentFormatFor(`${writingLocale(reader.locale)}|${zone ?? "UTC"}`).format(new Date(iso));
  return zone && zone !== "UTC" ? text : formatMessage(s, s.history.utc, { time: text });
}

/** Compares names the way the user's language sorts them. */
export const collatorFor = cachedPerLocale((locale) => new Intl.Collator(locale));

/**
 * A date as the user's locale writes it (e.g. "24 Nov 2026" / "Nov 24, 2026"), in UTC so every admin sees the same day;
 * in the language of the text around it when the user's language has no strings file (writingLocale).
 */
export function formatDate(iso: string, locale: string): string {
  return dateFormatFor(writingLocale(locale)).format(new Date(iso));
}

/** A moment as the user's locale writes it, in UTC (e.g. "24 Nov 2026, 14:05"); the text around it says UTC. */
export function formatDateTime(iso: string, locale: string): string {
  return dateTimeFormatFor(writingLocale(locale)).format(new Date(iso));
}

/** A number as the user's locale writes it; a locale tag the runtime does not know falls back to English. */
export function formatNumber(value: number, locale: string): string {
  try {
    return value.toLocaleString(writingLocale(locale));
  } catch {
    return value.toLocaleString("en");
  }
}

export function typeNames(types: readonly PartnerType[], s: Strings): string {
  return types.length === 0 ? s.partners.noTypes : types.map((t) => s.partnerTypes.types[t].name).join(", ");
}

/** Orders role template ids broadest first, so a review lists the riskiest grant first. */
export const byBreadth = (a: string, b: string): number => breadth(a) - breadth(b);
const breadth = (roleId: string): number => {
  const key = roleKeyOf(roleId);
  return key ? ROLE_BREADTH.indexOf(key) : ROLE_BREADTH.length;
};

/** One role in plain language; Global administrator is flagged as the broadest. */
export function roleModel(roleId: string, s: Strings): RoleModel | undefined {
  const key = roleKeyOf(roleId);
  if (!key) return undefined;
  const broadest = ROLE[key] === ROLE.globalAdministrator;
  return { name: s.roles[key].name, description: s.roles[key].description, broadest, color: broadest ? "Attention" : "Default" };
}

export function roleModels(roleIds: readonly string[], s: Strings): RoleModel[] {
  return [...new Set(roleIds.map((id) => id.toLowerCase()))].sort(byBreadth).flatMap((id) => roleModel(id, s) ?? []);
}

export function roleNames(roleIds: readonly string[], s: Strings): string {
  const models = roleModels(roleIds, s);
  return models.length === 0 ? s.invitations.noRoles : models.map((r) => r.name).join(", ");
}

export const hasGlobalAdmin = (roleIds: readonly string[]): boolean => roleIds.some((id) => id.toLowerCase() === ROLE.globalAdministrator);

/**
 * The label of a card that shows something from Microsoft (a GDAP request, its status, an approval link, the
 * connection) while Microsoft is local mode's simulated Partner Center; "" otherwise. Every such card's template
 * shows it first, so nobody mistakes the demo's stand-in for Microsoft.
 */
export const simulationLabel = (ctx: Pick<ViewContext, "microsoftSimulated" | "strings">, showsMicrosoft = true): string =>
  ctx.microsoftSimulated === true && showsMicrosoft ? ctx.strings.simulation.label : "";
