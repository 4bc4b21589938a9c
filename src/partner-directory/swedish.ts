/**
 * Swedish in the directory search: the words a Swedish admin types for what the directory holds in English.
 *
 * Country names need no table (text.ts asks Intl.DisplayNames for them in English, Swedish and the country's
 * own language). Cities and service words do: ICU has no city names, and the directory's services are its
 * own English tags. Every entry is folded (fold), so accents are optional both ways: "Göteborg" and
 * "Goteborg", "säkerhet" and "sakerhet".
 */
import { fold } from "./text.js";

/**
 * Other names of the cities the directory holds, by the name the directory uses. Only exonyms: where a
 * Swedish or local name differs from the English one ("Gothenburg" is "Göteborg"). Either name finds the
 * city, whichever of the two the directory was imported with.
 */
const CITY_EXONYMS: readonly (readonly string[])[] = [
  ["Gothenburg", "Göteborg"],
  ["Munich", "München"],
  ["Cape Town", "Kapstaden"],
  ["Copenhagen", "Köpenhamn", "København"],
  ["Helsinki", "Helsingfors"],
  ["Turku", "Åbo"],
  ["Lisbon", "Lissabon"],
  ["Rome", "Rom"],
  ["Prague", "Prag"],
  ["Warsaw", "Warszawa"],
  ["Vienna", "Wien"],
  ["Brussels", "Bryssel"],
  ["Cologne", "Köln"],
  ["Zurich", "Zürich"],
  ["Bengaluru", "Bangalore"],
];

const citiesByName: ReadonlyMap<string, readonly string[]> = new Map(
  CITY_EXONYMS.flatMap((names) => {
    const folded = names.map(fold);
    return folded.map((name) => [name, folded] as const);
  }),
);

/** Every folded name of a city: "Gothenburg" -> ["gothenburg", "goteborg"]; a city without exonyms, its folded name. */
export function cityNames(city: string): readonly string[] {
  const folded = fold(city);
  return citiesByName.get(folded) ?? [folded];
}

/** The Swedish names of a directory city that has one, as written ("Gothenburg" -> ["Göteborg"]), for the places a person may type. */
export function otherCityNames(city: string): readonly string[] {
  const folded = fold(city);
  const group = CITY_EXONYMS.find((names) => names.some((name) => fold(name) === folded));
  return group ? group.filter((name) => fold(name) !== folded) : [];
}

/**
 * Swedish words for the directory's services, industries and partner types, and the English words the index
 * holds for them. A Swedish word is searched as its English words, so "säkerhet" finds exactly what
 * "security" finds. Only words of the directory's vocabulary (scripts/generate-sample-directory.ts, the
 * import format's examples); a word with the same spelling in both languages ("support", "data") needs none.
 */
const SWEDISH_WORDS: Readonly<Record<string, string>> = {
  // Services
  säkerhet: "security",
  cybersäkerhet: "security",
  efterlevnad: "compliance",
  regelefterlevnad: "compliance",
  licens: "licensing",
  licenser: "licensing",
  licensiering: "licensing",
  licensering: "licensing",
  fakturering: "billing",
  migrering: "migration",
  flytt: "migration",
  säkerhetskopiering: "backup",
  säkerhetskopior: "backup",
  återställning: "recovery",
  kundtjänst: "helpdesk",
  enhetshantering: "device management",
  enheter: "device",
  identitet: "identity",
  identiteter: "identity",
  åtkomst: "access",
  behörighet: "access",
  intranät: "intranet",
  infrastruktur: "infrastructure",
  analys: "analytics",
  dataanalys: "data analytics",
  röst: "voice",
  telefoni: "voice",
  appar: "apps",
  införande: "adoption",
  // Industries
  finans: "finance",
  bank: "finance",
  handel: "retail",
  detaljhandel: "retail",
  sjukvård: "healthcare",
  vård: "healthcare",
  utbildning: "education",
  skola: "education",
  juridik: "legal",
  tillverkning: "manufacturing",
  industri: "manufacturing",
  energi: "energy",
  hotell: "hospitality",
  besöksnäring: "hospitality",
  ideell: "nonprofit",
  ideella: "nonprofit",
  offentlig: "government",
  myndighet: "government",
  myndigheter: "government",
  // Partner types (the glossary's words)
  återförsäljare: "reseller",
  rådgivare: "advisor",
  delegerad: "delegated",
  administratör: "administrator",
};

/** Folded Swedish term -> the folded English terms it stands for. Folded once, when the module loads. */
const englishTerms: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(SWEDISH_WORDS).map(([swedish, english]) => [fold(swedish), fold(english).split(" ")]),
);

/**
 * A query's processed terms with each Swedish word replaced by the English terms the directory holds:
 * ["sakerhet", "stockholm"] -> ["security", "stockholm"]. Terms that are not Swedish words stay as they are.
 */
export function inEnglish(terms: readonly string[]): string[] {
  return terms.flatMap((term) => englishTerms.get(term) ?? [term]);
}
