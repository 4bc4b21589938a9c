/**
 * The turns section's CPU breakdown in RESULTS.md: CPU per turn by component for both bots, from the profiled load
 * (bench/lib/cpuProfile.ts attributes the samples). The profiler samples wall time while the thread is busy, which
 * a loaded machine stretches; so each component is reported as its share of the samples times the process's CPU
 * per turn from /proc in the same load.
 */
import { COMPONENTS } from "../lib/cpuProfile.js";
import { table } from "../lib/stats.js";
import type { ProfiledLoad, TurnsResult } from "./index.js";

/** CPU ms per turn of one component: its share of the sampled time, scaled to /proc's CPU per turn when known. */
export function componentMs(load: ProfiledLoad, component: (typeof COMPONENTS)[number]): number {
  const sampled = load.perTurn.ms[component];
  if (load.procMsPerTurn === undefined || load.perTurn.totalMs === 0) return sampled;
  return (sampled / load.perTurn.totalMs) * load.procMsPerTurn;
}

export function profileSection(profile: NonNullable<TurnsResult["profile"]>): string {
  const { desk, echo } = profile;
  const cell = (load: ProfiledLoad, component: (typeof COMPONENTS)[number]) => {
    const ms = componentMs(load, component);
    const share = load.perTurn.totalMs > 0 ? (100 * load.perTurn.ms[component]) / load.perTurn.totalMs : 0;
    return `${ms.toFixed(2)} (${share.toFixed(0)}%)`;
  };
  const total = (load: ProfiledLoad) => (load.procMsPerTurn ?? load.perTurn.totalMs).toFixed(2);
  const lines = [
    "**CPU per turn by component** (one extra load per bot under the V8 sampling profiler, after the measured ones;",
    "self time charged by file, shared code such as Node's http or @azure/core-* to its calling component; ms are each",
    `component's share of the samples times the process's CPU per turn from /proc). Partner Desk's profiled load: ${desk.turns} turns;`,
    `the echo bot's: ${echo.turns}.`,
    "",
    table(
      ["component", "Partner Desk ms per turn (share)", "echo bot ms per turn (share)"],
      [...COMPONENTS.map((c) => [c, cell(desk, c), cell(echo, c)]), ["total (server process, /proc)", total(desk), total(echo)]],
    ),
    "",
    "Partner Desk's functions with the most self time in that load:",
    "",
    table(
      ["function", "file", "component", "ms per turn"],
      desk.top
        .slice(0, 15)
        .map((f) => [`\`${f.name}\``, `\`${f.where}\``, f.component, (componentScale(desk) * (f.ms / Math.max(1, desk.turns))).toFixed(3)]),
    ),
  ];
  return lines.join("\n");
}

function componentScale(load: ProfiledLoad): number {
  return load.procMsPerTurn !== undefined && load.perTurn.totalMs > 0 ? load.procMsPerTurn / load.perTurn.totalMs : 1;
}
