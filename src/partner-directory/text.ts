/**
 * Text folding and country names shared by the importer (is this a country code?) and the search
 * (does "Sweden", "sverige", "tyskland" or "se" mean a country?). Country names come from ICU (Intl.DisplayNames), so every
 * ISO 3166-1 code works without a hand-kept table; a few everyday aliases ICU does not know are added.
 */

/** Lower case, no diacritics ("Malmö" -> "malmo", "São Paulo" -> "sao paulo"), punctuation as single spaces. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const englishRegions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
/** Swedish admins are among the first users: "Tyskland", "Storbritannien", "Nederländerna" find DE, GB, NL. */
const swedishRegions = new Intl.DisplayNames(["sv"], { type: "region", fallback: "none" });
/** Region names in a country's own language, one DisplayNames per language tag, made once. */
const localRegions = new Map<string, Intl.DisplayNames>();

/** The English name of an ISO 3166-1 alpha-2 code, or undefined when the code names no country. */
export function countryName(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  try {
    const name = englishRegions.of(code);
    // ICU names the private-use code ZZ "Unknown Region"; that is not a place a partner can be.
    return name && name !== "Unknown Region" ? name : undefined;
  } catch {
    return undefined;
  }
}

/** ISO 3166 codes that name no country: user-assigned (AA, QM-QZ, XA-XZ but Kosovo's XK, ZZ) and EU, EZ, UN. */
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN)$/;

/**
 * The code a country is stored and searched under: "se" -> "SE", and retired or informal codes to the
 * current one ("UK" -> "GB"), so a filter on GB finds every British partner. Undefined when no country.
 */
export function canonicalCountry(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  let canonical: string | undefined;
  try {
    canonical = new Intl.Locale(`und-${code}`).region;
  } catch {
    return undefined;
  }
  if (!canonical || NOT_COUNTRIES.test(canonical) || !countryName(canonical)) return undefined;
  return canonical;
}

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  GB: ["UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"],
  US: ["USA", "United States of America", "America"],
  NL: ["The Netherlands", "Holland"],
  CZ: ["Czech Republic"],
  KR: ["South Korea", "Korea"],
  AE: ["UAE"],
};

/** The Swedish name of a country code ("DE" -> "Tyskland"), or undefined. */
export function swedishCountryName(code: string): string | undefined {
  if (!countryName(code)) return undefined;
  return swedishRegions.of(code);
}

/** Every name a person may type for a country, folded: the code, the English, Swedish and local names, aliases. */
export function countryNames(code: string): string[] {
  const names = new Set<string>([fold(code)]);
  const english = countryName(code);
  if (english) names.add(fold(english));
  try {
    const swedish = swedishCountryName(code);
    if (swedish) names.add(fold(swedish));
    // The name in the country's main language: "Sverige", "Deutschland", "Nederland".
    const tag = `${new Intl.Locale(`und-${code}`).maximize().language}-${code}`;
    let regions = localRegions.get(tag);
    if (!regions) localRegions.set(tag, (regions = new Intl.DisplayNames([tag], { type: "region", fallback: "none" })));
    const local = regions.of(code);
    if (local) names.add(fold(local));
  } catch {
    // A runtime without full ICU data still has the English names.
  }
  for (const alias of ALIASES[code] ?? []) names.add(fold(alias));
  names.delete("");
  return [...names];
}
