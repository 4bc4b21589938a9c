/**
 * 1. Turns: the real server + Azurite + a loopback channel, N concurrent conversations each running the
 *    admin mix (help, search, open an invitation, accept it, list partners), against a bare echo bot on the
 *    same restify + CloudAdapter stack measured with the same load generator in the same run.
 * 5. Memory (part): the bot's and the echo bot's RSS at idle and after each load, over three repeated loads.
 */
import { stringsFor } from "../../src/cards/strings.js";
import { DEMO } from "../../src/demo/constants.js";
import { formatMessage } from "../../src/cards/messages.js";
import type { Child, Memory } from "../lib/child.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { breakdownOf, perTurn, topFunctions, type Breakdown, type CpuProfile } from "../lib/cpuProfile.js";
import { CpuMeter } from "../lib/proc.js";
import { summarize, type Summary } from "../lib/stats.js";
import { ACCEPTING_CONTACT, invitationId, type BenchUser, type TurnsMode } from "../servers/fixtures.js";
import { LoadGenerator, type LoadResult, type Step, type Talker, type TurnSample } from "./load.js";

export interface TurnsOptions {
  conversations: number;
  /** Rounds of the mix per conversation in one measured load (each round accepts a new invitation). */
  rounds: number;
  warmupRounds: number;
  /** Measured loads per bot (the memory check needs three). */
  loads: number;
  mode: TurnsMode;
  turnTimeoutMs: number;
  loadDeadlineMs: number;
  /** The paced run: mean think time between a user's turns (0 = skip the paced run). */
  thinkMs: number;
  pacedRounds: number;
  /**
   * Where to write V8 CPU profiles of one extra load per bot, run after the measured ones (so the profiler's own
   * cost stays out of the headline figures); undefined = no profiled load.
   */
  profileDir?: string;
}

export interface Pids {
  azurite: number | undefined;
}

/** CPU milliseconds per completed turn, per process, and how busy both cores were. */
export interface CpuFigures {
  server?: number;
  azurite?: number;
  generator?: number;
  machineBusy?: number;
  /** Share of the machine's CPU used by processes outside the benchmark during the load. */
  outsideBusy?: number;
}

export interface LoadFigures {
  label: string;
  turns: number;
  wallMs: number;
  throughput: number;
  messages: Summary;
  invokes: Summary;
  errors: number;
  firstErrors: string[];
  timedOut: boolean;
  memory: Memory;
  /** Table Storage requests per turn (Partner Desk only), the outbox engine's included. */
  storagePerTurn?: number;
  /** Of those, the outbox engine's (notifications queued by the turns, delivered in the background). */
  outboxPerTurn?: number;
  cpu: CpuFigures;
}

export interface BotFigures {
  name: string;
  idle: Memory;
  warmup: LoadFigures;
  loads: LoadFigures[];
  /** Over all measured loads: completed turns / wall time, and the pooled latencies. */
  throughput: number;
  messages: Summary;
  invokes: Summary;
  /** Partner Desk: latency per step of the mix, pooled over the measured loads. */
  bySteps: Array<{ label: string; summary: Summary }>;
  errors: number;
  cpu: CpuFigures;
}

export interface TurnsResult {
  options: TurnsOptions;
  echo: BotFigures;
  desk: BotFigures;
  ratio: number;
  storagePerTurn: number;
  /** Of storagePerTurn, the outbox engine's share. */
  outboxPerTurn: number;
  /** Partner Desk with paced users (think time), if run. */
  paced?: LoadFigures;
  /** CPU per turn by component, from the profiled load of each bot, if run. */
  profile?: { desk: ProfiledLoad; echo: ProfiledLoad };
}

export interface ProfiledLoad {
  turns: number;
  throughput: number;
  /** Sampled CPU ms per turn by component (the profiler's sampling, not /proc). */
  perTurn: Breakdown;
  /** The bot process's CPU per turn in the same load, from /proc (the profiler samples wall time while busy). */
  procMsPerTurn?: number;
  top: ReturnType<typeof topFunctions>;
  file: string;
}

const SEARCHES = [
  { location: "Sweden", size: "any", keywords: "security" },
  { location: "", size: "51-250", keywords: "migration" },
  { location: "London", size: "any", keywords: "" },
  { location: "Germany", size: "251-1000", keywords: "intune devices" },
  { location: "", size: "any", keywords: "copilot adoption" },
];

const strings = stringsFor("en");
const errorTitle = strings.errors.title;

/** What a wrong answer said: its TextBlocks' texts (the title alone does not tell a storage timeout from a bug). */
function saidIn(answer: unknown): string {
  const texts: string[] = [];
  JSON.stringify(answer, (key, value: unknown) => {
    if (key === "text" && typeof value === "string") texts.push(value);
    return value;
  });
  return (texts.length > 0 ? texts.join(" | ") : JSON.stringify(answer)).slice(0, 300);
}

function deskScript(users: readonly BenchUser[], load: number): (talker: Talker, round: number) => Step[] {
  return (talker, round) => {
    const user = users[talker.index]!;
    const invitation = invitationId(load, round, talker.index);
    const accepted = formatMessage(strings, strings.invitations.accepted, { partner: user.partnerName });
    const isCard = (activity: any) =>
      activity?.attachments?.[0]?.contentType === "application/vnd.microsoft.card.adaptive" &&
      !JSON.stringify(activity).includes(errorTitle)
        ? undefined
        : `not the expected card: ${saidIn(activity)}`;
    const invokeCard = (body: any) =>
      body?.type === "application/vnd.microsoft.card.adaptive" && !JSON.stringify(body).includes(errorTitle)
        ? undefined
        : `not the expected card: ${saidIn(body)}`;
    return [
      { kind: "message", label: "message: help", text: "help", check: isCard },
      {
        kind: "invoke",
        label: "invoke: findPartner.search",
        verb: "findPartner.search",
        data: { ...SEARCHES[(talker.index + round) % SEARCHES.length]!, page: 0 },
        check: invokeCard,
      },
      {
        kind: "invoke",
        label: "invoke: invitations.show",
        verb: "invitations.show",
        data: { invitationId: invitation },
        check: invokeCard,
      },
      {
        kind: "invoke",
        label: "invoke: invitations.accept",
        verb: "invitations.accept",
        data: { invitationId: invitation, agreementVersion: DEMO.agreementVersion, agreed: "true", ...ACCEPTING_CONTACT },
        check: (body) =>
          invokeCard(body) ??
          (JSON.stringify(body).includes(accepted) ? undefined : `the invitation was not accepted: ${JSON.stringify(body).slice(0, 300)}`),
      },
      { kind: "message", label: "message: partners", text: "partners", check: isCard },
    ];
  };
}

/** The same activities, posted to the echo bot: it echoes the text and answers every invoke with a tiny card. */
function echoScript(desk: (talker: Talker, round: number) => Step[]): (talker: Talker, round: number) => Step[] {
  return (talker, round) =>
    desk(talker, round).map((step): Step =>
      step.kind === "message"
        ? {
            ...step,
            check: (reply: any) =>
              reply?.text === `echo: ${step.text}` ? undefined : `unexpected echo ${JSON.stringify(reply).slice(0, 200)}`,
          }
        : {
            ...step,
            check: (body: any) =>
              body?.value?.type === "AdaptiveCard" ? undefined : `unexpected invoke answer ${JSON.stringify(body).slice(0, 200)}`,
          },
    );
}

function cpuPerTurn(measured: ReturnType<CpuMeter["stop"]>, turns: number): CpuFigures {
  const per = (value: number | undefined) => (value === undefined ? undefined : value / Math.max(1, turns));
  const out: CpuFigures = {};
  const server = per(measured.perProcessMs["server"]);
  const azurite = per(measured.perProcessMs["azurite"]);
  const generator = per(measured.perProcessMs["generator"]);
  if (server !== undefined) out.server = server;
  if (azurite !== undefined) out.azurite = azurite;
  if (generator !== undefined) out.generator = generator;
  if (measured.machineBusy !== undefined) out.machineBusy = measured.machineBusy;
  if (measured.outsideBusy !== undefined) out.outsideBusy = measured.outsideBusy;
  return out;
}

function figures(
  label: string,
  result: LoadResult,
  memory: Memory,
  cpu: CpuFigures,
  storage?: { requests: number; outbox: number },
): LoadFigures {
  const ok = (kind: TurnSample["kind"]) => result.samples.filter((s) => s.kind === kind && !s.error).map((s) => s.ms);
  return {
    cpu,
    label,
    turns: result.samples.length,
    wallMs: result.wallMs,
    throughput: result.throughput,
    messages: summarize(ok("message")),
    invokes: summarize(ok("invoke")),
    errors: result.errors,
    firstErrors: result.firstErrors,
    timedOut: result.timedOut,
    memory,
    ...(storage !== undefined
      ? {
          storagePerTurn: storage.requests / Math.max(1, result.samples.length),
          outboxPerTurn: storage.outbox / Math.max(1, result.samples.length),
        }
      : {}),
  };
}

function pooled(name: string, idle: Memory, warmup: LoadFigures, loads: LoadFigures[], results: LoadResult[]): BotFigures {
  const all = results.flatMap((r) => r.samples).filter((s) => !s.error);
  const labels = [...new Set(all.map((s) => s.label))];
  const completed = loads.reduce((sum, l) => sum + l.turns - l.errors, 0);
  const wall = loads.reduce((sum, l) => sum + l.wallMs, 0);
  const meanOf = (pick: (c: CpuFigures) => number | undefined): number | undefined => {
    const values = loads.map((l) => pick(l.cpu));
    return values.every((v) => v !== undefined) ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  };
  const cpu: CpuFigures = {};
  for (const key of ["server", "azurite", "generator", "machineBusy", "outsideBusy"] as const) {
    const value = meanOf((c) => c[key]);
    if (value !== undefined) cpu[key] = value;
  }
  return {
    cpu,
    name,
    idle,
    warmup,
    loads,
    throughput: completed / (wall / 1000),
    messages: summarize(all.filter((s) => s.kind === "message").map((s) => s.ms)),
    invokes: summarize(all.filter((s) => s.kind === "invoke").map((s) => s.ms)),
    bySteps: labels.map((label) => ({ label, summary: summarize(all.filter((s) => s.label === label).map((s) => s.ms)) })),
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
  };
}

export async function runTurns(
  desk: Child,
  echo: Child,
  pids: Pids,
  options: TurnsOptions,
  log: (line: string) => void,
  authorize?: (serviceUrl: string) => Promise<string>,
): Promise<TurnsResult> {
  const deskUrl = (await desk.call<{ url: string }>("info")).url;
  const echoUrl = (await echo.call<{ url: string }>("info")).url;
  const users = await desk.call<BenchUser[]>("setupTurns", { conversations: options.conversations, mode: options.mode }, 120_000);
  const talkers: Talker[] = users.map((u) => ({
    index: u.index,
    tenantId: u.tenantId,
    userId: u.userId,
    name: u.name,
    conversationId: u.conversationId,
  }));
  const generator = await new LoadGenerator(options.conversations, authorize).start();
  const run = { turnTimeoutMs: options.turnTimeoutMs, deadlineMs: options.loadDeadlineMs };
  try {
    const deskIdle = await desk.memory();
    const echoIdle = await echo.memory();

    // Load numbers: 0 is the warm-up, 1..loads are measured. Each needs its own invitations to accept.
    // `hooks` bracket exactly the turns and the outbox work they queued (a profile must not include the seeding).
    type Hooks = { started(): Promise<void>; finished(): Promise<void> };
    const deskLoad = async (load: number, rounds: number, label: string, thinkMs = 0, hooks?: Hooks) => {
      await desk.call("seedInvitations", { load, rounds }, 120_000);
      await generator.connect(deskUrl, talkers, options.turnTimeoutMs);
      await hooks?.started();
      const before = await desk.call<number>("storageTotal");
      const outboxBefore = await desk.call<number>("storageOutbox");
      const meter = new CpuMeter({ server: desk.pid, azurite: pids.azurite, generator: process.pid });
      const result = await generator.run(deskUrl, talkers, rounds, deskScript(users, load), { ...run, thinkMs });
      const cpu = cpuPerTurn(meter.stop(), result.samples.length);
      // The outbox delivers what the last turns queued after they were answered: their cost is theirs.
      await desk.call("outboxQuiet", {}, 30_000);
      await hooks?.finished();
      const storage = {
        requests: (await desk.call<number>("storageTotal")) - before,
        outbox: (await desk.call<number>("storageOutbox")) - outboxBefore,
      };
      const memory = await desk.memory();
      const f = figures(label, result, memory, cpu, storage);
      log(
        `  Partner Desk ${f.label}: ${f.turns} turns in ${(f.wallMs / 1000).toFixed(1)} s = ${f.throughput.toFixed(0)} turns/s; invoke p99 ${f.invokes.p99.toFixed(0)} ms; ${f.errors} errors; RSS ${(memory.rss / 1048576).toFixed(0)} MB${f.firstErrors[0] ? `; first error: ${f.firstErrors[0].slice(0, 300)}` : ""}`,
      );
      return { result, f };
    };
    const echoLoad = async (load: number, rounds: number, hooks?: Hooks) => {
      await generator.connect(echoUrl, talkers, options.turnTimeoutMs);
      await hooks?.started();
      const meter = new CpuMeter({ server: echo.pid, azurite: pids.azurite, generator: process.pid });
      const result = await generator.run(echoUrl, talkers, rounds, echoScript(deskScript(users, load)), run);
      const cpu = cpuPerTurn(meter.stop(), result.samples.length);
      await hooks?.finished();
      const memory = await echo.memory();
      const f = figures(load === 0 ? "warm-up" : `load ${load}`, result, memory, cpu);
      log(
        `  echo bot     ${f.label}: ${f.turns} turns in ${(f.wallMs / 1000).toFixed(1)} s = ${f.throughput.toFixed(0)} turns/s; invoke p99 ${f.invokes.p99.toFixed(0)} ms; ${f.errors} errors; RSS ${(memory.rss / 1048576).toFixed(0)} MB`,
      );
      return { result, f };
    };

    const echoWarm = await echoLoad(0, options.warmupRounds);
    const deskWarm = await deskLoad(0, options.warmupRounds, "warm-up");
    const echoRuns: Array<Awaited<ReturnType<typeof echoLoad>>> = [];
    const deskRuns: Array<Awaited<ReturnType<typeof deskLoad>>> = [];
    // Interleaved, so a slow phase of the machine hits both bots alike.
    for (let load = 1; load <= options.loads; load++) {
      echoRuns.push(await echoLoad(load, options.rounds));
      deskRuns.push(await deskLoad(load, options.rounds, `load ${load}`));
    }
    let profile: TurnsResult["profile"];
    if (options.profileDir !== undefined) {
      const dir = options.profileDir;
      const profiled = async (
        child: Child,
        name: string,
        load: (hooks: Hooks) => Promise<{ result: LoadResult; f: LoadFigures }>,
      ): Promise<ProfiledLoad> => {
        const path = join(dir, `${name}-${Date.now()}.cpuprofile`);
        let file = "";
        const { result, f } = await load({
          started: () => child.call("profile.start", { intervalUs: 500 }).then(() => undefined),
          finished: async () => {
            file = await child.call<string>("profile.stop", { path }, 60_000);
          },
        });
        const parsed = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
        const turns = result.samples.length;
        const figures: ProfiledLoad = {
          turns,
          throughput: result.throughput,
          perTurn: perTurn(breakdownOf(parsed), turns),
          ...(f.cpu.server !== undefined ? { procMsPerTurn: f.cpu.server } : {}),
          top: topFunctions(parsed, 25),
          file,
        };
        log(`  ${name} profiled load: ${figures.perTurn.totalMs.toFixed(2)} CPU ms per turn sampled; profile ${file}`);
        return figures;
      };
      const profiledLoad = options.loads + 2;
      const echoProfile = await profiled(echo, "echo", (hooks) => echoLoad(profiledLoad, options.rounds, hooks));
      const deskProfile = await profiled(desk, "partner-desk", (hooks) => deskLoad(profiledLoad, options.rounds, "profiled", 0, hooks));
      profile = { desk: deskProfile, echo: echoProfile };
    }
    const paced =
      options.thinkMs > 0
        ? (await deskLoad(options.loads + 1, options.pacedRounds, `paced (think ${options.thinkMs} ms)`, options.thinkMs)).f
        : undefined;
    const echoFigures = pooled(
      "echo bot (baseline)",
      echoIdle,
      echoWarm.f,
      echoRuns.map((r) => r.f),
      echoRuns.map((r) => r.result),
    );
    const deskFigures = pooled(
      "Partner Desk",
      deskIdle,
      deskWarm.f,
      deskRuns.map((r) => r.f),
      deskRuns.map((r) => r.result),
    );
    const storageTurns = deskRuns.reduce((sum, r) => sum + r.f.turns, 0);
    const storageRequests = deskRuns.reduce((sum, r) => sum + (r.f.storagePerTurn ?? 0) * r.f.turns, 0);
    const outboxRequests = deskRuns.reduce((sum, r) => sum + (r.f.outboxPerTurn ?? 0) * r.f.turns, 0);
    return {
      options,
      echo: echoFigures,
      desk: deskFigures,
      ratio: deskFigures.throughput / echoFigures.throughput,
      storagePerTurn: storageRequests / Math.max(1, storageTurns),
      outboxPerTurn: outboxRequests / Math.max(1, storageTurns),
      ...(paced ? { paced } : {}),
      ...(profile ? { profile } : {}),
    };
  } finally {
    await generator.stop();
  }
}
