import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * `npm run fuzz`: the property-based tests of bad input (test/e2e/fuzz.test.ts) with many more runs than `npm test`
 * gives them. FUZZ_RUNS (runs per property, default 5000) and FUZZ_SEED / FUZZ_PATH (replay) pass through, and so do
 * extra mocha arguments: `npm run fuzz -- --grep "Teams card action"`. The exit code is mocha's.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const runs = process.env["FUZZ_RUNS"] || "5000";
const started = Date.now();

const mocha = spawn(
  process.execPath,
  ["--import", "tsx", "node_modules/mocha/bin/mocha.js", "test/e2e/fuzz.test.ts", ...process.argv.slice(2)],
  {
    cwd: root,
    env: { ...process.env, FUZZ_RUNS: runs },
    stdio: ["inherit", "pipe", "inherit"],
  },
);

let output = "";
mocha.stdout.setEncoding("utf8");
mocha.stdout.on("data", (chunk: string) => {
  process.stdout.write(chunk);
  output += chunk;
});

// Ctrl-C reaches mocha too (same process group); wait for it to stop its servers instead of dying first.
process.on("SIGINT", () => {});

mocha.on("exit", (code, signal) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  const counts = [...output.matchAll(/^\s*(\d+ (?:passing|failing|pending).*)$/gm)].map((m) => m[1]!.trim());
  const replays = [...output.matchAll(/seed: (-?\d+), path: "([^"]*)"/g)].map((m) => `FUZZ_SEED=${m[1]} FUZZ_PATH=${m[2]}`);
  const lines = [
    "",
    `fuzz: ${runs} runs per property${process.env["FUZZ_SEED"] ? `, seed ${process.env["FUZZ_SEED"]}` : ""}, ${seconds} s`,
    `fuzz: ${counts.length ? counts.join(", ") : `mocha ended without a summary (${signal ?? `exit code ${code}`})`}`,
    ...replays.map((replay) => `fuzz: replay a counterexample with ${replay} npm run fuzz -- --grep "<its test title>"`),
  ];
  console.log(lines.join("\n"));
  process.exit(code ?? 1);
});
