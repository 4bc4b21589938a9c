import type { Partner } from "../domain/partner.js";
import { canonicalCountry, countryName } from "./text.js";

/** The cities and countries (by English name) of the partners' locations, once each, sorted: the places a person may name. */
export function placesOf(partners: readonly Partner[]): readonly string[] {
  const names = new Set<string>();
  for (const partner of partners)
    for (const { city, country } of partner.locations) {
      names.add(city);
      names.add(countryName(canonicalCountry(country) ?? "") ?? country);
    }
  return [...names].sort();
}
