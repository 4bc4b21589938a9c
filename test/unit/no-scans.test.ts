import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

/**
 * No scans in steady state (issue 14): a query that names no partition reads the whole table on Azure Tables. The
 * only cross-partition queries are the periodic sweeps (src/storage/sweeps), which run at most once per their interval;
 * every other read names a partition. Checked on the source itself, so a new caller fails here, not in production.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith(".ts") ? [rel] : [];
  });
}

interface Source {
  file: string;
  text: string;
}

/** Where a cross-partition query may be made: the sweeps' one door, and the definition it opens. */
const SANCTIONED_SCAN = new Set(["src/storage/sweeps/crossPartition.ts"]);
/** Files that query a table directly (every such query there names a PartitionKey). */
const QUERIES_BY_PARTITION = new Set([
  "src/storage/entityStore.ts",
  "src/storage/repositories/schedule.ts",
  "src/storage/repositories/workIndex.ts",
  "src/storage/repositories/outbox.ts",
]);

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

/** Files that break the rule, with why. */
export function scanOffenders(sources: readonly Source[]): string[] {
  const out: string[] = [];
  for (const { file, text } of sources) {
    const code = text.replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, ""); // comments may name the methods
    if (!SANCTIONED_SCAN.has(file) && /\.listEverywhere\s*\(/.test(code)) out.push(`${file}: calls listEverywhere (a scan)`);
    if (!file.startsWith("src/storage/sweeps/") && /\bscanEveryPartition\s*\(/.test(code))
      out.push(`${file}: calls scanEveryPartition outside the sweeps`);
    const queries = count(code, /\.listEntities\s*[<(]/g);
    if (queries > 0 && !QUERIES_BY_PARTITION.has(file)) out.push(`${file}: queries a table directly`);
    // entityStore.ts defines listEverywhere, its one query without a partition.
    const allowedWithout = file === "src/storage/entityStore.ts" ? 1 : 0;
    if (queries > 0 && count(code, /PartitionKey eq/g) < queries - allowedWithout) out.push(`${file}: a query names no PartitionKey`);
  }
  return out;
}

describe("no scans in steady state", () => {
  const SRC = sourceFiles("src").map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));

  it("finds the source it checks, the sweeps among it", () => {
    expect(SRC.map((s) => s.file)).to.include.members(["src/storage/sweeps/crossPartition.ts", "src/storage/sweeps/index.ts"]);
  });

  it("makes cross-partition queries only in the sanctioned sweeps", () => {
    expect(scanOffenders(SRC)).to.deep.equal([]);
  });

  it("would notice a new scan, a stray sweep call or a query without a partition", () => {
    const planted: Source[] = [
      { file: "src/storage/repositories/partnerWork.ts", text: "const rows = await this.requests.listEverywhere();" },
      { file: "src/gdapSync/engine.ts", text: "await scanEveryPartition(store);" },
      { file: "src/storage/repositories/workIndex.ts", text: "this.client.listEntities({ queryOptions: { filter: `RowKey ge 'a'` } })" },
      { file: "src/features/x.ts", text: "client.listEntities<T>({ queryOptions: { filter: odata`PartitionKey eq ${p}` } })" },
    ];
    expect(scanOffenders(planted)).to.deep.equal([
      "src/storage/repositories/partnerWork.ts: calls listEverywhere (a scan)",
      "src/gdapSync/engine.ts: calls scanEveryPartition outside the sweeps",
      "src/storage/repositories/workIndex.ts: a query names no PartitionKey",
      "src/features/x.ts: queries a table directly",
    ]);
  });
});
