/**
 * Generates src/partner-directory/sample-directory.json, the fictional directory of local mode and of the search tests.
 * Run once (`npx tsx scripts/generate-sample-directory.ts`) and commit the file: the JSON is the source of
 * truth from then on, so the demo exercises the same import path as a real directory. The generator is
 * deterministic (seeded PRNG), so re-running it reproduces the file byte for byte.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO } from "../src/demo/constants.js";
import { ORGANIZATION_SIZES, type Partner } from "../src/domain/partner.js";
import { PARTNER_TYPES, type PartnerType } from "../src/domain/partnerTypes.js";
import { seededRandom } from "../test/helpers/seededRandom.js";

const PLACES: ReadonlyArray<[string, string[]]> = [
  ["US", ["Seattle", "New York", "Austin", "Chicago", "Denver", "Atlanta"]],
  ["GB", ["London", "Manchester", "Leeds", "Bristol"]],
  ["SE", ["Stockholm", "Gothenburg", "Malmö", "Uppsala"]],
  ["DE", ["Berlin", "Munich", "Hamburg", "Frankfurt"]],
  ["FR", ["Paris", "Lyon", "Toulouse"]],
  ["NL", ["Amsterdam", "Rotterdam", "Utrecht"]],
  ["IN", ["Bengaluru", "Pune", "Hyderabad"]],
  ["AU", ["Sydney", "Melbourne", "Brisbane"]],
  ["CA", ["Toronto", "Vancouver", "Montreal"]],
  ["JP", ["Tokyo", "Osaka"]],
  ["BR", ["São Paulo", "Rio de Janeiro"]],
  ["ZA", ["Johannesburg", "Cape Town"]],
];
const FIRST = [
  "Alpine",
  "Blue Harbor",
  "Bright",
  "Cedar",
  "Clearview",
  "Cobalt",
  "Coral",
  "Evergreen",
  "Fjord",
  "Granite",
  "Harbor",
  "Horizon",
  "Iron Bridge",
  "Juniper",
  "Lakeside",
  "Lumen",
  "Maple",
  "Meridian",
  "Nimbus",
  "North Star",
  "Oak",
  "Orbit",
  "Pinnacle",
  "Quartz",
  "Redwood",
  "Riverbend",
  "Sapphire",
  "Silverline",
  "Summit",
  "Tidewater",
  "True North",
  "Vertex",
  "Willow",
  "Zenith",
];
const SECOND = ["Cloud", "IT", "Digital", "Tech", "Systems", "Consulting", "Solutions", "Networks", "Data", "Managed Services"];
const SUFFIX = ["Ltd", "Inc", "AB", "GmbH", "Partners", "Group", "Co", "LLC"];
const SERVICES = [
  "Microsoft 365 migration",
  "Teams voice",
  "Security and compliance",
  "Intune device management",
  "Azure infrastructure",
  "Dynamics 365",
  "Power Platform apps",
  "SharePoint intranet",
  "Licensing and billing",
  "Backup and recovery",
  "Identity and access",
  "Copilot adoption",
  "Helpdesk support",
  "Data and analytics",
  "Exchange Online",
];
const INDUSTRIES = [
  "Healthcare",
  "Education",
  "Finance",
  "Retail",
  "Manufacturing",
  "Government",
  "Nonprofit",
  "Legal",
  "Hospitality",
  "Energy",
];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const pickSome = <T>(rnd: () => number, list: readonly T[], min: number, max: number): T[] => {
  const count = min + Math.floor(rnd() * (max - min + 1));
  const pool = [...list];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0] as T);
  return out;
};
const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** The two named partners the demo story uses (README names them), then `count` generated ones. */
export function generateSampleDirectory(count = 320): Partner[] {
  const rnd = seededRandom(20261124);
  const partners: Partner[] = [
    {
      id: DEMO.invitingPartnerId,
      name: "Contoso Cloud Partners",
      tenantId: DEMO.partnerContact.tenantId,
      locations: [
        { country: "SE", city: "Stockholm" },
        { country: "GB", city: "London" },
      ],
      sizes: ["51-250", "251-1000"],
      services: ["Microsoft 365 migration", "Security and compliance", "Licensing and billing"],
      industries: ["Finance", "Retail"],
      types: ["reseller", "resellerAndDelegatedAdministrator", "advisor"],
      contacts: [{ ...DEMO.partnerContact }],
      website: "https://contoso-cloud.example.com",
    },
    {
      id: DEMO.activePartnerId,
      name: "Northwind Managed Services",
      tenantId: "c0ffee00-0000-4000-8000-0000000000c0",
      locations: [{ country: "US", city: "Seattle" }],
      sizes: ["1-50", "51-250"],
      services: ["Helpdesk support", "Intune device management", "Licensing and billing"],
      industries: ["Healthcare", "Education"],
      types: ["resellerAndDelegatedAdministrator"],
      contacts: [],
      website: "https://northwind-ms.example.com",
    },
  ];
  const used = new Set(partners.map((p) => p.id));
  while (partners.length < count + 2) {
    const name = `${pick(rnd, FIRST)} ${pick(rnd, SECOND)} ${pick(rnd, SUFFIX)}`;
    const id = slug(name);
    if (used.has(id)) continue;
    used.add(id);
    const [country, cities] = pick(rnd, PLACES);
    const types = pickSome<PartnerType>(rnd, PARTNER_TYPES, 1, 3);
    const n = partners.length;
    partners.push({
      id,
      name,
      tenantId: `d1ec7000-0000-4000-8000-${String(n).padStart(12, "0")}`,
      locations: pickSome(rnd, cities, 1, 2).map((city) => ({ country, city })),
      sizes: pickSome(rnd, ORGANIZATION_SIZES, 1, 3),
      services: pickSome(rnd, SERVICES, 2, 5),
      industries: pickSome(rnd, INDUSTRIES, 0, 3),
      types,
      contacts: [],
      website: `https://${id}.example.com`,
    });
  }
  return partners;
}

/** One partner per line: small, readable diffs when someone edits the sample by hand. */
export function toSampleJson(partners: readonly Partner[]): string {
  return `[\n${partners.map((p) => `  ${JSON.stringify(p)}`).join(",\n")}\n]\n`;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "src", "partner-directory", "sample-directory.json");
  const partners = generateSampleDirectory();
  writeFileSync(target, toSampleJson(partners));
  console.log(`Wrote ${partners.length} partners to ${path.relative(process.cwd(), target)}`);
}
