/**
 * Imports a partner directory file into Table storage:
 *
 *   npm run directory:import -- partners.csv [--skip-invalid] [--dry-run]
 *
 * The format follows the extension (.csv or .json; see src/partner-directory/README.md). Every row is checked
 * before anything is written: one bad row and nothing is imported (exit 1), unless --skip-invalid asks to
 * import the good rows and list the others. --dry-run only checks the file. Storage is the bot's own
 * (the same environment and .env as `npm start`): with nothing configured, the local data in LOCAL_DATA_DIR,
 * through the running bot's Azurite if it is up, else through an Azurite started for the import.
 *
 * Exit codes: 0 imported (or dry run passed), 1 nothing imported (bad file, storage failure), 2 usage.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { importDirectory, ImportFailedError, isFileLevelError, planImport } from "../src/partner-directory/importDirectory.js";
import { formatRowError, parseDirectory, type DirectoryFormat, type RowError } from "../src/partner-directory/importer.js";
import { loadScriptConfig, openStorageForScript } from "./openStorage.js";

const USAGE = "Usage: npm run directory:import -- <partners.csv|partners.json> [--skip-invalid] [--dry-run]";

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

interface Args {
  file: string;
  format: DirectoryFormat;
  skipInvalid: boolean;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const flags = new Set(argv.filter((a) => a.startsWith("--")));
  const files = argv.filter((a) => !a.startsWith("--"));
  const unknown = [...flags].filter((f) => f !== "--skip-invalid" && f !== "--dry-run");
  if (unknown.length > 0) return `Unknown option ${unknown.join(", ")}.`;
  if (files.length !== 1) return files.length === 0 ? "Name the file to import." : `Name one file, not ${files.length}.`;
  const file = files[0]!;
  const extension = path.extname(file).toLowerCase();
  if (extension !== ".csv" && extension !== ".json")
    return `${file}: the file must end in .csv or .json (the format follows the extension).`;
  return { file, format: extension === ".csv" ? "csv" : "json", skipInvalid: flags.has("--skip-invalid"), dryRun: flags.has("--dry-run") };
}

const rowsIn = (errors: RowError[]) => new Set(errors.filter((e) => !isFileLevelError(e)).map((e) => e.row)).size;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    out(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    err(args);
    err(USAGE);
    return 2;
  }

  let text: string;
  try {
    text = readFileSync(args.file, "utf8");
  } catch (error) {
    err(`Cannot read ${args.file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
    return 1;
  }
  const parsed = parseDirectory(text, args.format);
  const plan = planImport(parsed, { skipInvalid: args.skipInvalid });
  out(`${args.file}: ${plural(parsed.rows, "row")}, ${parsed.partners.length} valid, ${rowsIn(parsed.errors)} with problems.`);

  if (plan.kind === "refused") {
    err(`${plural(plan.errors.length, "problem")}:`);
    for (const error of plan.errors) err(`  ${formatRowError(error)}`);
    const fileLevel = plan.errors.some(isFileLevelError);
    err(
      fileLevel
        ? "Nothing was imported. Fix the file and run again."
        : "Nothing was imported. Fix these rows and run again, or add --skip-invalid to import only the valid rows.",
    );
    return 1;
  }
  if (plan.skipped.length > 0) {
    err(`Skipping ${plural(rowsIn(plan.skipped), "row")} (--skip-invalid):`);
    for (const error of plan.skipped) err(`  skipped ${formatRowError(error)}`);
  }
  if (plan.partners.length === 0) {
    err("Nothing to import: the file holds no valid partners.");
    return 1;
  }
  if (args.dryRun) {
    out(`Dry run: ${plural(plan.partners.length, "partner")} would be imported; nothing was written.`);
    return 0;
  }

  const config = loadScriptConfig(err);
  if (!config) return 1;

  const started = Date.now();
  const opened = await openStorageForScript(config);
  try {
    out(`Importing ${plural(plan.partners.length, "partner")} into ${opened.description} (table prefix "${config.tablePrefix}")`);
    const summary = await importDirectory(opened.storage.partners, plan.partners, (done, total) => out(`imported ${done}/${total}`));
    const skipped = rowsIn(plan.skipped);
    out(
      `Done: ${plural(summary.imported, "partner")} imported${skipped > 0 ? `, ${plural(skipped, "row")} skipped` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s. A running Partner Desk shows them after a restart.`,
    );
    return 0;
  } catch (error) {
    err(
      error instanceof ImportFailedError ? error.message : `The import failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    err(`The import failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
