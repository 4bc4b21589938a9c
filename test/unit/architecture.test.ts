import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

/**
 * The walls of the house, checked on the source itself (eslint's no-restricted-imports says the same while
 * editing; this test keeps them even if the lint config is changed): the bot SDK only at the edge, storage
 * internals only in storage, and modules small enough to read.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(rel);
    return entry.name.endsWith(".ts") ? [rel] : [];
  });
}

const SRC = sourceFiles("src").map((file) => ({ file, text: readFileSync(path.join(ROOT, file), "utf8") }));
const importsOf = (text: string): string[] => [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
const atEdge = (file: string) => file.startsWith("src/bot/") || file === "src/app.ts" || file === "src/server.ts";
const inStorage = (file: string) => file.startsWith("src/storage/");

describe("the architecture, as the source has it", () => {
  it("finds the source it checks", () => {
    expect(SRC.length).to.be.greaterThan(100);
  });

  it("imports the bot SDK only at the edge (src/bot, the composition root, the server)", () => {
    const offenders = SRC.filter(({ file, text }) => !atEdge(file) && importsOf(text).some((s) => /^(botbuilder|botframework-)/.test(s)));
    expect(offenders.map((o) => o.file)).to.deep.equal([]);
  });

  it("keeps table clients, entity stores, transactions and repositories inside src/storage", () => {
    const internal = /(^@azure\/data-tables$)|storage\/(entityStore|tables|decisionStore|seeder|rowMappings|batchUpserts|repositories\/)/;
    const offenders = SRC.filter(({ file, text }) => !inStorage(file) && importsOf(text).some((s) => internal.test(s)));
    expect(offenders.map((o) => o.file)).to.deep.equal([]);
  });

  it("names no entity store, partition transaction or .store outside src/storage", () => {
    const offenders = SRC.filter(({ file, text }) => !inStorage(file) && /\.store\b|EntityStore|PartitionTransaction/.test(text));
    expect(offenders.map((o) => o.file)).to.deep.equal([]);
  });

  it("has no file in src/ over 300 lines", () => {
    const long = SRC.map(({ file, text }) => ({ file, lines: text.split("\n").length - 1 })).filter((f) => f.lines > 300);
    expect(long).to.deep.equal([]);
  });
});
