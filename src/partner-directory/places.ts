import type { Partner } from "../domain/partner.js";
import { otherCityNames } from "./swedish.js";
import { canonicalCountry, countryName, swedishCountryName } from "./text.js";

/**
 * The cities and countries of the partners' locations, once each, sorted: the places a person may name. Each by
 * its English name and, where it differs, its Swedish one ("Gothenburg" and "Göteborg", "Germany" and
 * "Tyskland"): the search's location filter understands both.
 */
export function placesOf(partners: readonly Partner[]): readonly string[] {
  const names = new Set<string>();
  const countries = new Set<string>();
  for (const partner of partners)
    for (const { city, country } of partner.locations) {
      names.add(city);
      for (const other of otherCityNames(city)) names.add(other);
      countries.add(country);
    }
  for (const country of countries) {
    const code = canonicalCountry(country) ?? "";
    names.add(countryName(code) ?? country);
    const swedish = swedishCountryName(code);
    if (swedish) names.add(swedish);
  }
  return [...names].sort();
}
