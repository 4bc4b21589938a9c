/**
 * The directory at its real size (issue 14 item 6): Microsoft's partner directory holds hundreds of thousands
 * of partners, so the bot's index is measured at 500,000 against its own targets. Runs the search worker
 * (bench/search/worker.ts) with the wider query mix; its memory figure is the index alone: the heap after
 * the build minus the heap holding the generated partners, both after full GCs.
 */
import { mb, ms, num, table } from "../lib/stats.js";
import type { SearchOptions } from "../search/index.js";
import type { SearchRun } from "../search/worker.js";

export const DIRECTORY_PARTNERS = 500_000;

export const directoryOptions = (quick: boolean): SearchOptions =>
  quick
    ? { partners: 20_000, maxPasses: 5, minPasses: 2, budgetMs: 3_000, mix: "directory" }
    : { partners: DIRECTORY_PARTNERS, maxPasses: 25, minPasses: 5, budgetMs: 30_000, mix: "directory" };

/**
 * Memory the index holds beyond the partner objects themselves (after full GCs): its JavaScript heap and its
 * typed arrays, whose buffers live outside the heap (process.memoryUsage's `external`).
 */
export const indexHeap = (run: SearchRun): number =>
  run.memory.indexed.heapUsed - run.memory.generated.heapUsed + (run.memory.indexed.external - run.memory.generated.external);

export function directoryTargets(
  run: SearchRun,
): Array<{ id: string; name: string; target: string; measured: string; met: boolean | undefined }> {
  const atSize = run.partners >= DIRECTORY_PARTNERS;
  return [
    {
      id: "directoryBuild",
      name: `Directory: index build, ${num(run.partners)} partners`,
      target: "<= 10 s",
      measured: `${(run.buildMs / 1000).toFixed(2)} s (a reload ${(run.rebuildMs / 1000).toFixed(2)} s)`,
      met: atSize ? run.buildMs <= 10_000 : undefined,
    },
    {
      id: "directoryQuery",
      name: `Directory: query p99, ${num(run.partners)} partners`,
      target: "<= 5 ms",
      measured: `${ms(run.overall.p99, 2)} (p50 ${ms(run.overall.p50, 2)})`,
      met: atSize ? run.overall.p99 <= 5 : undefined,
    },
    {
      id: "directoryMemory",
      name: `Directory: memory of the index (heap + typed arrays), ${num(run.partners)} partners`,
      target: "<= 400 MB",
      measured: mb(indexHeap(run)),
      met: atSize ? indexHeap(run) <= 400 * 1048576 : undefined,
    },
  ];
}

export function directorySection(run: SearchRun): string {
  const heap = (bytes: number) => mb(bytes);
  const sorted = [...run.perQuery].sort((a, b) => b.summary.p99 - a.summary.p99);
  return [
    `## 3b. Directory at ${num(run.partners)} partners`,
    "",
    `\`npm run bench -- directory\` (only this section). ${num(run.partners)} generated partners (bench/search/generate.ts); ${run.passes} passes over ${run.perQuery.length} queries (the search section's set plus Swedish places and words, sizes and paging) after a warm-up pass.`,
    "",
    table(
      ["", "figure"],
      [
        ["generate the directory", ms(run.generateMs, 0)],
        [
          "**build the index**",
          `**${(run.buildMs / 1000).toFixed(2)} s**${run.buildCpuMs === undefined ? "" : ` (CPU ${(run.buildCpuMs / 1000).toFixed(2)} s)`}`,
        ],
        ["build again in the same process (a reload)", `${(run.rebuildMs / 1000).toFixed(2)} s`],
        [
          "**queries p50 / p95 / p99 / max**",
          `**${ms(run.overall.p50, 2)} / ${ms(run.overall.p95, 2)} / ${ms(run.overall.p99, 2)}** / ${ms(run.overall.max, 2)} (${run.overall.n} queries)`,
        ],
        ...(run.firstRuns
          ? [
              [
                "first run of each query, on the new index (its words not yet expanded) p50 / max",
                `${ms(run.firstRuns.p50, 2)} / ${ms(run.firstRuns.max, 2)}`,
              ],
            ]
          : []),
        ...(run.cpu ? [["CPU per query p50 / p99 (every thread, GC included)", `${ms(run.cpu.p50, 2)} / ${ms(run.cpu.p99, 2)}`]] : []),
        ["heap after GC: partner objects", heap(run.memory.generated.heapUsed - run.memory.idle.heapUsed)],
        [
          "**memory after GC: the index** (heap + typed arrays, beyond the partner objects)",
          `**${heap(indexHeap(run))}** (typed arrays ${heap(run.memory.indexed.external - run.memory.generated.external)})`,
        ],
      ],
    ),
    "",
    "Slowest queries (by p99):",
    "",
    table(
      ["query", "matches", "p50", "p99"],
      sorted.slice(0, 15).map((q) => [q.label, num(q.total), ms(q.summary.p50, 2), ms(q.summary.p99, 2)]),
    ),
  ].join("\n");
}
