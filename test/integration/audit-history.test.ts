import { expect } from "chai";
import type { AuditEvent } from "../../src/domain/audit.js";
import { buildAuditExport } from "../../src/features/audit-export/exportHistory.js";
import { rangeInstants } from "../../src/features/audit-export/range.js";
import { stringsFor } from "../../src/cards/strings.js";
import { openStorage } from "../../src/storage/index.js";
import { AuditRepository } from "../../src/storage/repositories/audit.js";
import { createTableClients, type TablePipelinePolicies } from "../../src/storage/tables.js";
import { auditEvent, csvRows, seedAudit } from "../helpers/auditEvents.js";
import { freshTables } from "../helpers/azurite.js";

const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const NEIGHBOUR = "c0ffee00-0000-4000-8000-000000000002";

/** Every query URL the table clients send, so a test sees which partition and range each one asked for. */
function queryRecorder(): { urls: string[]; policies: TablePipelinePolicies } {
  const urls: string[] = [];
  return {
    urls,
    policies: [
      { position: "perCall", policy: { name: "recordQueries", sendRequest: (request, next) => (urls.push(request.url), next(request)) } },
    ],
  };
}

describe("the audit trail by date range (the export's reads)", function () {
  this.timeout(30_000);
  let audit: AuditRepository;
  let queries: ReturnType<typeof queryRecorder>;

  const at = (iso: string, target: string, tenantId = TENANT): AuditEvent => auditEvent(tenantId, iso, { target });

  before(async () => {
    const { tables, prefix, connectionString } = await freshTables();
    const storage = openStorage(tables);
    await seedAudit(storage, [
      at("2025-12-31T23:59:59.999Z", "last-instant-before"),
      at("2026-01-01T00:00:00.000Z", "first-instant"),
      at("2026-02-15T12:00:00.000Z", "middle"),
      at("2026-03-31T23:59:59.999Z", "last-instant"),
      at("2026-04-01T00:00:00.000Z", "first-instant-after"),
      at("2026-02-15T12:00:00.000Z", "neighbour-middle", NEIGHBOUR),
      at("2026-01-01T00:00:00.000Z", "neighbour-first", NEIGHBOUR),
    ]);
    queries = queryRecorder();
    const recorded = createTableClients({ kind: "connectionString", connectionString }, prefix, { additionalPolicies: queries.policies });
    audit = new AuditRepository(recorded.client("tenant"));
  });
  beforeEach(() => (queries.urls.length = 0));

  const targets = (events: AuditEvent[]) => events.map((e) => e.target);

  it("reads whole UTC days, both ends included, newest first", async () => {
    const events = await audit.between(TENANT, rangeInstants({ from: "2026-01-01", to: "2026-03-31" }), 100);
    expect(targets(events)).to.deep.equal(["last-instant", "middle", "first-instant"]);
  });

  it("reads open ends: everything up to a day, everything from a day, everything", async () => {
    expect(targets(await audit.between(TENANT, rangeInstants({ to: "2025-12-31" }), 100))).to.deep.equal(["last-instant-before"]);
    expect(targets(await audit.between(TENANT, rangeInstants({ from: "2026-04-01" }), 100))).to.deep.equal(["first-instant-after"]);
    expect(await audit.between(TENANT, {}, 100)).to.have.length(5);
  });

  it("reads only the tenant's own partition, with one RowKey range per query", async () => {
    const events = await audit.between(NEIGHBOUR, rangeInstants({ from: "2026-01-01", to: "2026-03-31" }), 100);
    expect(targets(events)).to.deep.equal(["neighbour-middle", "neighbour-first"]);
    expect(queries.urls.length).to.be.greaterThan(0);
    for (const url of queries.urls) {
      const filter = new URL(url).searchParams.get("$filter") ?? "";
      expect(filter).to.match(
        new RegExp(`^PartitionKey eq '${NEIGHBOUR}' and RowKey ge 'audit\\|\\d{13}\\|' and RowKey lt 'audit\\|\\d{13}}'$`),
      );
    }
  });

  it("returns at most the bound, the newest first", async () => {
    expect(targets(await audit.between(TENANT, {}, 2))).to.deep.equal(["first-instant-after", "last-instant"]);
    expect(await audit.between(TENANT, {}, 0)).to.deep.equal([]);
  });

  it("builds the export from those reads: only the range, only the tenant", async () => {
    const built = await buildAuditExport(
      audit,
      TENANT,
      { from: "2026-01-01", to: "2026-03-31" },
      {
        strings: stringsFor("en"),
        locale: "en",
        now: new Date("2026-12-03T00:00:00Z"),
      },
    );
    expect(
      csvRows(built.csv)
        .slice(1)
        .map((r) => r[5]),
    ).to.deep.equal(["first-instant", "middle", "last-instant"]);
  });
});
