/**
 * Operators' view of a tenant's audit trail (npm run audit -- <command>):
 *   export --tenant <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file] [--locale en|sv]
 *       the tenant's history as CSV (UTF-8 with BOM, one event per row), the same file an admin gets in chat;
 *       to stdout unless --out names a file. Reads one RowKey range of the tenant's partition.
 * Uses the same settings as the bot (.env is read); in local mode it goes through the running bot's Azurite.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { stringsFor } from "../src/cards/strings.js";
import { buildAuditExport } from "../src/features/audit-export/exportHistory.js";
import { rangeProblem, type ExportRange } from "../src/features/audit-export/range.js";
import { loadScriptConfig, openStorageForScript } from "./openStorage.js";

const usage = "usage: npm run audit -- export --tenant <tenant id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out file] [--locale en|sv]";

/** An operator's export may be longer than a chat's, but is still bounded: past it, export in ranges. */
const MAX_CLI_ROWS = 100_000;

const ArgsSchema = z.object({
  tenant: z.string().min(1).max(100),
  from: z.string().optional(),
  to: z.string().optional(),
  out: z.string().min(1).optional(),
  locale: z.string().min(2).max(20).default("en"),
});

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        out: { type: "string" },
        locale: { type: "string" },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const args = ArgsSchema.safeParse(parsed.values);
  if (parsed.positionals.join(" ") !== "export" || !args.success) {
    console.error(usage);
    return 2;
  }
  const { tenant, from, to, out, locale } = args.data;
  const range: ExportRange = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
  const problem = rangeProblem(range);
  if (problem) {
    console.error(
      problem.kind === "order" ? `--from ${problem.from} is after --to ${problem.to}.` : `${problem.day} is not a day (YYYY-MM-DD).`,
    );
    return 2;
  }
  const config = loadScriptConfig();
  if (!config) return 2;
  const opened = await openStorageForScript(config);
  try {
    const built = await buildAuditExport(
      opened.storage.audit,
      tenant,
      range,
      { strings: stringsFor(locale), locale, now: new Date() },
      MAX_CLI_ROWS,
    );
    if (out) await writeFile(out, built.csv);
    else await new Promise<void>((resolve, reject) => process.stdout.write(built.csv, (error) => (error ? reject(error) : resolve())));
    // What was exported goes to stderr, so stdout stays the file alone.
    console.error(`${built.events} events of tenant ${tenant} from ${opened.description}${out ? ` written to ${out}` : ""}.`);
    if (built.truncated)
      console.error(
        `The range holds more than ${MAX_CLI_ROWS} events: the file has the newest ${MAX_CLI_ROWS}. Export earlier ranges for the rest.`,
      );
    return 0;
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The audit command failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
