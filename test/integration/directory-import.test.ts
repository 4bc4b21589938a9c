import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { importDirectory, planImport } from "../../src/partner-directory/importDirectory.js";
import { parseDirectory } from "../../src/partner-directory/importer.js";
import type { Partner } from "../../src/domain/partner.js";
import { freePort, startAzurite } from "../../src/storage/azurite.js";
import { PartnerRepository } from "../../src/storage/repositories/partners.js";
import { createTableClients } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const SAMPLE = path.join(ROOT, "src", "partner-directory", "sample-directory.json");
const CLI = path.join(ROOT, "scripts", "directory-import.ts");
/** `node --import tsx` resolved from this repository, so the CLI can run from any folder. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const HEADER = "id,name,tenantId,locations,sizes,services,industries,types,contacts,website";

const csvRow = (id: string, overrides: Record<string, string> = {}) => {
  const cells: Record<string, string> = {
    id,
    name: `Partner ${id}`,
    tenantId: `tenant-${id}`,
    locations: '"Malmö, SE"',
    sizes: "1-50;51-250",
    services: "Security and compliance;Teams voice",
    industries: "Retail",
    types: "reseller",
    contacts: `Pat <user-${id}@tenant-${id}>`,
    website: `https://${id}.example.com`,
    ...overrides,
  };
  return HEADER.split(",")
    .map((c) => cells[c])
    .join(",");
};

const byId = (list: Partner[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as a person would (`npm run directory:import` is `tsx scripts/directory-import.ts`), from an
 * empty folder so no .env of this machine leaks in, with only the environment given.
 */
function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  const cwd = mkdtempSync(path.join(tmpdir(), "pd-import-cwd-"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", TSX, CLI, ...args], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? cwd, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", (error) => {
      rmSync(cwd, { recursive: true, force: true });
      reject(error);
    });
    child.once("close", (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

describe("directory import on Azurite", function () {
  this.timeout(60_000);
  let workDir: string;

  before(() => {
    workDir = mkdtempSync(path.join(tmpdir(), "pd-import-"));
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  const writeFile = (name: string, text: string) => {
    const file = path.join(workDir, name);
    writeFileSync(file, text);
    return file;
  };

  describe("importDirectory", () => {
    it("stores every partner of the sample file, in batches with progress, and listAll returns the same set", async () => {
      const { tables } = await freshTables();
      const repo = new PartnerRepository(tables.client("directory"));
      const parsed = parseDirectory(readFileSync(SAMPLE, "utf8"), "json");
      expect(parsed.errors).to.deep.equal([]);
      const progress: Array<[number, number]> = [];
      const summary = await importDirectory(repo, parsed.partners, (done, total) => progress.push([done, total]));
      expect(summary).to.deep.equal({ imported: parsed.partners.length, batches: Math.ceil(parsed.partners.length / 100) });
      expect(progress.map(([, total]) => total)).to.satisfy((totals: number[]) => totals.every((t) => t === parsed.partners.length));
      expect(progress.map(([done]) => done)).to.deep.equal([...progress.map(([done]) => done)].sort((a, b) => a - b));
      expect(progress.at(-1)).to.deep.equal([parsed.partners.length, parsed.partners.length]);
      expect(byId(await repo.listAll())).to.deep.equal(byId(parsed.partners));
    });

    it("upserts: importing again replaces rows by id and adds none", async () => {
      const { tables } = await freshTables();
      const repo = new PartnerRepository(tables.client("directory"));
      const { partners } = parseDirectory([HEADER, csvRow("p-1"), csvRow("p-2")].join("\n"), "csv");
      await importDirectory(repo, partners);
      await importDirectory(repo, [{ ...partners[0]!, name: "Renamed" }]);
      expect((await repo.listAll()).map((p) => [p.id, p.name])).to.deep.equal([
        ["p-1", "Renamed"],
        ["p-2", "Partner p-2"],
      ]);
    });

    it("writes nothing when any row could not be stored, even one that slipped past the parser", async () => {
      const { tables } = await freshTables();
      const repo = new PartnerRepository(tables.client("directory"));
      const { partners } = parseDirectory([HEADER, csvRow("p-1"), csvRow("p-2")].join("\n"), "csv");
      const tooBig = { ...partners[1]!, id: "p-3", services: Array.from({ length: 2_000 }, (_, i) => `Service number ${i}`) };
      let caught: unknown;
      await importDirectory(repo, [...partners, tooBig]).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(Error);
      expect(await repo.listAll()).to.deep.equal([]);
    });

    it("imports nothing from a file with one bad row, and only the valid rows when asked to skip invalid ones", async () => {
      const { tables } = await freshTables();
      const repo = new PartnerRepository(tables.client("directory"));
      const parsed = parseDirectory([HEADER, csvRow("p-1"), csvRow("p-2", { sizes: "huge" }), csvRow("p-3")].join("\n"), "csv");
      const strict = planImport(parsed, { skipInvalid: false });
      expect(strict.kind).to.equal("refused");
      expect(await repo.listAll()).to.deep.equal([]);

      const lenient = planImport(parsed, { skipInvalid: true });
      if (lenient.kind !== "import") throw new Error("expected an import plan");
      expect(lenient.skipped.map((e) => [e.row, e.field])).to.deep.equal([[3, "sizes"]]);
      await importDirectory(repo, lenient.partners);
      expect((await repo.listAll()).map((p) => p.id)).to.deep.equal(["p-1", "p-3"]);
    });
  });

  describe("npm run directory:import", () => {
    it("imports a CSV file into the configured storage, printing progress and a summary", async () => {
      const { tables, prefix, connectionString } = await freshTables();
      const file = writeFile("good.csv", [HEADER, csvRow("p-1"), csvRow("p-2"), csvRow("p-3")].join("\n"));
      const run = await runCli([file], { TABLES_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include("3 rows, 3 valid, 0 with problems");
      expect(run.stdout).to.include("imported 3/3");
      expect(run.stdout).to.match(/Done: 3 partners imported in \d+\.\d s/);
      expect(run.stderr).to.equal("");
      const stored = await new PartnerRepository(tables.client("directory")).listAll();
      expect(byId(stored)).to.deep.equal(byId(parseDirectory(readFileSync(file, "utf8"), "csv").partners));
    });

    it("refuses a file with bad rows: exit 1, every problem by row and field, nothing stored", async () => {
      const { tables, prefix, connectionString } = await freshTables();
      const file = writeFile(
        "bad.csv",
        [HEADER, csvRow("p-1"), csvRow("p-2", { sizes: "huge" }), csvRow("p-3"), csvRow("p-4", { name: "" })].join("\n"),
      );
      const run = await runCli([file], { TABLES_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.include('row 3, sizes: "huge" is not an organization size');
      expect(run.stderr).to.include("row 5, name: is required");
      expect(run.stderr).to.include("Nothing was imported");
      expect(run.stdout).to.not.include("imported ");
      expect(await new PartnerRepository(tables.client("directory")).listAll()).to.deep.equal([]);
    });

    it("with --skip-invalid imports the valid rows and lists the skipped ones", async () => {
      const { tables, prefix, connectionString } = await freshTables();
      const file = writeFile("mixed.csv", [HEADER, csvRow("p-1"), csvRow("p-2", { types: "wizard" }), csvRow("p-3")].join("\n"));
      const run = await runCli([file, "--skip-invalid"], { TABLES_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.include('skipped row 3, types: "wizard" is not a partner type');
      expect(run.stdout).to.include("imported 2/2");
      expect(run.stdout).to.include("Done: 2 partners imported, 1 row skipped");
      expect((await new PartnerRepository(tables.client("directory")).listAll()).map((p) => p.id)).to.deep.equal(["p-1", "p-3"]);
    });

    it("reports malformed JSON and usage mistakes without touching storage", async () => {
      const { prefix, connectionString } = await freshTables();
      const env = { TABLES_CONNECTION_STRING: connectionString, TABLE_PREFIX: prefix };
      const broken = await runCli([writeFile("broken.json", '[{"id": "a",}]')], env);
      expect(broken.code).to.equal(1);
      expect(broken.stderr).to.include("not valid JSON: Expected double-quoted property name (line 1, column 13)");
      const wrongType = await runCli([writeFile("partners.txt", "")], env);
      expect(wrongType.code).to.equal(2);
      expect(wrongType.stderr).to.include("must end in .csv or .json");
    });

    it("with no storage configured, imports into the local data folder the bot uses (LOCAL_DATA_DIR)", async () => {
      const dataDir = path.join(workDir, "local-data");
      const file = writeFile(
        "local.json",
        JSON.stringify(parseDirectory([HEADER, csvRow("p-1"), csvRow("p-2")].join("\n"), "csv").partners),
      );
      const run = await runCli([file], { LOCAL_DATA_DIR: dataDir, LOCAL_TABLES_PORT: String(await freePort()), TABLE_PREFIX: "local" });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include(`the local data in ${dataDir}/ (Azurite started for this script)`);
      // What the bot would see on its next start: an Azurite over the same folder.
      const azurite = await startAzurite({ port: 0, dataDir });
      try {
        const tables = createTableClients({ kind: "connectionString", connectionString: azurite.connectionString }, "local");
        expect((await new PartnerRepository(tables.client("directory")).listAll()).map((p) => p.id)).to.deep.equal(["p-1", "p-2"]);
      } finally {
        await azurite.stop();
      }
    });

    it("while the local bot runs, imports through its Azurite instead of starting a second one on the same data", async () => {
      const dataDir = path.join(workDir, "running-bot");
      const botsAzurite = await startAzurite({ port: 0, dataDir });
      try {
        const file = writeFile("running.csv", [HEADER, csvRow("p-9")].join("\n"));
        const run = await runCli([file], { LOCAL_DATA_DIR: dataDir, LOCAL_TABLES_PORT: String(botsAzurite.port), TABLE_PREFIX: "bot" });
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.include(`the running bot's local storage (Azurite on 127.0.0.1:${botsAzurite.port}`);
        const tables = createTableClients({ kind: "connectionString", connectionString: botsAzurite.connectionString }, "bot");
        expect((await new PartnerRepository(tables.client("directory")).listAll()).map((p) => p.id)).to.deep.equal(["p-9"]);
      } finally {
        await botsAzurite.stop();
      }
    });
  });
});
