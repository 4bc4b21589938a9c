/**
 * npm run bench: measures Partner Desk on this machine and writes bench/RESULTS.md (and results.json).
 *
 *   1. turns          the real server + Azurite + a loopback channel, N concurrent conversations, against an
 *                     echo bot on the same restify + CloudAdapter stack in the same run
 *   2. round trips    Table Storage requests per user action (a counting pipeline policy)
 *   3. search         a generated directory of 100,000 partners: index build and query latency
 *   3b. directory     the same index at 500,000 partners (Microsoft's directory's size): build, query mix, heap
 *   4. fan-out        10,000 notifications to 2,000 conversations in 5 tenants through a channel that enforces
 *                     the dispatcher's rate limits and throttles 5% of sends
 *   5. memory         RSS (and heap after a full GC) of every server at idle and after each load
 *   7. scale-out      three outbox processes on one storage account, one channel enforcing Teams' limits across
 *                     them; then one process killed mid-run (bench/scaleout/). Its figures go to their own part
 *                     of RESULTS.md, so `npm run bench -- scaleout` leaves the other sections' figures alone.
 *
 * BENCH_QUICK=1 runs a small version of everything (a smoke run) and writes bench/RESULTS.quick.md instead.
 * BENCH_ONLY=turns,roundtrips,search,directory,fanout,scaleout (or `npm run bench -- directory`) runs some sections;
 * the sections not run keep the figures of the previous results.json in the report (scale-out writes its own part).
 * Loopback only; every loop is bounded.
 * The turns section profiles one extra load per bot (BENCH_PROFILE=0: not; BENCH_PROFILE_DIR keeps the files) and
 * reports CPU per turn by component; BENCH_TURNS_ROUNDS, BENCH_TURNS_LOADS and BENCH_PACED=0 shrink it.
 * No timed assertion lives in the test suite: this prints its figures and whether each target is met.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { directoryOptions } from "./directory/report.js";
import { startAzurite } from "../src/storage/azurite.js";
import { runFanout, type FanoutOptions, type FanoutResult } from "./fanout/index.js";
import { startBotRegistration } from "./lib/botRegistration.js";
import { Child } from "./lib/child.js";
import { describeMachine } from "./lib/machine.js";
import { childPidMatching } from "./lib/proc.js";
import { now } from "./lib/stats.js";
import { targetsOf, writeReport, type Results } from "./report.js";
import { runScaleout, type ScaleoutOptions, type ScaleoutResult } from "./scaleout/index.js";
import { scaleoutTargets, writeScaleoutReport } from "./scaleout/report.js";
import { runRoundTrips, type RoundTripsResult } from "./roundTrips.js";
import { runSearch, type SearchOptions } from "./search/index.js";
import type { SearchRun } from "./search/worker.js";
import type { TurnsMode } from "./servers/fixtures.js";
import { runTurns, type TurnsOptions, type TurnsResult } from "./turns/index.js";

const quick = process.env["BENCH_QUICK"] === "1";
const ALL_SECTIONS = "turns,roundtrips,search,directory,fanout,scaleout";
const chosen = process.argv.slice(2).join(",") || process.env["BENCH_ONLY"] || ALL_SECTIONS;
const only = new Set(
  chosen
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean),
);
for (const name of only) if (!ALL_SECTIONS.split(",").includes(name)) throw new Error(`unknown bench section "${name}" (${ALL_SECTIONS})`);
const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new Error(`${name} must be a whole number between 1 and 100000`);
  return value;
};
const mode = (process.env["BENCH_TURNS_MODE"] ?? "tenants") as TurnsMode;
if (mode !== "tenants" && mode !== "demo") throw new Error("BENCH_TURNS_MODE must be tenants or demo");

function profileDirectory(wanted: string | undefined): string {
  if (!wanted) return mkdtempSync(join(tmpdir(), "pd-bench-profiles-"));
  mkdirSync(wanted, { recursive: true });
  return wanted;
}

const turnsOptions: TurnsOptions = {
  conversations: int("BENCH_CONVERSATIONS", quick ? 20 : 100),
  // BENCH_TURNS_ROUNDS / BENCH_TURNS_LOADS shrink the section on a busy machine (the memory check needs 3 loads).
  rounds: int("BENCH_TURNS_ROUNDS", quick ? 2 : 4),
  warmupRounds: 1,
  loads: int("BENCH_TURNS_LOADS", 3),
  mode,
  turnTimeoutMs: 30_000,
  loadDeadlineMs: 180_000,
  thinkMs: process.env["BENCH_PACED"] === "0" ? 0 : quick ? 500 : 1_000,
  pacedRounds: quick ? 1 : 2,
  // One extra load per bot under the CPU profiler (BENCH_PROFILE=0: none; BENCH_PROFILE_DIR keeps the .cpuprofile files).
  ...(process.env["BENCH_PROFILE"] === "0" ? {} : { profileDir: profileDirectory(process.env["BENCH_PROFILE_DIR"]) }),
};
const searchOptions: SearchOptions = quick
  ? { partners: 10_000, maxPasses: 5, minPasses: 2, budgetMs: 3_000 }
  : { partners: 100_000, maxPasses: 25, minPasses: 3, budgetMs: 20_000 };
const directorySearchOptions = directoryOptions(quick);
const fanoutOptions: FanoutOptions = {
  notifications: quick ? 1_000 : 10_000,
  conversations: quick ? 200 : 2_000,
  tenants: 5,
  customers: 5,
  scale: int("BENCH_FANOUT_SCALE", 1),
  throttledShare: 0.05,
  retryAfterSeconds: 1,
  timeoutMs: quick ? 120_000 : 420_000,
};

const scaleoutOptions: ScaleoutOptions = {
  processes: 3,
  notifications: quick ? 1_000 : 10_000,
  conversations: quick ? 200 : 2_000,
  tenants: 5,
  customers: 5,
  throttledShare: 0.05,
  retryAfterSeconds: 1,
  killAtShare: 0.4,
  // A loaded machine may need longer to finish (the run is reported incomplete, and misses, when it gives up).
  timeoutMs: int("BENCH_SCALEOUT_TIMEOUT_S", quick ? 180 : 360) * 1000,
};

/** The guard-band experiment: one tenant, so that its window (30/s) binds whatever the dispatcher's speed. */
const GUARD_MS = 25;
const guardOptions: FanoutOptions = {
  ...fanoutOptions,
  notifications: 300,
  conversations: 60,
  tenants: 1,
  customers: 1,
  timeoutMs: 120_000,
};

const log = (line: string) => console.log(line);

async function section<T>(name: string, enabled: boolean, run: () => Promise<T>): Promise<{ value?: T; error?: string; seconds: number }> {
  if (!enabled) return { seconds: 0 };
  const started = now();
  log(`\n== ${name}`);
  try {
    const value = await run();
    const seconds = (now() - started) / 1000;
    log(`   (${seconds.toFixed(0)} s)`);
    return { value, seconds };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`   FAILED: ${message}`);
    return { error: message.split("\n").slice(0, 6).join("\n"), seconds: (now() - started) / 1000 };
  }
}

async function main(): Promise<void> {
  const started = now();
  log(`Partner Desk benchmarks${quick ? " (quick smoke run)" : ""}: checking the machine...`);
  const machine = await describeMachine();
  log(`${machine.cpuModel}, ${machine.cores} cores, node ${machine.node}, load average ${machine.loadAverage.join(" ")}`);

  // BENCH_CPU_PROF profiles the storage stand-in too: in the scale-out section it is the busiest process.
  const profileDir = process.env["BENCH_CPU_PROF"];
  const azurite = await startAzurite({ port: 0, ...(profileDir ? { nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {}) });
  const azuritePid = childPidMatching("azurite");
  const results: Results = { quick, machine, sections: {}, errors: {}, seconds: {}, totalSeconds: 0 };
  let scaleoutResult: ScaleoutResult | undefined;
  let scaleoutError: string | undefined;
  try {
    let desk: Child | undefined;
    let echo: Child | undefined;
    // Both bots of the turns section run registered, as users run Partner Desk (tokens validated in, issued out).
    const registration = only.has("turns") || only.has("roundtrips") ? await startBotRegistration() : undefined;
    if (registration) {
      desk = await Child.start("partner-desk", new URL("./servers/partnerDesk.ts", import.meta.url), {
        ...registration.env,
        BENCH_TABLES: azurite.connectionString,
        BENCH_PREFIX: "bench",
      });
    }
    try {
      const turns = await section<TurnsResult>("1. Turns: Partner Desk vs echo bot", only.has("turns"), async () => {
        echo = await Child.start("echo-bot", new URL("./servers/echo.ts", import.meta.url), registration!.env);
        try {
          return await runTurns(desk!, echo, { azurite: azuritePid }, turnsOptions, log, (url) => registration!.authorization(url));
        } finally {
          await echo.stop();
        }
      });
      const trips = await section<RoundTripsResult>("2. Storage round trips per action", only.has("roundtrips"), () =>
        runRoundTrips(desk!, log, (url) => registration!.authorization(url)),
      );
      const deskAfterAll = desk ? await desk.memory().catch(() => undefined) : undefined;
      Object.assign(results.sections, { turns: turns.value, trips: trips.value, deskAfterAll });
      Object.assign(results.errors, { ...(turns.error ? { turns: turns.error } : {}), ...(trips.error ? { trips: trips.error } : {}) });
      Object.assign(results.seconds, { turns: turns.seconds, trips: trips.seconds });
    } finally {
      await desk?.stop();
      await registration?.stop();
    }

    const search = await section<SearchRun>("3. Directory search", only.has("search"), async () => {
      const run = await runSearch(searchOptions);
      log(
        `  ${run.partners} partners: build ${(run.buildMs / 1000).toFixed(2)} s (rebuild ${(run.rebuildMs / 1000).toFixed(2)} s); ${run.overall.n} queries: p50 ${run.overall.p50.toFixed(2)} ms, p99 ${run.overall.p99.toFixed(2)} ms`,
      );
      return run;
    });
    results.sections.search = search.value;
    if (search.error) results.errors["search"] = search.error;
    results.seconds["search"] = search.seconds;

    const directory = await section<SearchRun>("3b. Directory at its real size", only.has("directory"), async () => {
      const run = await runSearch(directorySearchOptions);
      const indexMb = (run.memory.indexed.heapUsed - run.memory.generated.heapUsed) / 1048576;
      log(
        `  ${run.partners} partners: build ${(run.buildMs / 1000).toFixed(2)} s (rebuild ${(run.rebuildMs / 1000).toFixed(2)} s); ${run.overall.n} queries: p50 ${run.overall.p50.toFixed(2)} ms, p99 ${run.overall.p99.toFixed(2)} ms; index heap ${indexMb.toFixed(1)} MB`,
      );
      return run;
    });
    results.sections.directory = directory.value;
    if (directory.error) results.errors["directory"] = directory.error;
    results.seconds["directory"] = directory.seconds;

    const fanout = await section<FanoutResult>("4. Notification fan-out", only.has("fanout"), async () => {
      const run = await runFanout({ BENCH_TABLES: azurite.connectionString, BENCH_PREFIX: "fan" }, azuritePid, fanoutOptions, log);
      log(
        `  ${run.delivered} delivered in ${(run.completionMs / 1000).toFixed(1)} s; minimum ${(run.minimumMs / 1000).toFixed(1)} s (ratio ${run.ratio.toFixed(2)}); lost ${run.lost}, duplicated ${run.duplicated}, over a limit ${run.violations}`,
      );
      return run;
    });
    results.sections.fanout = fanout.value;
    if (fanout.error) results.errors["fanout"] = fanout.error;
    results.seconds["fanout"] = fanout.seconds;

    // An experiment for the closing note: does a guard band on the dispatcher's windows remove over-limit sends?
    // The channel always enforces the exact limits.
    const guard = await section<FanoutResult[]>(
      "4b. Fan-out with a guard band on the dispatcher's windows",
      only.has("fanout") && process.env["BENCH_GUARD"] !== "0",
      async () => {
        const runs: FanoutResult[] = [];
        const variants = [0, GUARD_MS];
        for (const guardMs of variants) {
          const run = await runFanout(
            { BENCH_TABLES: azurite.connectionString, BENCH_PREFIX: `guard${guardMs}` },
            azuritePid,
            { ...guardOptions, guardMs },
            log,
          );
          log(
            `  dispatcher windows +${guardMs} ms: ${run.delivered} delivered in ${(run.completionMs / 1000).toFixed(1)} s (ratio ${run.ratio.toFixed(2)}); over a limit ${run.violations}, lost ${run.lost}, duplicated ${run.duplicated}`,
          );
          runs.push(run);
        }
        return runs;
      },
    );
    results.sections.guard = guard.value;
    if (guard.error) results.errors["guard"] = guard.error;
    results.seconds["guard"] = guard.seconds;

    const scaleout = await section<ScaleoutResult>("7. Scale-out: three outbox processes, then one killed", only.has("scaleout"), () =>
      runScaleout(azurite.connectionString, azuritePid, scaleoutOptions, log),
    );
    scaleoutResult = scaleout.value;
    scaleoutError = scaleout.error;
    if (scaleout.error) results.errors["scaleout"] = scaleout.error;
    results.seconds["scaleout"] = scaleout.seconds;
  } finally {
    await azurite.stop();
  }

  results.totalSeconds = (now() - started) / 1000;
  keepSectionsNotRun(results);
  const options = {
    turns: turnsOptions,
    search: searchOptions,
    directory: directorySearchOptions,
    fanout: fanoutOptions,
    guard: { ...guardOptions, guardMs: GUARD_MS },
    only: [...only],
  };
  const out = quick ? "RESULTS.quick.md" : "RESULTS.md";
  // The scale-out section has its own part of the file (and its own figures file): run alone, it changes nothing else.
  if ([...only].some((name) => name !== "scaleout")) {
    writeReport(new URL(`./${out}`, import.meta.url), results, options);
    writeFileSync(
      new URL(quick ? "./results.quick.json" : "./results.json", import.meta.url),
      `${JSON.stringify({ ...results, options }, null, 2)}\n`,
    );
  }
  if (only.has("scaleout"))
    writeScaleoutReport(quick, {
      machine: results.machine,
      quick,
      seconds: results.seconds["scaleout"] ?? 0,
      ...(scaleoutResult ? { result: scaleoutResult } : {}),
      ...(scaleoutError ? { error: scaleoutError } : {}),
    });

  log("\nTargets:");
  for (const t of [...targetsOf(results), ...(scaleoutResult ? scaleoutTargets(scaleoutResult) : [])])
    log(`  ${t.met === undefined ? "n/a " : t.met ? "MET " : "MISS"}  ${t.name}: ${t.measured} (target ${t.target})`);
  log(`\nWrote bench/${out} in ${results.totalSeconds.toFixed(0)} s.`);
  if (Object.keys(results.errors).length > 0) process.exitCode = 1;
}

/** The sections of the previous run that this one did not run, kept so that running one section keeps the others' figures. */
function keepSectionsNotRun(results: Results): void {
  const file = new URL(quick ? "./results.quick.json" : "./results.json", import.meta.url);
  if (!existsSync(file)) return;
  const previous = JSON.parse(readFileSync(file, "utf8")) as Results;
  const sectionsOf: Record<string, Array<keyof Results["sections"]>> = {
    turns: ["turns", "deskAfterAll"],
    roundtrips: ["trips"],
    search: ["search"],
    directory: ["directory"],
    fanout: ["fanout", "guard"],
  };
  const kept: string[] = [];
  for (const [name, keys] of Object.entries(sectionsOf)) {
    if (only.has(name) || (name === "turns" && only.has("roundtrips"))) continue;
    if (!keys.some((key) => previous.sections[key] !== undefined)) continue;
    for (const key of keys) Object.assign(results.sections, { [key]: previous.sections[key] });
    kept.push(name);
  }
  if (kept.length > 0) results.kept = kept;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
