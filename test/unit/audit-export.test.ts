import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { AuditEvent } from "../../src/domain/audit.js";
import { ROLE } from "../../src/domain/roles.js";
import { auditCsv } from "../../src/features/audit-export/auditCsv.js";
import { CRLF, csvCell, csvLine } from "../../src/features/audit-export/csv.js";
import { buildAuditExport, exportForActor, type ExportContext } from "../../src/features/audit-export/exportHistory.js";
import { rangeFromText, rangeInstants, rangeProblem } from "../../src/features/audit-export/range.js";
import type { AuditHistory } from "../../src/features/ports.js";
import { IntentRecogniser } from "../../src/features/typed-requests/recognise.js";
import { understandTyped, type TypedContext } from "../../src/features/typed-requests/understand.js";
import { VERBS } from "../../src/features/verbs.js";
import { auditEvent, csvRows } from "../helpers/auditEvents.js";

const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const en = stringsFor("en");
const sv = stringsFor("sv");

describe("audit export: CSV cells (RFC 4180, no formula injection)", () => {
  it("leaves plain text as it is", () => {
    expect(csvCell("Northwind Managed Services")).to.equal("Northwind Managed Services");
    expect(csvCell("Åsa Öberg")).to.equal("Åsa Öberg");
  });

  it("quotes a cell with a comma, a quote or a line break, doubling quotes", () => {
    expect(csvCell("a,b")).to.equal('"a,b"');
    expect(csvCell('say "hi"')).to.equal('"say ""hi"""');
    expect(csvCell("two\nlines")).to.equal('"two\nlines"');
    expect(csvCell("two\r\nlines")).to.equal('"two\r\nlines"');
  });

  for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
    it(`neutralises a cell starting with ${JSON.stringify(start)} with a leading single quote`, () => {
      const cell = csvCell(`${start}cmd|' /C calc'!A0`);
      expect(cell.replace(/^"/, "").startsWith(`'${start}`)).to.equal(true, cell);
    });
  }

  it("neutralises before quoting, so a quoted formula is still text", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).to.equal(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });

  it("ends every record with CRLF", () => {
    expect(csvLine(["a", "b"])).to.equal(`a,b${CRLF}`);
  });
});

describe("audit export: the file", () => {
  const events: AuditEvent[] = [
    auditEvent(TENANT, "2026-01-05T10:00:00.123Z", { action: "invitation.accept", actor: { userId: "u-1", name: "Ada, Admin" } }),
    auditEvent(TENANT, "2026-01-06T11:30:00.000Z", { action: "some.futureAction", before: { roles: ["a"] }, after: { roles: [] } }),
  ];

  it("is UTF-8 text with a BOM, CRLF lines, a header and one row per event", () => {
    const text = auditCsv(events, en);
    expect(text.startsWith("\uFEFF")).to.equal(true);
    expect(text.endsWith("\r\n")).to.equal(true);
    expect(text.replaceAll("\r\n", "")).to.not.include("\n");
    const rows = csvRows(new TextEncoder().encode(text));
    expect(rows).to.have.length(3);
    expect(rows[0]).to.deep.equal(["Time (UTC)", "Who", "User id", "Action", "What happened", "Target", "Details"]);
    expect(rows[1]!.slice(0, 6)).to.deep.equal([
      "2026-01-05T10:00:00Z",
      "Ada, Admin",
      "u-1",
      "invitation.accept",
      "Ada, Admin accepted the invitation and authorized the partner",
      "relationship/northwind-managed-services",
    ]);
  });

  it("writes an action it has no sentence for as a sentence, and the change itself as JSON", () => {
    const row = csvRows(new TextEncoder().encode(auditCsv(events, en)))[2]!;
    expect(row[4]).to.equal("Ada Admin recorded a change");
    expect(JSON.parse(row[6]!)).to.deep.equal({ before: { roles: ["a"] }, after: { roles: [] }, correlationId: "corr-1" });
  });

  it("speaks the reader's language: Swedish header and sentences", () => {
    const rows = csvRows(new TextEncoder().encode(auditCsv(events, sv)));
    expect(rows[0]![0]).to.equal("Tid (UTC)");
    expect(rows[1]![4]).to.equal(sv.audit["invitation.accept"].replace("{actor}", "Ada, Admin"));
  });
});

describe("audit export: the range", () => {
  const cases: Array<[string, ReturnType<typeof rangeFromText>]> = [
    ["export history", {}],
    ["export history from 2026-01-01 to 2026-03-31", { from: "2026-01-01", to: "2026-03-31" }],
    ["export audit 2026-01-01..2026-03-31", { from: "2026-01-01", to: "2026-03-31" }],
    ["export history since 2026-1-5", { from: "2026-01-05" }],
    ["export history until 2026-03-31", { to: "2026-03-31" }],
    ["export history up to 2026-03-31", { to: "2026-03-31" }],
    ["exportera historik från 2026-01-01 till 2026-03-31", { from: "2026-01-01", to: "2026-03-31" }],
    ["exportera historik till 2026-03-31", { to: "2026-03-31" }],
    ["exportera historik t.o.m. 2026-03-31", { to: "2026-03-31" }],
  ];
  for (const [text, range] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => expect(rangeFromText(text)).to.deep.equal(range));
  }

  it("finds a day that does not exist, and an end before the start", () => {
    expect(rangeProblem({ from: "2026-02-30" })).to.deep.equal({ kind: "notADay", day: "2026-02-30" });
    expect(rangeProblem({ to: "2026-13-01" })).to.deep.equal({ kind: "notADay", day: "2026-13-01" });
    expect(rangeProblem({ from: "2026-03-01", to: "2026-02-01" })).to.deep.equal({ kind: "order", from: "2026-03-01", to: "2026-02-01" });
    expect(rangeProblem({ from: "2026-02-28", to: "2026-02-28" })).to.equal(undefined);
    expect(rangeProblem({ from: "2024-02-29" })).to.equal(undefined);
  });

  it("covers whole UTC days: from the start of the first to the end of the last", () => {
    expect(rangeInstants({ from: "2026-01-01", to: "2026-03-31" })).to.deep.equal({
      from: "2026-01-01T00:00:00.000Z",
      until: "2026-04-01T00:00:00.000Z",
    });
    expect(rangeInstants({})).to.deep.equal({});
  });
});

describe("audit export: the use case", () => {
  /** The port as storage answers it: newest first, at most `max`; records what it was asked. */
  function history(events: AuditEvent[]): AuditHistory & { asked: unknown[] } {
    const asked: unknown[] = [];
    return {
      asked,
      between: async (tenantId, range, max) => {
        asked.push({ tenantId, range, max });
        return [...events].sort((a, b) => b.at.localeCompare(a.at)).slice(0, max);
      },
    };
  }
  const three = ["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", "2026-01-03T00:00:00.000Z"].map((at) => auditEvent(TENANT, at));
  const reader = { strings: en, locale: "en-GB", now: new Date("2026-12-03T12:00:00Z") };

  it("asks for the range's instants and one more than the bound, and writes the events oldest first", async () => {
    const port = history(three);
    const built = await buildAuditExport(port, TENANT, { from: "2026-01-01", to: "2026-01-31" }, reader, 5);
    expect(port.asked).to.deep.equal([
      { tenantId: TENANT, range: { from: "2026-01-01T00:00:00.000Z", until: "2026-02-01T00:00:00.000Z" }, max: 6 },
    ]);
    expect(
      csvRows(built.csv)
        .slice(1)
        .map((r) => r[0]),
    ).to.deep.equal(["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]);
    expect(built).to.deep.include({ events: 3, truncated: false, fileName: "partner-desk-history-2026-01-01-to-2026-01-31.csv" });
    expect(built.summary).to.equal("3 events from 1 Jan 2026 to 31 Jan 2026, as a CSV file for Excel.");
  });

  it("keeps the newest events past the bound and says where the file begins", async () => {
    const built = await buildAuditExport(history(three), TENANT, {}, reader, 2);
    expect(built.truncated).to.equal(true);
    expect(
      csvRows(built.csv)
        .slice(1)
        .map((r) => r[0]),
    ).to.deep.equal(["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]);
    expect(built.summary).to.include("more events than one file takes (2)").and.include("back to 2 Jan 2026");
    expect(built.fileName).to.equal("partner-desk-history-start-to-2026-12-03.csv");
  });

  function actor(roles: string[]): ExportContext & { port: ReturnType<typeof history> } {
    const port = history(three);
    return {
      identity: { tenantId: TENANT, userId: "u-1", name: "Ada", locale: "en-US" },
      roles: async () => roles as never,
      strings: en,
      card: (name, data) => renderCard(name, data, { strings: en, actionStyle: "execute" }),
      now: new Date("2026-12-03T12:00:00Z"),
      correlationId: "corr",
      ports: { auditHistory: port, roleHolders: { holdersOf: async () => ["Ada Admin"] } },
      port,
    };
  }

  it("refuses a member without reading the history", async () => {
    const ctx = actor([ROLE.helpdeskAdministrator]);
    const result = await exportForActor(ctx, {});
    expect(result.ok).to.equal(false);
    expect(ctx.port.asked).to.deep.equal([]);
  });

  it("lets a Billing administrator export, and answers a range that cannot be read without reading", async () => {
    expect((await exportForActor(actor([ROLE.billingAdministrator]), {})).ok).to.equal(true);
    const ctx = actor([ROLE.globalAdministrator]);
    const wrong = await exportForActor(ctx, { from: "2026-03-01", to: "2026-02-01" });
    expect(wrong.ok === false && wrong.message).to.include("ends before it starts");
    expect(ctx.port.asked).to.deep.equal([]);
  });
});

describe("audit export: typed", () => {
  const recogniser = new IntentRecogniser();
  for (const text of ["export history", "export audit", "Export the audit log", "exportera historik", "exportera granskningslogg"]) {
    it(`reads ${JSON.stringify(text)} as the export`, () => expect(recogniser.recognise(text).row?.intent).to.equal("auditExport"));
  }

  it("sends the typed range to the export's verb", async () => {
    const answer = await understandTyped("export history from 2026-01-01 to 2026-03-31", {} as TypedContext);
    expect(answer).to.deep.equal({ verb: VERBS.auditExport.request, data: { from: "2026-01-01", to: "2026-03-31" } });
  });
});
