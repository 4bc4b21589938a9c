/**
 * A generated partner directory: deterministic (seeded), shaped like the sample directory but much bigger and
 * with a realistic vocabulary: company names from common words and invented brand words (tens of thousands
 * of distinct terms), 40 services, 20 industries, 60 cities in 25 countries.
 */
import { ORGANIZATION_SIZES, type Partner } from "../../src/domain/partner.js";
import { PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { seededRandom } from "../../test/helpers/seededRandom.js";

const WORDS = (
  "Contoso Northwind Fabrikam Adventure Tailspin Wingtip Litware Proseware Fourth Coffee Alpine Ski Blue Yonder Margie Trey Woodgrove Lucerne Humongous Graphic Design " +
  "Coral Juniper Quartz Harbor Zenith Orbit Cedar Evergreen Oak Meridian Lakeside Vertex Granite Horizon Sapphire True North Bright Summit Pioneer Atlas Beacon Crest " +
  "Delta Echo Falcon Glacier Highland Iris Jade Keystone Lumen Maple Nimbus Onyx Pinnacle Quantum Riverbend Sierra Tundra Unity Valley Willow Xenon Yarrow Zephyr " +
  "Aurora Birch Cobalt Dune Ember Fjord Grove Haven Indigo Jasper Kestrel Lagoon Mosaic Nova Opal Prairie Quill Raven Spruce Tidal Umber Vista Wren Amber Basalt " +
  "Cascade Drift Elm Flint Garnet Hollow Ivory Juno Kite Larch Mesa Nectar Olive Pebble Quarry Ridge Slate Thistle Upland Vale Whisper Acorn Bluff Canyon Dawn"
).split(" ");
const SECOND =
  "Cloud Data Digital Systems Solutions Networks Consulting Tech IT Managed Services Partners Advisory Labs Works Group Integration Security Apps Logic".split(
    " ",
  );
const SUFFIX = ["AB", "Ltd", "GmbH", "Inc", "LLC", "Group", "Co", "SAS", "BV", "Pty", "Oy", "AS", ""];
const SYLLABLES =
  "ka lo mi ne ra so tu vi be da fe gi ho ju ku la ma no pe ri sa te vo ze bar cel dor fin gal hel kor lin mar nor pel quin ros sel tor val wen".split(
    " ",
  );

export const SERVICES = [
  "Microsoft 365 migration",
  "Security and compliance",
  "Licensing and billing",
  "Helpdesk support",
  "Exchange Online",
  "Azure infrastructure",
  "SharePoint intranet",
  "Copilot adoption",
  "Data and analytics",
  "Intune device management",
  "Power Platform apps",
  "Dynamics 365",
  "Identity and access",
  "Backup and recovery",
  "Teams voice",
  "Teams rooms",
  "Windows 365",
  "Azure Virtual Desktop",
  "Defender for Endpoint",
  "Sentinel SIEM",
  "Purview data governance",
  "Entra ID governance",
  "Zero trust",
  "Power BI dashboards",
  "Fabric data platform",
  "Azure OpenAI",
  "Custom copilots",
  "Dataverse",
  "Business Central",
  "Dynamics 365 Sales",
  "Customer service",
  "Field service",
  "Supply chain",
  "Cloud cost optimisation",
  "Managed detection and response",
  "Email security",
  "Endpoint patching",
  "Network modernisation",
  "Hybrid identity",
  "Tenant to tenant migration",
];
export const INDUSTRIES = [
  "Energy",
  "Finance",
  "Legal",
  "Hospitality",
  "Manufacturing",
  "Retail",
  "Education",
  "Healthcare",
  "Government",
  "Nonprofit",
  "Insurance",
  "Logistics",
  "Media",
  "Telecommunications",
  "Construction",
  "Agriculture",
  "Automotive",
  "Pharmaceuticals",
  "Real estate",
  "Travel",
];
export const CITIES: Array<[string, string]> = [
  ["SE", "Stockholm"],
  ["SE", "Malmö"],
  ["SE", "Gothenburg"],
  ["SE", "Uppsala"],
  ["GB", "London"],
  ["GB", "Manchester"],
  ["GB", "Leeds"],
  ["GB", "Bristol"],
  ["US", "Seattle"],
  ["US", "New York"],
  ["US", "Chicago"],
  ["US", "Austin"],
  ["US", "Denver"],
  ["US", "Atlanta"],
  ["DE", "Berlin"],
  ["DE", "Munich"],
  ["DE", "Hamburg"],
  ["DE", "Frankfurt"],
  ["FR", "Paris"],
  ["FR", "Lyon"],
  ["FR", "Toulouse"],
  ["NL", "Amsterdam"],
  ["NL", "Rotterdam"],
  ["NL", "Utrecht"],
  ["BR", "São Paulo"],
  ["BR", "Rio de Janeiro"],
  ["AU", "Sydney"],
  ["AU", "Melbourne"],
  ["AU", "Brisbane"],
  ["ZA", "Johannesburg"],
  ["ZA", "Cape Town"],
  ["JP", "Tokyo"],
  ["JP", "Osaka"],
  ["IN", "Bengaluru"],
  ["IN", "Pune"],
  ["IN", "Hyderabad"],
  ["CA", "Toronto"],
  ["CA", "Montreal"],
  ["CA", "Vancouver"],
  ["NO", "Oslo"],
  ["NO", "Bergen"],
  ["DK", "Copenhagen"],
  ["DK", "Aarhus"],
  ["FI", "Helsinki"],
  ["FI", "Tampere"],
  ["ES", "Madrid"],
  ["ES", "Barcelona"],
  ["IT", "Milan"],
  ["IT", "Rome"],
  ["PL", "Warsaw"],
  ["PL", "Kraków"],
  ["CH", "Zürich"],
  ["CH", "Geneva"],
  ["AT", "Vienna"],
  ["IE", "Dublin"],
  ["BE", "Brussels"],
  ["PT", "Lisbon"],
  ["MX", "Mexico City"],
  ["SG", "Singapore"],
  ["NZ", "Auckland"],
];

export function generateDirectory(count: number, seed = 20240601): Partner[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const some = <T>(list: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(random() * (max - min + 1));
    const out = new Set<T>();
    for (let guard = 0; out.size < n && guard < n * 10; guard++) out.add(pick(list));
    return [...out];
  };
  const brand = () => {
    const word = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join("");
    return word[0]!.toUpperCase() + word.slice(1);
  };
  const partners: Partner[] = [];
  for (let i = 0; i < count; i++) {
    const first = random() < 0.5 ? brand() : pick(WORDS);
    const name = [first, pick(SECOND), pick(SUFFIX)].filter(Boolean).join(" ");
    const id = `p-${i.toString().padStart(6, "0")}`;
    partners.push({
      id,
      name: `${name}${random() < 0.1 ? ` ${pick(WORDS)}` : ""}`,
      tenantId: `dddd0000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`,
      locations: some(CITIES, 1, 3).map(([country, city]) => ({ country, city })),
      sizes: some(ORGANIZATION_SIZES, 1, 3),
      services: some(SERVICES, 2, 5),
      industries: some(INDUSTRIES, 0, 3),
      types: some(PARTNER_TYPES, 1, 3),
      contacts: [],
    });
  }
  return partners;
}

/** The fixed query set: keyword, location, size, combined, typos, multi-word, no match, deep pages. */
export const QUERIES: Array<{
  label: string;
  location?: string;
  size?: (typeof ORGANIZATION_SIZES)[number];
  keywords?: string;
  page?: number;
}> = [
  { label: "keyword: security", keywords: "security" },
  { label: "keyword typo: secruity", keywords: "secruity" },
  { label: "keyword: migration", keywords: "migration" },
  { label: "keywords: exchange online", keywords: "exchange online" },
  { label: "keyword: copilot", keywords: "copilot" },
  { label: "keywords: intune device management", keywords: "intune device management" },
  { label: "keywords: power platform", keywords: "power platform" },
  { label: "keyword prefix: azu", keywords: "azu" },
  { label: "keywords: teams voice", keywords: "teams voice" },
  { label: "keywords: backup recovery", keywords: "backup recovery" },
  { label: "keywords: data analytics", keywords: "data analytics" },
  { label: "keywords: dynamics 365", keywords: "dynamics 365" },
  { label: "keyword: GDAP", keywords: "GDAP" },
  { label: "keywords: zero trust", keywords: "zero trust" },
  { label: "name: harbor", keywords: "harbor" },
  { label: "name: zenith cloud", keywords: "zenith cloud" },
  { label: "name typo: meridain", keywords: "meridain" },
  { label: "name: kalomi (brand)", keywords: "kalomi" },
  { label: "industry: healthcare", keywords: "healthcare" },
  { label: "industry+service: finance security", keywords: "finance security" },
  { label: "location: Sweden", location: "Sweden" },
  { label: "location: SE", location: "SE" },
  { label: "location: Malmo (no accent)", location: "Malmo" },
  { label: "location: London, GB", location: "London, GB" },
  { label: "location: Deutschland", location: "Deutschland" },
  { label: "size: 51-250", size: "51-250" },
  { label: "size: 5000+", size: "5000+" },
  { label: "location+size: Germany 251-1000", location: "Germany", size: "251-1000" },
  { label: "all three: Sweden 51-250 security", location: "Sweden", size: "51-250", keywords: "security" },
  { label: "all three: US 1-50 copilot adoption", location: "United States", size: "1-50", keywords: "copilot adoption" },
  { label: "all three: Paris 1001-5000 sentinel", location: "Paris", size: "1001-5000", keywords: "sentinel" },
  { label: "location+keywords: Tokyo azure", location: "Tokyo", keywords: "azure" },
  { label: "long: tenant to tenant migration exchange", keywords: "tenant to tenant migration exchange" },
  { label: "no match: quantum blockchain", keywords: "quantum blockchain" },
  { label: "no match: location Atlantis", location: "Atlantis" },
  { label: "everything, page 0", keywords: "" },
  { label: "everything, page 500", keywords: "", page: 500 },
  { label: "keyword, page 200: security", keywords: "security", page: 200 },
  { label: "stop words only: and the of", keywords: "and the of" },
  { label: "short: IT", keywords: "IT" },
];

/**
 * The directory section's mix (500,000 partners), as people search: countries and cities by their English,
 * Swedish or local names, service and industry words in English and Swedish, sizes, combinations, typos, and
 * paging through a search (the next pages of a search the index has just ranked, and a jump deep into one).
 */
export const DIRECTORY_QUERIES: typeof QUERIES = [
  ...QUERIES,
  { label: "location: Sverige", location: "Sverige" },
  { label: "location: Göteborg", location: "Göteborg" },
  { label: "location: Goteborg (no accent)", location: "Goteborg" },
  { label: "location: Stockholm, Sverige", location: "Stockholm, Sverige" },
  { label: "location: München", location: "München" },
  { label: "location: Köpenhamn", location: "Köpenhamn" },
  { label: "location: Storbritannien", location: "Storbritannien" },
  { label: "keyword sv: säkerhet", keywords: "säkerhet" },
  { label: "keywords sv: migrering Göteborg-size", keywords: "migrering", location: "Göteborg", size: "51-250" },
  { label: "keywords sv: säkerhetskopiering återställning", keywords: "säkerhetskopiering återställning" },
  { label: "keywords sv: sjukvård efterlevnad", keywords: "sjukvård efterlevnad" },
  { label: "keyword sv: återförsäljare, Sverige", keywords: "återförsäljare", location: "Sverige" },
  { label: "location+size: Malmö 1-50", location: "Malmö", size: "1-50" },
  { label: "size: 1-50", size: "1-50" },
  { label: "keywords: teams rooms, page 1", keywords: "teams rooms", page: 1 },
  { label: "keywords: teams rooms, page 2", keywords: "teams rooms", page: 2 },
  { label: "keywords: teams rooms, page 3", keywords: "teams rooms", page: 3 },
  { label: "location: Germany, page 1", location: "Germany", page: 1 },
  { label: "location: Germany, page 40", location: "Germany", page: 40 },
  { label: "keyword, page 2000: migration", keywords: "migration", page: 2000 },
  { label: "name prefix: zen", keywords: "zen" },
  { label: "name typo: fabrikm", keywords: "fabrikm" },
  { label: "keywords: sentinel siem, Norway", keywords: "sentinel siem", location: "Norway" },
  { label: "keywords: power bi, US 5000+", keywords: "power bi", location: "US", size: "5000+" },
];
