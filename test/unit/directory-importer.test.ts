import { expect } from "chai";
import { planImport } from "../../src/partner-directory/importDirectory.js";
import { formatRowError, parseDirectory, type RowError } from "../../src/partner-directory/importer.js";
import type { Partner } from "../../src/domain/partner.js";

const HEADER = "id,name,tenantId,locations,sizes,services,industries,types,contacts,website";

const CONTOSO: Partner = {
  id: "contoso-cloud",
  name: "Contoso Cloud",
  tenantId: "11111111-0000-4000-8000-000000000001",
  locations: [
    { country: "SE", city: "Malmö" },
    { country: "GB", city: "London" },
  ],
  sizes: ["51-250", "251-1000"],
  services: ["Microsoft 365 migration", "Security and compliance"],
  industries: ["Finance"],
  types: ["reseller", "advisor"],
  contacts: [{ userId: "user-1", tenantId: "11111111-0000-4000-8000-000000000001", name: "Ada Lovelace" }],
  website: "https://contoso.example.com",
};
const FABRIKAM: Partner = {
  id: "fabrikam-it",
  name: "Fabrikam IT, Inc.",
  tenantId: "22222222-0000-4000-8000-000000000002",
  locations: [{ country: "US", city: "New York" }],
  sizes: ["5000+"],
  services: ["Teams voice"],
  industries: [],
  types: ["lobPartner"],
  contacts: [],
};

const GOOD_CSV = [
  HEADER,
  'contoso-cloud,Contoso Cloud,11111111-0000-4000-8000-000000000001,"Malmö, SE;London, GB",51-250;251-1000,Microsoft 365 migration;Security and compliance,Finance,reseller;advisor,Ada Lovelace <user-1@11111111-0000-4000-8000-000000000001>,https://contoso.example.com',
  'fabrikam-it,"Fabrikam IT, Inc.",22222222-0000-4000-8000-000000000002,"New York, us",5000+,Teams voice,,lobPartner,,',
].join("\n");

const row = (id: string, overrides: Partial<Record<string, string>> = {}) => {
  const cells: Record<string, string> = {
    id,
    name: `Partner ${id}`,
    tenantId: `tenant-${id}`,
    locations: '"Berlin, DE"',
    sizes: "1-50",
    services: "Helpdesk support",
    industries: "Retail",
    types: "reseller",
    contacts: "",
    website: "",
    ...overrides,
  };
  return HEADER.split(",")
    .map((column) => cells[column])
    .join(",");
};

describe("directory importer: parseDirectory", () => {
  describe("CSV", () => {
    it("parses a good file into partners, with list cells split on ';', locations as 'City, CC' and contacts as 'Name <userId@tenantId>'", () => {
      const parsed = parseDirectory(GOOD_CSV, "csv");
      expect(parsed.errors).to.deep.equal([]);
      expect(parsed.rows).to.equal(2);
      expect(parsed.partners).to.deep.equal([CONTOSO, FABRIKAM]);
    });

    it("accepts the columns in any order and any case, a byte order mark and Windows line endings", () => {
      const text =
        "\uFEFFName,ID,Types,Sizes,Services,Locations,TenantId\r\n" +
        '"Fabrikam IT, Inc.",fabrikam-it,lobPartner,5000+,Teams voice,"New York, US",22222222-0000-4000-8000-000000000002\r\n';
      const parsed = parseDirectory(text, "csv");
      expect(parsed.errors).to.deep.equal([]);
      expect(parsed.partners).to.deep.equal([FABRIKAM]);
    });

    it("reports a bad size on row 3 and a missing name on row 5, exactly those, with row, field and reason, and keeps the good rows", () => {
      const text = [HEADER, row("p-2"), row("p-3", { sizes: "1-50;huge" }), row("p-4"), row("p-5", { name: "" }), row("p-6")].join("\n");
      const parsed = parseDirectory(text, "csv");
      expect(parsed.errors).to.deep.equal([
        { row: 3, field: "sizes", reason: '"huge" is not an organization size; use 1-50, 51-250, 251-1000, 1001-5000, 5000+' },
        { row: 5, field: "name", reason: "is required" },
      ]);
      expect(parsed.partners.map((p) => p.id)).to.deep.equal(["p-2", "p-4", "p-6"]);
      expect(parsed.rows).to.equal(5);
      expect(parsed.errors.map(formatRowError)).to.deep.equal([
        'row 3, sizes: "huge" is not an organization size; use 1-50, 51-250, 251-1000, 1001-5000, 5000+',
        "row 5, name: is required",
      ]);
    });

    it("counts rows as lines in the file, even when blank lines or a quoted cell spanning lines come first", () => {
      const text = [HEADER, "", row("p-3", { name: '"Two\nlines"' }), row("p-5", { types: "wizard" })].join("\n");
      const parsed = parseDirectory(text, "csv");
      expect(parsed.errors).to.deep.equal([
        {
          row: 5,
          field: "types",
          reason:
            '"wizard" is not a partner type; use reseller, delegatedAdministrator, resellerAndDelegatedAdministrator, partner, advisor, mpsaPartner, lobPartner',
        },
      ]);
    });

    it("explains malformed locations and contacts, unknown countries and bad ids and web addresses in plain words", () => {
      const text = [
        HEADER,
        row("p-2", { locations: '"Stockholm"' }),
        row("p-3", { contacts: "Ada user-1@tenant" }),
        row("p-4", { locations: '"Berlin, DE;Atlantis, XX"' }),
        row("Bad Id!"),
        row("p-6", { website: "not a url" }),
        row("p-7", { services: "" }),
      ].join("\n");
      expect(parseDirectory(text, "csv").errors).to.deep.equal([
        { row: 2, field: "locations", reason: '"Stockholm" is not "City, CC" (for example "Stockholm, SE")' },
        { row: 3, field: "contacts", reason: '"Ada user-1@tenant" is not "Name <userId@tenantId>"' },
        {
          row: 4,
          field: "locations",
          reason:
            'entry 2: "XX" is not a country code; use the two-letter ISO 3166 code, for example SE for Sweden or GB for the United Kingdom',
        },
        {
          row: 5,
          field: "id",
          reason: '"Bad Id!" is not a valid id; use 1 to 64 lowercase letters, digits and hyphens, for example contoso-cloud',
        },
        { row: 6, field: "website", reason: '"not a url" is not a web address; use a full address such as https://www.example.com' },
        { row: 7, field: "services", reason: "needs at least one entry" },
      ]);
    });

    it("stores one code per country ('se' is SE, 'UK' is GB) and refuses codes that name no country", () => {
      const parsed = parseDirectory(
        [HEADER, row("p-2", { locations: '"Malmö, se;London, UK"' }), row("p-3", { locations: '"Brussels, EU"' })].join("\n"),
        "csv",
      );
      expect(parsed.partners[0]!.locations).to.deep.equal([
        { country: "SE", city: "Malmö" },
        { country: "GB", city: "London" },
      ]);
      expect(parsed.errors.map((e) => [e.row, e.field, e.reason.slice(0, 30)])).to.deep.equal([
        [3, "locations", '"EU" is not a country code; us'],
      ]);
    });

    it("reports a duplicate id on its second occurrence and keeps the first", () => {
      const parsed = parseDirectory([HEADER, row("p-2"), row("p-3"), row("p-2", { name: "Copy" })].join("\n"), "csv");
      expect(parsed.errors).to.deep.equal([
        { row: 4, field: "id", reason: '"p-2" is already used by row 2; every partner needs its own id' },
      ]);
      expect(parsed.partners.map((p) => [p.id, p.name])).to.deep.equal([
        ["p-2", "Partner p-2"],
        ["p-3", "Partner p-3"],
      ]);
    });

    it("names unknown columns in one error and accepts no row, because a misspelt column would silently lose its data", () => {
      const text = [`${HEADER},webiste,notes`, `${row("p-2")},https://x.example.com,hello`].join("\n");
      const parsed = parseDirectory(text, "csv");
      expect(parsed.errors).to.deep.equal([
        {
          row: 1,
          field: "(header)",
          reason:
            'unknown columns "webiste", "notes"; the columns are id, name, tenantId, locations, sizes, services, industries, types, contacts, website',
        },
      ]);
      expect(parsed.partners).to.deep.equal([]);
      expect(formatRowError(parsed.errors[0]!)).to.match(/^row 1 \(header\): unknown columns "webiste", "notes"/);
    });

    it("ignores the empty, unnamed columns a spreadsheet leaves at the end, but not one holding data", () => {
      expect(parseDirectory([`${HEADER},,`, `${row("p-2")},,`].join("\n"), "csv").errors).to.deep.equal([]);
      expect(parseDirectory([`${HEADER},`, `${row("p-2")},surprise`].join("\n"), "csv").errors).to.deep.equal([
        {
          row: 1,
          field: "(header)",
          reason:
            "unknown column without a name (column 11); the columns are id, name, tenantId, locations, sizes, services, industries, types, contacts, website",
        },
      ]);
    });

    it("reports a missing required column once, not once per row", () => {
      const text = [
        "id,tenantId,locations,sizes,services,types",
        'p-2,t-2,"Berlin, DE",1-50,Helpdesk support,reseller',
        'p-3,t-3,"Berlin, DE",1-50,Helpdesk support,reseller',
      ].join("\n");
      expect(parseDirectory(text, "csv").errors).to.deep.equal([{ row: 1, field: "(header)", reason: "missing column name" }]);
    });

    it("reports a row with the wrong number of cells instead of guessing which cell is which", () => {
      const parsed = parseDirectory(
        [HEADER, row("p-2"), "p-3,Partner p-3,t-3,Berlin, DE,1-50,Helpdesk support,,reseller,,"].join("\n"),
        "csv",
      );
      expect(parsed.errors).to.deep.equal([
        { row: 3, field: "(row)", reason: "has 11 cells but the header has 10; quote cells that contain a comma" },
      ]);
    });

    it("rejects an empty file and a quote that is never closed as a whole", () => {
      expect(parseDirectory("", "csv").errors).to.deep.equal([
        { row: 0, field: "(file)", reason: `the file is empty; the first line must be the header: ${HEADER}` },
      ]);
      const unclosed = parseDirectory([HEADER, row("p-2"), 'p-3,"Partner p-3,t-3'].join("\n"), "csv");
      expect(unclosed).to.deep.equal({
        partners: [],
        rows: 0,
        errors: [
          {
            row: 0,
            field: "(file)",
            reason: 'not valid CSV: a quoted cell is never closed (the file ends inside it, at line 3); end it with "',
          },
        ],
      });
    });
  });

  describe("JSON", () => {
    it("parses an array of partners shaped like PartnerSchema", () => {
      const parsed = parseDirectory(JSON.stringify([CONTOSO, FABRIKAM], null, 2), "json");
      expect(parsed).to.deep.equal({ partners: [CONTOSO, FABRIKAM], errors: [], rows: 2 });
    });

    it("numbers rows by position in the array, from 1, and names each bad field", () => {
      const text = JSON.stringify([
        CONTOSO,
        { ...FABRIKAM, sizes: ["tiny"], tenantId: 42 },
        { ...FABRIKAM, id: "other", locations: [{ country: "US" }] },
      ]);
      expect(parseDirectory(text, "json").errors).to.deep.equal([
        { row: 2, field: "tenantId", reason: "must be text, not 42" },
        { row: 2, field: "sizes", reason: '"tiny" is not an organization size; use 1-50, 51-250, 251-1000, 1001-5000, 5000+' },
        { row: 3, field: "locations", reason: "city is required" },
      ]);
    });

    it("refuses unknown fields, which are usually misspelt ones", () => {
      const parsed = parseDirectory(JSON.stringify([{ ...FABRIKAM, webiste: "https://x.example.com" }]), "json");
      expect(parsed.errors).to.deep.equal([
        {
          row: 1,
          field: "webiste",
          reason:
            '"webiste" is not a partner field; the fields are id, name, tenantId, locations, sizes, services, industries, types, contacts, website',
        },
      ]);
    });

    it("reports a duplicate id on its second occurrence", () => {
      const parsed = parseDirectory(JSON.stringify([CONTOSO, FABRIKAM, { ...CONTOSO, name: "Again" }]), "json");
      expect(parsed.errors).to.deep.equal([
        { row: 3, field: "id", reason: '"contoso-cloud" is already used by row 1; every partner needs its own id' },
      ]);
      expect(parsed.partners).to.deep.equal([CONTOSO, FABRIKAM]);
    });

    it("answers malformed JSON with one clear error naming the line and column", () => {
      const parsed = parseDirectory('[\n  {"id": "a",}\n]', "json");
      expect(parsed).to.deep.equal({
        partners: [],
        rows: 0,
        errors: [{ row: 0, field: "(file)", reason: "not valid JSON: Expected double-quoted property name (line 2, column 14)" }],
      });
      expect(formatRowError(parsed.errors[0]!)).to.equal("not valid JSON: Expected double-quoted property name (line 2, column 14)");
    });

    it("wants an array of partners, not a single object", () => {
      expect(parseDirectory(JSON.stringify(CONTOSO), "json").errors).to.deep.equal([
        { row: 0, field: "(file)", reason: 'must be a JSON array of partners: [{ "id": "...", "name": "...", ... }, ...]' },
      ]);
      expect(parseDirectory("[1]", "json").errors).to.deep.equal([
        { row: 1, field: "(row)", reason: "must be an object with the partner's fields, not 1" },
      ]);
    });
  });
});

describe("directory importer: planImport", () => {
  const withErrors = (errors: RowError[]) => ({ partners: [CONTOSO], errors, rows: 2 });

  it("imports everything when no row has a problem", () => {
    expect(planImport({ partners: [CONTOSO, FABRIKAM], errors: [], rows: 2 }, { skipInvalid: false })).to.deep.equal({
      kind: "import",
      partners: [CONTOSO, FABRIKAM],
      skipped: [],
    });
  });

  it("imports nothing when any row has a problem, unless asked to skip invalid rows", () => {
    const errors = [{ row: 3, field: "sizes", reason: "bad" }];
    expect(planImport(withErrors(errors), { skipInvalid: false })).to.deep.equal({ kind: "refused", errors });
    expect(planImport(withErrors(errors), { skipInvalid: true })).to.deep.equal({ kind: "import", partners: [CONTOSO], skipped: errors });
  });

  it("never skips past a problem with the file itself (unreadable, bad header)", () => {
    for (const error of [
      { row: 0, field: "(file)", reason: "not valid JSON" },
      { row: 1, field: "(header)", reason: "unknown column" },
    ]) {
      expect(planImport(withErrors([error]), { skipInvalid: true }).kind).to.equal("refused");
    }
  });
});
