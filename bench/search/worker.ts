/**
 * Child process: 3. Directory search. Generates the directory, builds the bot's search index (PartnerSearch,
 * exactly what DirectoryService builds after reading the table) and times a fixed query set. In its own
 * process so that its memory figures are the index's alone.
 */
import type { Partner } from "../../src/domain/partner.js";
import { PartnerSearch } from "../../src/partner-directory/search.js";
import { memoryNow, serve, type Memory } from "../lib/child.js";
import { now, summarize, type Summary } from "../lib/stats.js";
import { DIRECTORY_QUERIES, generateDirectory, QUERIES as FIXED_QUERIES } from "./generate.js";

export interface SearchRun {
  partners: number;
  generateMs: number;
  buildMs: number;
  /** CPU time of the first build, user + system, every thread of the process. */
  buildCpuMs?: number;
  /** A second build in the same process (JIT warm): what a directory reload costs. */
  rebuildMs: number;
  passes: number;
  overall: Summary;
  /**
   * The warm-up pass: each query's first run on the new index, before any of its words' expansions are kept
   * (PhraseIndex keeps them). What the first person to search for a word waits.
   */
  firstRuns?: Summary;
  /** CPU time per query (process.cpuUsage, every thread): what a query costs when the machine is shared and wall time is not. */
  cpu?: Summary;
  perQuery: Array<{ label: string; total: number; summary: Summary }>;
  memory: { idle: Memory; generated: Memory; indexed: Memory; afterQueries: Memory };
}

/** The query sets: the search section's fixed set, or the directory section's wider mix (generate.ts). */
export type QueryMix = "fixed" | "directory";

serve(async () => ({
  /** `passes` rounds of the query set at most, but stop starting new rounds after `budgetMs` (at least `minPasses`). */
  run: async ({
    partners: count,
    passes: maxPasses,
    minPasses,
    budgetMs,
    mix = "fixed",
  }: {
    partners: number;
    passes: number;
    minPasses: number;
    budgetMs: number;
    mix?: QueryMix;
  }): Promise<SearchRun> => {
    const QUERIES = mix === "directory" ? DIRECTORY_QUERIES : FIXED_QUERIES;
    const idle = memoryNow();
    let started = now();
    let partners: Partner[] | undefined = generateDirectory(count);
    const generateMs = now() - started;
    const generated = memoryNow();

    started = now();
    const cpuBefore = process.cpuUsage();
    let index = PartnerSearch.build(partners);
    const buildMs = now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    // CPU time of the build (all threads, GC included): on a busy machine it says what the wall time cannot.
    const buildCpuMs = (cpu.user + cpu.system) / 1000;
    // The second build replaces the first; the first becomes garbage.
    started = now();
    index = PartnerSearch.build(partners);
    const rebuildMs = now() - started;
    // eslint-disable-next-line no-useless-assignment -- drops the only reference, so the memory reading below excludes the raw list
    partners = undefined;
    const indexed = memoryNow();

    const firstRuns: number[] = [];
    // Warm-up: one run of each query, timed apart (the first search for a word expands it).
    const totals = QUERIES.map((q) => {
      const t = now();
      const total = index.search(q).total;
      firstRuns.push(now() - t);
      return total;
    });
    const samples: number[][] = QUERIES.map(() => []);
    const cpuSamples: number[] = [];
    const queriesStarted = now();
    let passes = 0;
    for (let pass = 0; pass < maxPasses && (pass < minPasses || now() - queriesStarted < budgetMs); pass++) {
      passes++;
      for (let i = 0; i < QUERIES.length; i++) {
        const query = QUERIES[i]!;
        const cpu = process.cpuUsage();
        const t = now();
        index.search(query);
        samples[i]!.push(now() - t);
        const used = process.cpuUsage(cpu);
        cpuSamples.push((used.user + used.system) / 1000);
      }
    }
    const afterQueries = memoryNow();
    return {
      partners: index.size,
      generateMs,
      buildMs,
      buildCpuMs,
      rebuildMs,
      passes,
      overall: summarize(samples.flat()),
      firstRuns: summarize(firstRuns),
      cpu: summarize(cpuSamples),
      perQuery: QUERIES.map((q, i) => ({ label: q.label, total: totals[i]!, summary: summarize(samples[i]!) })),
      memory: { idle, generated, indexed, afterQueries },
    };
  },
}));
