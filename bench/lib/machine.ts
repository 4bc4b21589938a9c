/** What the figures were measured on. */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { machineTicks, treeCpuMs } from "./proc.js";
import { sleep } from "./stats.js";

export interface Machine {
  date: string;
  node: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  loadAverage: number[];
  commit?: string;
  /** Share of all CPU time used by processes outside the benchmark over 3 s before it started. */
  busyBefore?: number;
}

export async function describeMachine(): Promise<Machine> {
  const cpus = os.cpus();
  let commit: string | undefined;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    }).trim();
    if (dirty) commit += " + uncommitted changes";
  } catch {
    /* not a git checkout */
  }
  const before = machineTicks();
  const treeBefore = treeCpuMs();
  await sleep(3_000);
  const after = machineTicks();
  const treeAfter = treeCpuMs();
  const busyBefore =
    before && after && after.total > before.total && treeBefore !== undefined && treeAfter !== undefined
      ? Math.max(0, ((after.busy - before.busy) * 10 - (treeAfter - treeBefore)) / ((after.total - before.total) * 10))
      : undefined;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    ...(commit ? { commit } : {}),
    ...(busyBefore !== undefined ? { busyBefore } : {}),
  };
}
