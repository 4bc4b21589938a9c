/**
 * CPU and memory of processes from /proc (Linux). Used to say where a load's CPU went: the bot, Azurite,
 * the load generator. Elsewhere every figure is reported as unknown rather than guessed.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) a process has used so far, in milliseconds; undefined if unreadable. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function rssOf(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of a direct child of this process whose command line contains `needle`. */
export function childPidMatching(needle: string): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid !== process.pid) continue;
        if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) return Number(entry);
      } catch {
        /* gone meanwhile */
      }
    }
  } catch {
    /* no /proc */
  }
  return undefined;
}

/** CPU milliseconds used so far by this process and every live descendant of it (the whole benchmark). */
export function treeCpuMs(root: number = process.pid): number | undefined {
  try {
    const parents = new Map<number, number>();
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      } catch {
        /* gone meanwhile */
      }
    }
    const inTree = (pid: number): boolean => {
      for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 50; p = parents.get(p), depth++)
        if (p === root) return true;
      return false;
    };
    let total = 0;
    for (const pid of parents.keys()) if (inTree(pid)) total += cpuMsOf(pid) ?? 0;
    return total;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine so far (all cores), in ticks. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((sum, v) => sum + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds per process over a stretch of work, how busy the machine was, and how much of that
 * came from processes that are not part of the benchmark (another job on the same machine skews figures).
 */
export class CpuMeter {
  private readonly start: Map<string, number | undefined>;
  private readonly machineStart = machineTicks();
  private readonly treeStart = treeCpuMs();

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.start = new Map(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuMsOf(pid)]));
  }

  stop(): { perProcessMs: Record<string, number | undefined>; machineBusy: number | undefined; outsideBusy: number | undefined } {
    const perProcessMs: Record<string, number | undefined> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.start.get(name);
      const after = pid === undefined ? undefined : cpuMsOf(pid);
      perProcessMs[name] = before === undefined || after === undefined ? undefined : after - before;
    }
    const end = machineTicks();
    const treeEnd = treeCpuMs();
    const spanTicks = this.machineStart && end ? end.total - this.machineStart.total : 0;
    const machineBusy = this.machineStart && end && spanTicks > 0 ? (end.busy - this.machineStart.busy) / spanTicks : undefined;
    // Busy time of the machine not accounted for by the benchmark's own processes, as a share of all CPU time.
    const outsideBusy =
      this.machineStart && end && spanTicks > 0 && this.treeStart !== undefined && treeEnd !== undefined
        ? Math.max(
            0,
            ((end.busy - this.machineStart.busy) * (1000 / TICKS_PER_SECOND) - (treeEnd - this.treeStart)) /
              (spanTicks * (1000 / TICKS_PER_SECOND)),
          )
        : undefined;
    return { perProcessMs, machineBusy, outsideBusy };
  }
}
