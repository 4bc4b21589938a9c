/**
 * 7. Scale-out: the outbox of Partner Desk in three processes on one storage account (each the real engine, with
 * its own OUTBOX_INSTANCE_ID), delivering one fan-out through ONE channel that enforces Teams' limits across all
 * of them (channel.ts). Run 1: all three to the end. Run 2: one of them is killed (SIGKILL) when 40% is delivered,
 * and the others must finish. Every figure is computed from the channel's records by arithmetic.ts.
 */
import { loadavg } from "node:os";
import { loadConfig } from "../../src/config.js";
import { Child } from "../lib/child.js";
import { CpuMeter } from "../lib/proc.js";
import { now, sleep } from "../lib/stats.js";
import { countDuplicates, overLimitByKey, theoreticalMinimum, type Duplicates, type TheoreticalMinimum } from "./arithmetic.js";
import { SharedChannel } from "./channel.js";
import { deliveryKey, scaleoutConversation, type ScaleoutSeed } from "./seed.js";
import type { InstanceReady, OutboxCounts } from "./worker.js";

export interface ScaleoutOptions {
  processes: number;
  notifications: number;
  conversations: number;
  tenants: number;
  customers: number;
  throttledShare: number;
  retryAfterSeconds: number;
  /** Run 2 kills one process once this share of the notifications is delivered. */
  killAtShare: number;
  /** Give up waiting for a run after this long (it is reported as incomplete). */
  timeoutMs: number;
}

export interface ProcessFigures {
  process: number;
  instanceId: string;
  requests: number;
  deliveries: number;
  /** Of all deliveries. */
  share: number;
  killed: boolean;
}

export interface ScaleoutRun {
  label: string;
  killed?: { process: number; afterMs: number; deliveredBefore: number };
  seedMs: number;
  rowsWritten: number;
  completionMs: number;
  minimum: TheoreticalMinimum;
  /** The minimum with the attempts the random 429s forced counted as requests a perfect sender makes too. */
  minimumWithRetriesMs: number;
  /**
   * The engines' shard lease (OUTBOX_SHARD_LEASE_SECONDS): a killed process's tenants may be sent for by nobody until
   * its leases lapse, up to this long after its last renewal. Absent in results written before it was recorded.
   */
  shardLeaseMs?: number;
  ratio: number;
  complete: boolean;
  requests: number;
  delivered: number;
  /** Seeded, never delivered, and no longer pending in the outbox (sent or dead without reaching the channel). */
  lost: number;
  /** Not delivered when the run stopped but still pending (a run that timed out): late, not lost. */
  undelivered: number;
  duplicates: Duplicates;
  /** Requests the channel refused with 429: over a limit, or at random. */
  throttled: { overLimit: number; random: number };
  /** Counted afterwards by exact sliding windows over every request's arrival time. */
  overLimit: { tenant: number; byTenant: Record<string, number>; conversation: number; conversations: number; worstConversation: number };
  processes: ProcessFigures[];
  /** Per tenant, ms after the engines started: its first request, its last delivery, and its requests. */
  tenants?: Array<{ tenantId: string; firstMs: number; lastMs: number; requests: number }>;
  /** Deliveries per process in each second after the engines started (results.scaleout.json only: where time went). */
  perSecond?: number[][];
  storage: { requests: number; perNotification: number; byKind: Record<string, number>; killedProcessSoFar?: number };
  counts?: OutboxCounts;
  /** os.loadavg() when the run started and ended (the machine is shared). */
  load: { before: number[]; after: number[] };
  /** CPU ms per delivered notification: all instances together, Azurite, the channel (this process). */
  cpu: { instances?: number; azurite?: number; channel?: number; machineBusy?: number; outsideBusy?: number };
}

export interface ScaleoutResult {
  options: ScaleoutOptions;
  /** The limits the channel enforced (Teams' published ones) and the engine's (with its guard band). */
  limits: ReturnType<typeof loadConfig>["notifications"]["limits"];
  engineLimits: ReturnType<typeof loadConfig>["notifications"]["limits"];
  /** OUTBOX_* settings this run passed on (tenant shards), as set in the environment. */
  outboxSettings: Record<string, string>;
  runs: ScaleoutRun[];
}

const KILLED_PROCESS = 2;

export async function runScaleout(
  connectionString: string,
  azuritePid: number | undefined,
  options: ScaleoutOptions,
  log: (line: string) => void,
): Promise<ScaleoutResult> {
  // Teams enforces its published windows exactly: the channel's limits are the defaults without the guard band.
  const limits = loadConfig({ LOG_LEVEL: "silent", NOTIFY_GUARD_MS: "0" }).notifications.limits;
  const outboxSettings = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith("OUTBOX_") && e[0] !== "OUTBOX_INSTANCE_ID" && e[1] !== undefined,
    ),
  );
  const runs: ScaleoutRun[] = [];
  let engineLimits = limits;
  for (const kill of [false, true]) {
    const label = kill
      ? `${options.processes} processes, process ${KILLED_PROCESS} killed at ${options.killAtShare * 100}%`
      : `${options.processes} processes`;
    log(`  run ${runs.length + 1}: ${label}`);
    const { run, ready } = await oneRun(connectionString, azuritePid, options, limits, label, kill, `scale${runs.length + 1}`, log);
    engineLimits = ready.notifications.limits;
    runs.push({ ...run, shardLeaseMs: ready.notifications.shards.leaseMs });
    const d = run.duplicates;
    log(
      `  ${run.delivered} / ${options.notifications} delivered in ${(run.completionMs / 1000).toFixed(1)} s; minimum ${(run.minimum.ms / 1000).toFixed(1)} s (ratio ${run.ratio.toFixed(2)}); ` +
        `lost ${run.lost}, duplicated ${d.duplicated}${kill ? ` (${d.inCrashWindow} in the crash window)` : ""}, over the tenant limit ${run.overLimit.tenant}, over a conversation limit ${run.overLimit.conversation}; ` +
        `429s ${run.throttled.overLimit + run.throttled.random}; shares ${run.processes.map((p) => `${(p.share * 100).toFixed(0)}%`).join(" / ")}`,
    );
  }
  return { options, limits, engineLimits, outboxSettings, runs };
}

async function oneRun(
  connectionString: string,
  azuritePid: number | undefined,
  options: ScaleoutOptions,
  limits: ScaleoutResult["limits"],
  label: string,
  kill: boolean,
  prefix: string,
  log: (line: string) => void,
): Promise<{ run: ScaleoutRun; ready: InstanceReady }> {
  const channel = new SharedChannel({ limits, throttledShare: options.throttledShare, retryAfterSeconds: options.retryAfterSeconds });
  const urls = await channel.start(options.processes);
  const children: Child[] = [];
  try {
    for (let n = 1; n <= options.processes; n++)
      children.push(
        await Child.start(`outbox-${n}`, new URL("./worker.ts", import.meta.url), {
          BENCH_TABLES: connectionString,
          BENCH_PREFIX: prefix,
          BENCH_CHANNEL_URL: urls[n - 1]!,
          OUTBOX_INSTANCE_ID: `outbox-${n}`,
        }),
      );
    const seed: ScaleoutSeed = { ...options, serviceUrl: urls[0]! };
    // The first instance seeds; the others set up once the rows exist (their directory reads the partners).
    const readies = [await children[0]!.call<InstanceReady>("setup", { env: {}, seed }, 300_000)];
    for (const child of children.slice(1)) readies.push(await child.call<InstanceReady>("setup", { env: {} }, 300_000));
    const seeded = readies[0]!.seeded!;
    channel.knowConversations(seeded.conversations);
    log(
      `  seeded ${seeded.rowsWritten} rows in ${(seeded.seedMs / 1000).toFixed(1)} s; instances ${readies.map((r) => r.instanceId).join(", ")}`,
    );

    const loadBefore = loadavg();
    const meter = new CpuMeter({
      ...Object.fromEntries(children.map((c, i) => [`instance${i + 1}`, c.pid])),
      azurite: azuritePid,
      channel: process.pid,
    });
    const started = Math.min(...(await Promise.all(children.map((c) => c.call<number>("start")))));
    const deadline = started + options.timeoutMs;
    const storageSoFar = children.map(() => 0);
    let killed: ScaleoutRun["killed"];
    let killedAt = Number.NaN;
    let lastLog = now();
    let lastStorage = 0;
    while (channel.delivered.size < options.notifications && now() < deadline) {
      await sleep(100);
      if (kill && !killed && channel.delivered.size >= options.killAtShare * options.notifications) {
        children[KILLED_PROCESS - 1]!.kill();
        killedAt = now();
        killed = { process: KILLED_PROCESS, afterMs: killedAt - started, deliveredBefore: channel.delivered.size };
        log(
          `  killed process ${KILLED_PROCESS} (SIGKILL) after ${(killed.afterMs / 1000).toFixed(1)} s, ${killed.deliveredBefore} delivered`,
        );
      }
      if (now() - lastStorage > 1_000) {
        lastStorage = now();
        await Promise.all(
          children.map(async (c, i) => {
            if (killed?.process === i + 1) return;
            storageSoFar[i] = await c.call<number>("storageSoFar", {}, 5_000).catch(() => storageSoFar[i]!);
          }),
        );
      }
      if (now() - lastLog > 10_000) {
        lastLog = now();
        log(
          `  ${channel.delivered.size} / ${options.notifications} delivered after ${((now() - started) / 1000).toFixed(0)} s (${channel.arrivals.length} requests)`,
        );
      }
    }
    const complete = channel.delivered.size >= options.notifications;
    const measured = meter.stop();
    const loadAfter = loadavg();
    const completionMs = channel.lastDeliveryAt - started;

    // Let the instances record the last deliveries on their rows, then stop them and read the outbox.
    const survivors = children.filter((_, i) => killed?.process !== i + 1);
    for (let i = 0; i < 100 && (await survivors[0]!.call<number>("pending", {}, 60_000)) > 0 && now() < deadline + 10_000; i++)
      await sleep(200);
    await Promise.all(survivors.map((c) => c.call("stopEngine", {}, 60_000)));
    const storage = {
      requests: 0,
      perNotification: 0,
      byKind: {} as Record<string, number>,
      ...(killed ? { killedProcessSoFar: storageSoFar[killed.process - 1]! } : {}),
    };
    for (const c of survivors) {
      const s = await c.call<{ requests: number; byKind: Record<string, number> }>("storage", {}, 60_000);
      storage.requests += s.requests;
      for (const [k, v] of Object.entries(s.byKind)) storage.byKind[k] = (storage.byKind[k] ?? 0) + v;
    }
    storage.requests += storage.killedProcessSoFar ?? 0;
    storage.perNotification = storage.requests / options.notifications;
    const counts = await survivors[0]!.call<OutboxCounts>("counts", {}, 120_000).catch(() => undefined);

    const run = figures(channel, options, limits, seeded.conversations, {
      label,
      ...(killed ? { killed } : {}),
      seedMs: seeded.seedMs,
      rowsWritten: seeded.rowsWritten,
      completionMs,
      complete,
      storage,
      ...(counts ? { counts } : {}),
      load: { before: loadBefore, after: loadAfter },
      instanceIds: readies.map((r) => r.instanceId),
      killedAt,
      started,
    });
    const perDelivery = (ms: number | undefined) => (ms === undefined ? undefined : ms / Math.max(1, channel.delivered.size));
    const instances = children.map((_, i) => measured.perProcessMs[`instance${i + 1}`]).filter((x): x is number => x !== undefined);
    run.cpu = {
      ...(instances.length ? { instances: perDelivery(instances.reduce((a, b) => a + b, 0))! } : {}),
      ...(measured.perProcessMs["azurite"] !== undefined ? { azurite: perDelivery(measured.perProcessMs["azurite"])! } : {}),
      ...(measured.perProcessMs["channel"] !== undefined ? { channel: perDelivery(measured.perProcessMs["channel"])! } : {}),
      ...(measured.machineBusy !== undefined ? { machineBusy: measured.machineBusy } : {}),
      ...(measured.outsideBusy !== undefined ? { outsideBusy: measured.outsideBusy } : {}),
    };
    return { run, ready: readies[0]! };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await channel.stop();
  }
}

/** The run's figures from the channel's records and the seeding plan (notification k to conversation k mod C). */
function figures(
  channel: SharedChannel,
  options: ScaleoutOptions,
  limits: ScaleoutResult["limits"],
  conversations: Record<string, string>,
  run: Pick<ScaleoutRun, "label" | "killed" | "seedMs" | "rowsWritten" | "completionMs" | "complete" | "storage" | "counts" | "load"> & {
    instanceIds: string[];
    killedAt: number;
    started: number;
  },
): ScaleoutRun {
  const planned = new Set<string>();
  const perTenant = new Map<string, number>();
  const perConversation = new Map<string, number>();
  for (let k = 0; k < options.notifications; k++) {
    const conversationId = scaleoutConversation(k % options.conversations);
    const tenantId = conversations[conversationId]!;
    planned.add(deliveryKey(k, options.conversations));
    perTenant.set(tenantId, (perTenant.get(tenantId) ?? 0) + 1);
    perConversation.set(conversationId, (perConversation.get(conversationId) ?? 0) + 1);
  }
  const minimum = theoreticalMinimum(perTenant, perConversation, limits);
  const arrivals = channel.arrivals;
  const plus = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const forcedTenant = new Map(perTenant);
  const forcedConversation = new Map(perConversation);
  for (const a of arrivals)
    if (a.outcome === "throttled") {
      plus(forcedTenant, a.tenantId);
      plus(forcedConversation, a.conversationId);
    }
  const minimumWithRetriesMs = theoreticalMinimum(forcedTenant, forcedConversation, limits).ms;

  const byTenant = overLimitByKey(
    arrivals.map((a) => ({ key: a.tenantId, at: a.at })),
    limits.perTenant,
  );
  const byConversation = overLimitByKey(
    arrivals.map((a) => ({ key: a.conversationId, at: a.at })),
    limits.perConversation,
  );
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  const deliveries = arrivals.filter((a) => a.outcome === "delivered");
  const deliveredPlanned = [...channel.delivered.keys()].filter((k) => planned.has(k)).length;
  const duplicates = countDuplicates(deliveries, run.killed ? { sender: run.killed.process, at: run.killedAt } : undefined);
  const processes: ProcessFigures[] = run.instanceIds.map((instanceId, i) => {
    const mine = arrivals.filter((a) => a.sender === i + 1);
    const delivered = mine.filter((a) => a.outcome === "delivered").length;
    return {
      process: i + 1,
      instanceId,
      requests: mine.length,
      deliveries: delivered,
      share: delivered / Math.max(1, deliveries.length),
      killed: run.killed?.process === i + 1,
    };
  });
  // Where the time goes beyond the minimum: a late first request (the start) or a late last delivery (the tail).
  const tenants = [...perTenant.keys()].sort().map((tenantId) => {
    const mine = arrivals.filter((a) => a.tenantId === tenantId);
    const delivered = mine.filter((a) => a.outcome === "delivered");
    return {
      tenantId,
      firstMs: Math.min(...mine.map((a) => a.at)) - run.started,
      lastMs: Math.max(...delivered.map((a) => a.at)) - run.started,
      requests: mine.length,
    };
  });
  const perSecond = run.instanceIds.map(() => [] as number[]);
  for (const a of deliveries) {
    const second = Math.max(0, Math.floor((a.at - run.started) / 1000));
    const counts = perSecond[a.sender - 1]!;
    while (counts.length <= second) counts.push(0);
    counts[second]!++;
  }
  const { instanceIds: _ids, killedAt: _at, started: _started, ...rest } = run;
  return {
    ...rest,
    minimum,
    minimumWithRetriesMs,
    ratio: run.completionMs / minimum.ms,
    requests: arrivals.length,
    delivered: deliveredPlanned,
    lost: Math.max(0, options.notifications - deliveredPlanned - (run.counts?.pending ?? 0)),
    undelivered: options.notifications - deliveredPlanned,
    duplicates,
    throttled: {
      overLimit: arrivals.filter((a) => a.outcome === "overLimit").length,
      random: arrivals.filter((a) => a.outcome === "throttled").length,
    },
    overLimit: {
      tenant: sum(byTenant),
      byTenant: Object.fromEntries(byTenant),
      conversation: sum(byConversation),
      conversations: byConversation.size,
      worstConversation: Math.max(0, ...byConversation.values()),
    },
    processes,
    tenants,
    perSecond,
    cpu: {},
  };
}
