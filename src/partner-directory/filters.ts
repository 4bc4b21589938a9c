/**
 * The exact filters of a search (location and organization size), compiled to a yes/no byte per partner rank.
 *
 * Partners share a small set of places (city and country) and five sizes. Each size's bytes are computed
 * when the index is built; a query's location is matched against each distinct place once, and the partners
 * of the matching places are marked from per-place rank lists. Testing a partner is then one array read
 * instead of string comparisons and Set lookups for each of tens of thousands of hits.
 */
import { ORGANIZATION_SIZES, type Partner } from "../domain/partner.js";
import { memoize } from "./memoize.js";
import { cityNames } from "./swedish.js";
import { canonicalCountry, countryNames, fold } from "./text.js";

/** Which partners a query keeps. */
export interface RankFilter {
  /** No location and no size: every partner (callers can skip the test). */
  readonly everyone: boolean;
  /** A place or size no partner has: callers can answer at once. */
  readonly nobody: boolean;
  /** kept[rank] is 1 when the partner of that rank is kept, else 0. Read only; valid until the next compile (it is reused). */
  readonly kept: Uint8Array;
  /** The kept ranks, ascending, where the index has them ready (a size alone): no pass over `kept` needed. */
  readonly ranks?: Int32Array;
}

/** One distinct location of the directory: every folded name of its city and of its country. */
interface Place {
  city: ReadonlySet<string>;
  country: ReadonlySet<string>;
}

/** "Malmö, Sweden" -> ["malmo", "sweden"]: every part must name the same location (its city or its country). */
export function parseLocation(location: string | undefined): string[] | undefined {
  const parts = (location ?? "")
    .split(",")
    .map(fold)
    .filter((part) => part !== "");
  return parts.length > 0 ? parts : undefined;
}

export class PlaceAndSizeIndex {
  private readonly everyone: RankFilter;
  private readonly nobody: RankFilter;
  /** One filter per organization size, in ORGANIZATION_SIZES order: a size alone costs nothing per query. */
  private readonly bySize: readonly RankFilter[];
  /** The bytes of the last location filter, reused: allocating 100 KB per query would make the GC run more often. */
  private readonly located: Uint8Array;

  private constructor(
    private readonly places: readonly Place[],
    /** The ranks of the partners at place p: placeRanks[placeStart[p]] .. placeRanks[placeStart[p + 1] - 1]. */
    private readonly placeStart: Int32Array,
    private readonly placeRanks: Int32Array,
    sizeMasks: readonly Uint8Array[],
  ) {
    const partners = sizeMasks[0]?.length ?? 0;
    this.everyone = { everyone: true, nobody: false, kept: new Uint8Array(partners).fill(1) };
    this.nobody = { everyone: false, nobody: true, kept: new Uint8Array(partners) };
    this.bySize = sizeMasks.map((kept) => {
      let count = 0;
      for (let rank = 0; rank < kept.length; rank++) count += kept[rank]!;
      const ranks = new Int32Array(count);
      for (let rank = 0, at = 0; rank < kept.length; rank++) if (kept[rank] === 1) ranks[at++] = rank;
      return ranks.length > 0 ? { everyone: false, nobody: false, kept, ranks } : this.nobody;
    });
    this.located = new Uint8Array(partners);
  }

  /** `rankOf[i]` is the rank of partners[i] (by default, partners are listed in rank order). */
  static build(partners: readonly Partner[], rankOf: Int32Array = Int32Array.from(partners, (_, i) => i)): PlaceAndSizeIndex {
    const places: Place[] = [];
    // city -> country -> place id: no "city|country" string is built for each of a million locations.
    const placeOf = new Map<string, Map<string, number>>();
    const cityOf = memoize((city: string) => new Set(cityNames(city)) as ReadonlySet<string>);
    const countryOf = memoize(
      (country: string) => new Set(countryNames(canonicalCountry(country) ?? country.toUpperCase())) as ReadonlySet<string>,
    );
    const sizeMasks = ORGANIZATION_SIZES.map(() => new Uint8Array(partners.length));
    // Two passes. The first reads the partners in the order they are stored (cache friendly), finds each
    // location's place, counts the partners per place and writes the place ids, per partner, on a tape. The
    // second reads the tape in rank order and lays the ranks out place by place (a counting sort) in one
    // typed array, so each place's ranks are ascending; no list per place.
    let placeCounts: Int32Array<ArrayBuffer> = new Int32Array(64);
    let tape: Int32Array<ArrayBuffer> = new Int32Array(partners.length * 3);
    let tapeSize = 0;
    const tapeAt = new Int32Array(partners.length + 1);
    const tapeLength = new Int32Array(partners.length);
    for (let i = 0; i < partners.length; i++) {
      const partner = partners[i]!;
      const rank = rankOf[i]!;
      tapeAt[rank] = tapeSize;
      tapeLength[rank] = partner.locations.length;
      for (const location of partner.locations) {
        let countries = placeOf.get(location.city);
        if (!countries) placeOf.set(location.city, (countries = new Map<string, number>()));
        let id = countries.get(location.country);
        if (id === undefined) {
          id = places.push({ city: cityOf(location.city), country: countryOf(location.country) }) - 1;
          countries.set(location.country, id);
          if (id === placeCounts.length) placeCounts = grown(placeCounts, id * 2);
        }
        placeCounts[id]!++;
        if (tapeSize === tape.length) tape = grown(tape, tapeSize * 2);
        tape[tapeSize++] = id;
      }
      for (const size of partner.sizes) {
        const mask = sizeMasks[sizeIndex(size)];
        if (mask) mask[rank] = 1;
      }
    }
    const placeStart = new Int32Array(places.length + 1);
    for (let id = 0; id < places.length; id++) placeStart[id + 1] = placeStart[id]! + placeCounts[id]!;
    const placeRanks = new Int32Array(tapeSize);
    const next = placeStart.slice(0, places.length);
    for (let rank = 0; rank < partners.length; rank++) {
      for (let i = tapeAt[rank]!; i < tapeAt[rank]! + tapeLength[rank]!; i++) placeRanks[next[tape[i]!]!++] = rank;
    }
    return new PlaceAndSizeIndex(places, placeStart, placeRanks, sizeMasks);
  }

  /** The filter of a query: `location` as in SearchQuery, `size` one of ORGANIZATION_SIZES or undefined for any. */
  compile(location: string | undefined, size: string | undefined): RankFilter {
    const sized = size === undefined ? this.everyone : (this.bySize[sizeIndex(size)] ?? this.nobody);
    const parts = parseLocation(location);
    if (!parts || sized.nobody) return sized;
    return this.atPlaces(parts, sized);
  }

  /** The partners `sized` keeps at a place every part of the location names (as its city or its country). */
  private atPlaces(parts: readonly string[], sized: RankFilter): RankFilter {
    const kept = this.located.fill(0);
    let any = 0;
    this.places.forEach((place, id) => {
      if (!parts.every((part) => place.city.has(part) || place.country.has(part))) return;
      for (let i = this.placeStart[id]!; i < this.placeStart[id + 1]!; i++) {
        const rank = this.placeRanks[i]!;
        any |= kept[rank] = sized.kept[rank]!;
      }
    });
    return any ? { everyone: false, nobody: false, kept } : this.nobody;
  }
}

/** A copy of `array`, `length` long. */
function grown(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(Math.max(16, length));
  copy.set(array);
  return copy;
}

/** The index of an organization size in ORGANIZATION_SIZES; -1 for a string that is not one (it matches nobody). */
function sizeIndex(size: string): number {
  return (ORGANIZATION_SIZES as readonly string[]).indexOf(size);
}
