/**
 * The scale-out section's part of bench/RESULTS.md: its own markers, so that `npm run bench -- scaleout` rewrites
 * only this part and a full run of the other sections leaves it alone. The figures are also kept in
 * bench/results.scaleout.json; `npx tsx bench/scaleout/report.ts` re-renders the part from them.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Machine } from "../lib/machine.js";
import { num, table } from "../lib/stats.js";
import type { Target } from "../report.js";
import type { ScaleoutResult, ScaleoutRun } from "./index.js";

export interface ScaleoutReport {
  machine: Machine;
  quick: boolean;
  seconds: number;
  result?: ScaleoutResult;
  error?: string;
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const windows = (list: ReadonlyArray<{ limit: number; perMs: number }>) => list.map((w) => `${w.limit}/${w.perMs} ms`).join(", ");
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");

export function scaleoutTargets(result: ScaleoutResult): Target[] {
  const out: Target[] = [];
  result.runs.forEach((run, i) => {
    const name = `Scale-out run ${i + 1} (${run.label})`;
    out.push({
      id: `scaleout${i + 1}Ratio`,
      name: `${name}: completion vs theoretical minimum`,
      target: "<= 1.15",
      measured: `${run.ratio.toFixed(2)} (${s(run.completionMs)} vs ${s(run.minimum.ms)})${run.complete ? "" : ", incomplete"}`,
      met: run.complete && run.ratio <= 1.15,
    });
    const d = run.duplicates;
    out.push({
      id: `scaleout${i + 1}Exact`,
      name: `${name}: lost / duplicated`,
      target: run.killed ? "0 / 0 outside the crash window" : "0 / 0",
      measured: `${run.lost}${run.complete ? "" : ` (+${num(run.undelivered - run.lost)} still pending: incomplete)`} / ${d.duplicated}${run.killed ? ` (${d.inCrashWindow} in the crash window, ${d.unexplained} outside it)` : ""}`,
      met: run.complete && run.lost === 0 && (run.killed ? d.unexplained === 0 : d.duplicated === 0),
    });
    out.push({
      id: `scaleout${i + 1}Limits`,
      name: `${name}: requests over the per-tenant / per-conversation limit`,
      target: "0 / 0",
      measured: `${num(run.overLimit.tenant)} / ${num(run.overLimit.conversation)}`,
      met: run.overLimit.tenant === 0 && run.overLimit.conversation === 0,
    });
  });
  return out;
}

function runRows(runs: ScaleoutRun[]): string[][] {
  const row = (label: string, cell: (r: ScaleoutRun) => string) => [label, ...runs.map(cell)];
  return [
    row("killed", (r) =>
      r.killed ? `process ${r.killed.process} (SIGKILL) after ${s(r.killed.afterMs)}, ${num(r.killed.deliveredBefore)} delivered` : "none",
    ),
    row("seeding (not timed below)", (r) => `${num(r.rowsWritten)} rows in ${s(r.seedMs)}`),
    row(
      "**completion**: engines started → last delivery",
      (r) => `**${s(r.completionMs)}**${r.complete ? "" : " (incomplete: timed out)"}`,
    ),
    row("theoretical minimum → **ratio**", (r) => `${s(r.minimum.ms)} → **${r.ratio.toFixed(2)}**`),
    row(
      "… counting the attempts the random 429s forced",
      (r) => `${s(r.minimumWithRetriesMs)} → ${(r.completionMs / r.minimumWithRetriesMs).toFixed(2)}`,
    ),
    row("… and, for a killed process's tenants, the wait for its shard leases to lapse (nobody may send for them)", (r) =>
      r.killed && r.shardLeaseMs !== undefined
        ? `${s(r.minimumWithRetriesMs + r.shardLeaseMs)} → ${(r.completionMs / (r.minimumWithRetriesMs + r.shardLeaseMs)).toFixed(2)} (lease ${s(r.shardLeaseMs)})`
        : "n/a",
    ),
    row("delivered / requests", (r) => `${num(r.delivered)} / ${num(r.requests)}`),
    row("**lost** (never delivered, not pending) / still pending at the end", (r) => `**${num(r.lost)}** / ${num(r.undelivered - r.lost)}`),
    row("**duplicated**", (r) =>
      r.killed
        ? `**${num(r.duplicates.duplicated)}**: ${num(r.duplicates.inCrashWindow)} in the crash window${r.duplicates.inCrashWindow > 0 ? ` (first sent by the killed process up to ${s(r.duplicates.crashWindowMs)} before the kill)` : ""}, ${num(r.duplicates.unexplained)} outside it`
        : `**${num(r.duplicates.duplicated)}**`,
    ),
    row("**over the per-tenant limit** (requests)", (r) =>
      r.overLimit.tenant === 0
        ? "**0**"
        : `**${num(r.overLimit.tenant)}** (${Object.values(r.overLimit.byTenant)
            .map((n) => num(n))
            .join(", ")} in the ${Object.keys(r.overLimit.byTenant).length} tenants)`,
    ),
    row("**over a per-conversation limit** (requests)", (r) =>
      r.overLimit.conversation === 0
        ? "**0**"
        : `**${num(r.overLimit.conversation)}** in ${num(r.overLimit.conversations)} conversations (at most ${r.overLimit.worstConversation} in one)`,
    ),
    row("429s: over a limit / at random", (r) => `${num(r.throttled.overLimit)} / ${num(r.throttled.random)}`),
    row("requests / deliveries / share per process", (r) =>
      r.processes
        .map(
          (p) => `${p.process}${p.killed ? " (killed)" : ""}: ${num(p.requests)} / ${num(p.deliveries)} / ${(p.share * 100).toFixed(0)}%`,
        )
        .join("; "),
    ),
    row("per tenant: first request → last delivery, s after the start (requests)", (r) =>
      (r.tenants ?? []).map((t) => `${(t.firstMs / 1000).toFixed(1)} → ${(t.lastMs / 1000).toFixed(1)} (${num(t.requests)})`).join("; "),
    ),
    row("outbox afterwards: sent / pending / dead", (r) =>
      r.counts ? `${num(r.counts.sent)} / ${num(r.counts.pending)} / ${num(r.counts.dead)}` : "n/a",
    ),
    row("storage requests per notification (all instances)", (r) => {
      const top = Object.entries(r.storage.byKind)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([k, v]) => `${k}: ${num(v)}`)
        .join("; ");
      const killed =
        r.storage.killedProcessSoFar !== undefined ? `, the killed process's ${num(r.storage.killedProcessSoFar)} as last asked` : "";
      return `${r.storage.perNotification.toFixed(2)} (${num(r.storage.requests)}${killed}; ${top})`;
    }),
    row(
      "CPU ms per notification: instances / Azurite / channel",
      (r) =>
        [r.cpu.instances, r.cpu.azurite, r.cpu.channel].map((x) => (x === undefined ? "n/a" : x.toFixed(2))).join(" / ") +
        (r.cpu.machineBusy !== undefined
          ? ` (machine ${(r.cpu.machineBusy * 100).toFixed(0)}% busy, ${((r.cpu.outsideBusy ?? 0) * 100).toFixed(0)}% outside the benchmark)`
          : ""),
    ),
    row("load average (1, 5, 15 min) at start → end", (r) => `${load(r.load.before)} → ${load(r.load.after)}`),
  ];
}

export function renderScaleout(report: ScaleoutReport): string {
  const lines = [`## 7. Scale-out: several outbox processes on one storage account${report.quick ? " (quick smoke run)" : ""}`, ""];
  const m = report.machine;
  lines.push(
    `Measured on ${m.date.slice(0, 19).replace("T", " ")} UTC by \`npm run bench -- scaleout\`${report.quick ? " with BENCH_QUICK=1" : ""} (bench/scaleout/) in ${report.seconds.toFixed(0)} s; commit ${m.commit ?? "n/a"}; ${m.cpuModel}, ${m.cores} cores; load average at start ${m.loadAverage.join(" ")}.`,
    "",
  );
  if (report.error) lines.push(`**The section failed:** \`${report.error.split("\n")[0]}\``, "");
  const result = report.result;
  if (!result) return lines.join("\n");
  const o = result.options;
  const shards = Object.entries(result.outboxSettings);
  lines.push(
    `${num(o.notifications)} notifications from ${o.customers} customer tenants' outboxes to ${num(o.conversations)} partner conversations in ${o.tenants} tenants (${num(o.notifications / o.conversations)} per conversation, ${num(o.notifications / o.tenants)} per tenant), ` +
      `delivered by ${o.processes} processes, each the outbox engine as the app builds it (\`createOutboxEngine\`) with OUTBOX_INSTANCE_ID outbox-1 … outbox-${o.processes}` +
      `${shards.length ? ` and ${shards.map(([k, v]) => `${k}=${v}`).join(", ")}` : " (no other OUTBOX_* setting)"}. ` +
      `One channel for all of them enforces per tenant ${windows(result.limits.perTenant)} and per conversation ${windows(result.limits.perConversation)} on every request's arrival, ` +
      `and answers ${(o.throttledShare * 100).toFixed(0)}% of the others 429 (Retry-After ${o.retryAfterSeconds} s) at random; each engine keeps its own windows (${windows(result.engineLimits.perTenant)} per tenant). ` +
      `Over-limit requests are counted afterwards by exact sliding windows over all arrivals.`,
    "",
    `Theoretical minimum: ${result.runs[0]?.minimum.formula ?? "n/a"}.`,
    "",
  );
  lines.push(table(["", ...result.runs.map((r, i) => `run ${i + 1}: ${r.label}`)], runRows(result.runs)), "");
  const targets = scaleoutTargets(result);
  lines.push(
    table(
      ["", "target", "measured", "met"],
      targets.map((t) => [t.name, t.target, t.measured, t.met ? "yes" : "**no**"]),
    ),
    "",
  );
  const missed = targets.filter((t) => t.met === false);
  lines.push(
    missed.length === 0
      ? `Scale-out verdict: every target met (${targets.length}).`
      : `Scale-out verdict: ${targets.length - missed.length} of ${targets.length} targets met; missed: ${missed.map((t) => `${t.name} (${t.measured})`).join("; ")}.`,
  );
  return lines.join("\n");
}

const BEGIN = "<!-- Generated by bench/scaleout/report.ts (npm run bench -- scaleout). Edit the analysis outside the markers. -->";
const END = "<!-- End of the scale-out figures. -->";

/** The scale-out part between its markers, everything else in the file kept; appended at the end the first time. */
export function mergeScaleout(existing: string | undefined, generated: string): string {
  const block = `${BEGIN}\n\n${generated.trimEnd()}\n\n${END}\n`;
  const text = existing ?? "";
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin >= 0 && end > begin) return text.slice(0, begin) + block + text.slice(end + END.length + 1);
  return `${text.trimEnd()}${text ? "\n\n" : ""}${block}`;
}

const files = (quick: boolean) => ({
  md: new URL(quick ? "../RESULTS.quick.md" : "../RESULTS.md", import.meta.url),
  json: new URL(quick ? "../results.scaleout.quick.json" : "../results.scaleout.json", import.meta.url),
});

export function writeScaleoutReport(quick: boolean, report: ScaleoutReport): void {
  const { md, json } = files(quick);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, mergeScaleout(existsSync(md) ? readFileSync(md, "utf8") : undefined, renderScaleout(report)));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.env["BENCH_QUICK"] === "1";
  const { md, json } = files(quick);
  const saved = JSON.parse(readFileSync(json, "utf8")) as ScaleoutReport;
  writeFileSync(md, mergeScaleout(readFileSync(md, "utf8"), renderScaleout(saved)));
}
