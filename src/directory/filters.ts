/**
 * The exact filters of a search (location and organization size) over typed arrays indexed by partner rank.
 *
 * Partners share a small set of places (city and country) and five sizes, so a query is compiled once into a
 * per-place yes/no table and a size bit; testing a partner is then a few array reads instead of string
 * comparisons and Set lookups for each of tens of thousands of hits.
 */
import { ORGANIZATION_SIZES, type Partner } from "../domain/partner.js";
import { canonicalCountry, countryNames, fold } from "./text.js";

/** Which partners a query keeps. */
export interface RankFilter {
  /** No location and no size: every partner (callers can skip the test). */
  readonly everyone: boolean;
  /** A place or size no partner has: callers can answer at once. */
  readonly nobody: boolean;
  accepts(rank: number): boolean;
}

const EVERYONE: RankFilter = { everyone: true, nobody: false, accepts: () => true };
const NOBODY: RankFilter = { everyone: false, nobody: true, accepts: () => false };

/** One distinct location of the directory: a folded city and every folded name of its country. */
interface Place {
  city: string;
  country: ReadonlySet<string>;
}

/** "Malmö, Sweden" -> ["malmo", "sweden"]: every part must name the same location (its city or its country). */
export function parseLocation(location: string | undefined): string[] | undefined {
  const parts = (location ?? "").split(",").map(fold).filter((part) => part !== "");
  return parts.length > 0 ? parts : undefined;
}

export class PlaceAndSizeIndex {
  private constructor(
    private readonly places: readonly Place[],
    /** Partner rank r is at places placeIds[placeStart[r]] .. placeIds[placeStart[r + 1] - 1]. */
    private readonly placeStart: Int32Array,
    private readonly placeIds: Int32Array,
    /** Bit i set: the partner serves ORGANIZATION_SIZES[i]. */
    private readonly sizeBits: Uint8Array,
  ) {}

  /** `byRank[r]` is the partner of rank r. */
  static build(byRank: readonly Partner[]): PlaceAndSizeIndex {
    const places: Place[] = [];
    const placeOf = new Map<string, number>();
    const cityOf = memoize(fold);
    const countryOf = memoize((country: string) => new Set(countryNames(canonicalCountry(country) ?? country.toUpperCase())) as ReadonlySet<string>);
    const placeStart = new Int32Array(byRank.length + 1);
    const placeIds: number[] = [];
    const sizeBits = new Uint8Array(byRank.length);
    byRank.forEach((partner, rank) => {
      placeStart[rank] = placeIds.length;
      for (const location of partner.locations) {
        const key = `${location.city}\u0000${location.country}`;
        let id = placeOf.get(key);
        if (id === undefined) {
          id = places.push({ city: cityOf(location.city), country: countryOf(location.country) }) - 1;
          placeOf.set(key, id);
        }
        placeIds.push(id);
      }
      for (const size of partner.sizes) sizeBits[rank] = sizeBits[rank]! | sizeBit(size);
    });
    placeStart[byRank.length] = placeIds.length;
    return new PlaceAndSizeIndex(places, placeStart, Int32Array.from(placeIds), sizeBits);
  }

  /** The filter of a query: `location` as in SearchQuery, `size` one of ORGANIZATION_SIZES or undefined for any. */
  compile(location: string | undefined, size: string | undefined): RankFilter {
    const bit = size === undefined ? 0 : sizeBit(size);
    if (size !== undefined && bit === 0) return NOBODY;
    const parts = parseLocation(location);
    const placeOk = parts && this.placesMatching(parts);
    if (placeOk === null) return NOBODY;
    if (bit === 0 && placeOk === undefined) return EVERYONE;
    const { placeStart, placeIds, sizeBits } = this;
    return {
      everyone: false,
      nobody: false,
      accepts(rank: number): boolean {
        if (bit !== 0 && (sizeBits[rank]! & bit) === 0) return false;
        if (placeOk === undefined) return true;
        for (let i = placeStart[rank]!, end = placeStart[rank + 1]!; i < end; i++) if (placeOk[placeIds[i]!] === 1) return true;
        return false;
      },
    };
  }

  /** Per place, 1 when every part of the location names it (its city or its country); null when no place does. */
  private placesMatching(parts: readonly string[]): Uint8Array | null {
    const ok = new Uint8Array(this.places.length);
    let any = false;
    this.places.forEach((place, id) => {
      if (parts.every((part) => part === place.city || place.country.has(part))) {
        ok[id] = 1;
        any = true;
      }
    });
    return any ? ok : null;
  }
}

/** The bit of an organization size; 0 for a string that is not one (it matches nobody). */
function sizeBit(size: string): number {
  const index = (ORGANIZATION_SIZES as readonly string[]).indexOf(size);
  return index < 0 ? 0 : 1 << index;
}

/** Country and city strings repeat across thousands of partners: fold and resolve each one once per build. */
function memoize<T>(compute: (input: string) => T): (input: string) => T {
  const cache = new Map<string, T>();
  return (input) => {
    let value = cache.get(input);
    if (value === undefined) {
      value = compute(input);
      cache.set(input, value);
    }
    return value;
  };
}
