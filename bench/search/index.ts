/** 3. Directory search: a generated directory, the index build time and the latency of a fixed query set. */
import { Child } from "../lib/child.js";
import type { QueryMix, SearchRun } from "./worker.js";

export interface SearchOptions {
  partners: number;
  maxPasses: number;
  minPasses: number;
  budgetMs: number;
  /** Which queries (default the search section's fixed set). */
  mix?: QueryMix;
}

export async function runSearch(options: SearchOptions): Promise<SearchRun> {
  const worker = await Child.start("search", new URL("./worker.ts", import.meta.url));
  try {
    return await worker.call<SearchRun>(
      "run",
      { partners: options.partners, passes: options.maxPasses, minPasses: options.minPasses, budgetMs: options.budgetMs, mix: options.mix },
      600_000,
    );
  } finally {
    await worker.stop();
  }
}
