import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStorage } from "../../src/storage/index.js";
import { auditEvent, csvRows, seedAudit } from "../helpers/auditEvents.js";
import { freshTables } from "../helpers/azurite.js";

const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const NEIGHBOUR = "c0ffee00-0000-4000-8000-000000000002";

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

describe("end to end: npm run audit -- export (the operators' CLI)", function () {
  this.timeout(60_000);
  let env: Record<string, string>;
  let dir: string;

  before(async () => {
    const { tables, prefix, connectionString } = await freshTables();
    await seedAudit(openStorage(tables), [
      auditEvent(TENANT, "2026-01-10T08:00:00.000Z", { target: "relationship/january" }),
      auditEvent(TENANT, "2026-02-10T08:00:00.000Z", { target: "relationship/february", actor: { userId: "u-2", name: "+SUM(A1:A9)" } }),
      auditEvent(NEIGHBOUR, "2026-01-10T08:00:00.000Z", { target: "relationship/neighbour" }),
    ]);
    // The settings the bot reads, as an operator's shell would have them; nothing else of this process leaks in.
    env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      TABLES_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: prefix,
    };
    dir = await mkdtemp(join(tmpdir(), "pd-audit-"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** The script as `npm run audit --` runs it (tsx), in its own process. */
  function audit(...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/audit.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
    });
  }

  it("prints the tenant's whole history as CSV to stdout, and what it exported to stderr", async () => {
    const run = await audit("export", "--tenant", TENANT);
    expect(run.code).to.equal(0, run.stderr);
    expect([...run.stdout.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const rows = csvRows(run.stdout);
    expect(rows.slice(1).map((r) => r[5])).to.deep.equal(["relationship/january", "relationship/february"]);
    expect(rows[2]![1]).to.equal("'+SUM(A1:A9)");
    expect(run.stderr).to.include(`2 events of tenant ${TENANT}`);
  });

  it("writes the range to --out", async () => {
    const out = join(dir, "february.csv");
    const run = await audit("export", "--tenant", TENANT, "--from", "2026-02-01", "--to", "2026-02-28", "--out", out);
    expect(run.code).to.equal(0, run.stderr);
    expect(run.stdout.length).to.equal(0, "the file goes to --out, not stdout");
    expect(
      csvRows(await readFile(out))
        .slice(1)
        .map((r) => r[5]),
    ).to.deep.equal(["relationship/february"]);
  });

  it("refuses what it cannot read, with the usage", async () => {
    const missing = await audit("export");
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include("usage: npm run audit -- export --tenant");
    const backwards = await audit("export", "--tenant", TENANT, "--from", "2026-03-01", "--to", "2026-02-01");
    expect(backwards.code).to.equal(2);
    expect(backwards.stderr).to.include("--from 2026-03-01 is after --to 2026-02-01");
    expect(backwards.stdout.length).to.equal(0);
  });
});
