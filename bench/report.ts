/** Turns the figures into bench/RESULTS.md: machine, commands, targets, figures, and a closing note per miss. */
import type { FanoutOptions, FanoutResult } from "./fanout/index.js";
import type { Memory } from "./lib/child.js";
import type { Machine } from "./lib/machine.js";
import { mb, ms, num, table, type Summary } from "./lib/stats.js";
import type { ActionTrips, RoundTripsResult } from "./roundTrips.js";
import type { SearchOptions } from "./search/index.js";
import type { SearchRun } from "./search/worker.js";
import type { BotFigures, LoadFigures, TurnsOptions, TurnsResult } from "./turns/index.js";

export interface Results {
  quick: boolean;
  machine: Machine;
  sections: {
    turns?: TurnsResult;
    trips?: RoundTripsResult;
    search?: SearchRun;
    fanout?: FanoutResult;
    guard?: FanoutResult[];
    deskAfterAll?: Memory;
  };
  errors: Record<string, string>;
  seconds: Record<string, number>;
  totalSeconds: number;
}

export interface Options {
  turns: TurnsOptions;
  search: SearchOptions;
  fanout: FanoutOptions;
  guard: FanoutOptions;
  only: string[];
}

export interface Target {
  id: string;
  name: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

/**
 * "No growth beyond noise" over identical loads: RSS after the last load no more than max(5%, 16 MB) above the
 * highest RSS after the earlier ones (RSS that rises and falls back between loads is the allocator keeping
 * pages, not growth), and the heap after a full GC no more than max(2%, 2 MB) above its figure after the first.
 */
export function growth(loads: readonly Memory[]): {
  rss: number;
  heap: number;
  rssOk: boolean;
  heapOk: boolean;
  rssSeries: string;
  heapSeries: string;
} {
  const first = loads[0]!;
  const last = loads.at(-1)!;
  const earlierPeak = Math.max(...loads.slice(0, -1).map((m) => m.rss));
  const heap = last.heapUsed - first.heapUsed;
  return {
    rss: last.rss - first.rss,
    heap,
    rssOk: last.rss - earlierPeak <= Math.max(0.05 * earlierPeak, 16 * 1048576),
    heapOk: heap <= Math.max(0.02 * first.heapUsed, 2 * 1048576),
    rssSeries: loads.map((m) => (m.rss / 1048576).toFixed(0)).join(" → "),
    heapSeries: loads.map((m) => (m.heapUsed / 1048576).toFixed(1)).join(" → "),
  };
}

const pct = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(0)}%`);
/** Share of one core a process used: CPU ms per item × items per second. */
const use = (msPerItem: number | undefined, perSecond: number) =>
  msPerItem === undefined ? "n/a" : `${((msPerItem * perSecond) / 10).toFixed(0)}%`;
const signedMb = (bytes: number) => `${bytes >= 0 ? "+" : "−"}${mb(Math.abs(bytes))}`;
const lat = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;

export function targetsOf(results: Results): Target[] {
  const out: Target[] = [];
  const { turns, trips, search, fanout } = results.sections;
  if (turns) {
    out.push({
      id: "ratio",
      name: "Turns: throughput vs echo bot",
      target: ">= 0.5",
      measured: `${turns.ratio.toFixed(2)} (${num(turns.desk.throughput)} vs ${num(turns.echo.throughput)} turns/s)`,
      met: turns.ratio >= 0.5 && turns.desk.errors === 0,
    });
    out.push({
      id: "p99",
      name: `Turns: invoke p99 at ${turns.options.conversations} concurrent conversations`,
      target: "< 250 ms",
      measured: ms(turns.desk.invokes.p99, 0),
      met: turns.options.conversations >= 100 ? turns.desk.invokes.p99 < 250 : undefined,
    });
  }
  if (trips) {
    const invokes = trips.warm.filter((a) => a.kind === "invoke");
    const messages = trips.warm.filter((a) => a.kind === "message");
    const worst = (list: ActionTrips[]) => list.reduce((a, b) => (b.trips > a.trips ? b : a), list[0]!);
    const over = (list: ActionTrips[]) => list.filter((a) => !a.met);
    out.push({
      id: "tripsInvoke",
      name: "Round trips: card action",
      target: "<= 3",
      measured: `${invokes.length - over(invokes).length} of ${invokes.length} within; max ${worst(invokes).trips} (${worst(invokes).action.replace("invoke ", "")})`,
      met: over(invokes).length === 0 && invokes.every((a) => !a.error),
    });
    out.push({
      id: "tripsMessage",
      name: "Round trips: plain message",
      target: "<= 2",
      measured: `${messages.length - over(messages).length} of ${messages.length} within; max ${worst(messages).trips}`,
      met: over(messages).length === 0 && messages.every((a) => !a.error),
    });
  }
  if (search) {
    out.push({
      id: "build",
      name: `Search: index build, ${num(search.partners)} partners`,
      target: "<= 5 s",
      measured: `${(search.buildMs / 1000).toFixed(2)} s`,
      met: search.partners >= 100_000 ? search.buildMs <= 5_000 : undefined,
    });
    out.push({
      id: "query",
      name: "Search: query p99",
      target: "<= 10 ms",
      measured: `${ms(search.overall.p99, 1)} (p50 ${ms(search.overall.p50, 1)})`,
      met: search.partners >= 100_000 ? search.overall.p99 <= 10 : undefined,
    });
  }
  if (fanout) {
    out.push({
      id: "fanoutRatio",
      name: `Fan-out: completion vs theoretical minimum (limits ×${fanout.options.scale})`,
      target: "<= 1.15",
      measured: `${fanout.ratio.toFixed(2)} (${(fanout.completionMs / 1000).toFixed(1)} s vs ${(fanout.minimumMs / 1000).toFixed(1)} s)`,
      met: fanout.complete && fanout.ratio <= 1.15,
    });
    out.push({
      id: "fanoutExact",
      name: "Fan-out: lost / duplicated / over-limit sends",
      target: "0 / 0 / 0",
      measured: `${fanout.lost} / ${fanout.duplicated} / ${fanout.violations}`,
      met: fanout.lost === 0 && fanout.duplicated === 0 && fanout.violations === 0 && fanout.counts.dead === 0,
    });
  }
  const loads = turns?.desk.loads;
  if (loads && loads.length >= 3) {
    const g = growth(loads.map((l) => l.memory));
    out.push({
      id: "memory",
      name: "Memory: bot across three repeated loads",
      target: "no growth beyond noise",
      measured: `RSS ${g.rssSeries} MB; heap after GC ${g.heapSeries} MB`,
      met: g.rssOk && g.heapOk,
    });
  }
  if (!results.quick)
    out.push({
      id: "runtime",
      name: "Whole benchmark runtime",
      target: "< 10 min",
      measured: `${(results.totalSeconds / 60).toFixed(1)} min`,
      met: results.totalSeconds < 600,
    });
  return out;
}

function botTable(bots: BotFigures[]): string {
  return table(
    ["", "turns/s", "messages p50 / p95 / p99", "invokes p50 / p95 / p99", "errors", "CPU ms per turn: server / Azurite / load generator"],
    bots.map((b) => [
      b.name,
      num(b.throughput),
      lat(b.messages),
      lat(b.invokes),
      String(b.errors),
      `${b.cpu.server?.toFixed(2) ?? "n/a"} / ${b.cpu.azurite?.toFixed(2) ?? "n/a"} / ${b.cpu.generator?.toFixed(2) ?? "n/a"}`,
    ]),
  );
}

function turnsSection(t: TurnsResult): string {
  const o = t.options;
  const lines: string[] = [];
  lines.push(`## 1. Turns: Partner Desk against a bare echo bot`);
  lines.push("");
  lines.push(
    `${o.conversations} conversations at once, each running its rounds one turn after the other with no pause (a closed loop: ${o.conversations} requests are always in flight). ` +
      `One round is the admin's mix on the msteams channel: the message \`help\`, an \`adaptiveCard/action\` invoke \`findPartner.search\`, \`invitations.show\` (open an invitation), \`invitations.accept\` (accept it, with the agreement ticked), and the message \`partners\`: 2 messages and 3 invokes. ` +
      `Each round accepts a new invitation created for it in setup. ` +
      (o.mode === "tenants"
        ? `Conversation *i* is the Global administrator of its own customer tenant *i* (the bot is multi-tenant; ${o.conversations} concurrent conversations are ${o.conversations} people, mostly in different organizations).`
        : `Every conversation is the demo admin of the demo tenant.`) +
      ` A message counts until its reply reached the channel emulator, an invoke until its invoke response arrived. ` +
      `A warm-up of ${o.warmupRounds} round, then ${o.loads} measured loads of ${o.rounds} rounds (${num(o.conversations * o.rounds * 5)} turns each), interleaved with the echo bot's loads so that a slow moment of the machine hits both. Before each load every conversation sends one typing activity (neither bot answers or stores it) to re-open its keep-alive connection: the servers close connections idle for 5 s, and in trials without it the first few dozen turns after such a pause took up to a second, for both bots. ` +
      `The echo bot gets the same activities from the same load generator; it echoes text and answers every invoke with a one-line card.`,
  );
  lines.push("");
  lines.push(botTable([t.desk, t.echo]));
  lines.push("");
  lines.push(
    `**Throughput ratio: ${t.ratio.toFixed(2)}** (Partner Desk / echo bot). Partner Desk made ${t.storagePerTurn.toFixed(2)} Table Storage requests per turn of this mix.`,
  );
  lines.push("");
  lines.push("Partner Desk per step of the mix (pooled over the measured loads):");
  lines.push("");
  lines.push(
    table(
      ["step", "n", "p50", "p95", "p99", "max"],
      t.desk.bySteps.map((s) => [s.label, String(s.summary.n), ms(s.summary.p50), ms(s.summary.p95), ms(s.summary.p99), ms(s.summary.max)]),
    ),
  );
  lines.push("");
  lines.push("Every load:");
  lines.push("");
  const rows: Array<[string, LoadFigures]> = [
    ...[t.desk.warmup, ...t.desk.loads, ...(t.paced ? [t.paced] : [])].map((l): [string, LoadFigures] => ["Partner Desk", l]),
    ...[t.echo.warmup, ...t.echo.loads].map((l): [string, LoadFigures] => ["echo bot", l]),
  ];
  lines.push(
    table(
      ["bot", "load", "turns", "seconds", "turns/s", "invoke p99", "message p99", "errors", "machine busy", "busy outside the benchmark"],
      rows.map(([bot, l]) => [
        bot,
        l.label,
        String(l.turns),
        (l.wallMs / 1000).toFixed(1),
        num(l.throughput),
        ms(l.invokes.p99, 0),
        ms(l.messages.p99, 0),
        String(l.errors),
        pct(l.cpu.machineBusy),
        pct(l.cpu.outsideBusy),
      ]),
    ),
  );
  const errors = [...t.desk.loads, t.desk.warmup, ...t.echo.loads].flatMap((l) => l.firstErrors);
  if (errors.length > 0) {
    lines.push("");
    lines.push("First errors:");
    lines.push("");
    for (const e of errors.slice(0, 5)) lines.push(`- \`${e.slice(0, 300)}\``);
  }
  if (t.paced) {
    const p = t.paced;
    lines.push("");
    lines.push(
      `**Paced users (context, not the target's measurement):** the same ${o.conversations} conversations, each user pausing ${o.thinkMs} ms on average (uniformly 0.5×–1.5×) after every turn, ${o.pacedRounds} round${o.pacedRounds === 1 ? "" : "s"}: ` +
        `${num(p.throughput)} turns/s offered, invokes p50 / p95 / p99 ${lat(p.invokes)}, messages ${lat(p.messages)}, ${p.errors} errors.`,
    );
  }
  return lines.join("\n");
}

function tripsSection(r: RoundTripsResult): string {
  const lines: string[] = [];
  lines.push("## 2. Storage round trips per action");
  lines.push("");
  lines.push(
    "Every request the bot's Table Storage clients send, counted by a pipeline policy (`createTableClients(…, { additionalPolicies })`, per retry, so a retried request would count twice). " +
      "Each action runs alone, once, through the real endpoint on the msteams channel; counting stops when no request has been in flight for 250 ms, so work the bot does after answering (storing the conversation reference) is included. " +
      "**Warm**: the user has talked to the bot in this conversation before (roles cached, conversation reference stored): the steady state the targets are about.",
  );
  lines.push("");
  lines.push(
    table(
      ["action", "who", "round trips", "target", "", "requests"],
      r.warm.map((a) => [
        a.action,
        a.who,
        String(a.trips),
        `<= ${a.target}`,
        a.error ? "ERROR" : a.met ? "met" : "**over**",
        a.calls.map((c) => c.what).join("; ") || "none",
      ]),
    ),
  );
  lines.push("");
  lines.push("**Cold**: the same actions as a user's very first turn:");
  lines.push("");
  lines.push(
    table(
      ["action", "round trips", "requests"],
      r.cold.map((a) => [a.action, String(a.trips), a.calls.map((c) => c.what).join("; ")]),
    ),
  );
  lines.push("");
  lines.push(
    `A first turn adds: ${r.coldExtra.map((x) => `\`${x}\``).join(", ")}. These are the role lookup (cached for ROLE_CACHE_SECONDS afterwards), and reading then writing the conversation reference (written again only when it changes).`,
  );
  const errors = [...r.warm, ...r.cold].filter((a) => a.error);
  if (errors.length > 0) {
    lines.push("");
    for (const e of errors) lines.push(`- ERROR in ${e.action}: \`${e.error!.slice(0, 300)}\``);
  }
  return lines.join("\n");
}

function searchSection(s: SearchRun): string {
  const lines: string[] = [];
  lines.push("## 3. Directory search");
  lines.push("");
  lines.push(
    `A generated directory of ${num(s.partners)} partners (deterministic: names from common words and invented brand words, 1–3 of 60 cities in 25 countries, 1–3 sizes, 2–5 of 40 services, 0–3 of 20 industries, 1–3 partner types), ` +
      `indexed by the bot's own \`PartnerSearch.build\` (what \`DirectoryService\` builds after reading the table; reading 100,000 rows from storage is not included). ` +
      `Then ${s.passes} passes over a fixed set of ${s.perQuery.length} queries (after one warm-up pass), page 0 unless stated, 10 per page.`,
  );
  lines.push("");
  lines.push(
    table(
      ["", "figure"],
      [
        ["generate the directory", ms(s.generateMs, 0)],
        ["**build the index**", `**${(s.buildMs / 1000).toFixed(2)} s**`],
        ["build again in the same process (a reload)", `${(s.rebuildMs / 1000).toFixed(2)} s`],
        [
          "**queries p50 / p95 / p99 / max**",
          `**${ms(s.overall.p50, 2)} / ${ms(s.overall.p95, 2)} / ${ms(s.overall.p99, 2)}** / ${ms(s.overall.max, 2)} (${s.overall.n} queries)`,
        ],
        [
          "heap after GC: directory objects / + index",
          `${mb(s.memory.generated.heapUsed - s.memory.idle.heapUsed)} / ${mb(s.memory.indexed.heapUsed - s.memory.idle.heapUsed)}`,
        ],
      ],
    ),
  );
  lines.push("");
  lines.push("Per query (sorted by p99):");
  lines.push("");
  const sorted = [...s.perQuery].sort((a, b) => b.summary.p99 - a.summary.p99);
  lines.push(
    table(
      ["query", "matches", "p50", "p99"],
      sorted.map((q) => [q.label, num(q.total), ms(q.summary.p50, 2), ms(q.summary.p99, 2)]),
    ),
  );
  return lines.join("\n");
}

function fanoutSection(f: FanoutResult): string {
  const o = f.options;
  const lines: string[] = [];
  const windows = (w: Array<{ limit: number; perMs: number }>) => w.map((x) => `${x.limit}/${x.perMs} ms`).join(", ");
  lines.push("## 4. Notification fan-out");
  lines.push("");
  lines.push(
    `${num(o.notifications)} notifications (outbox rows seeded in entity group transactions of 100 per customer-tenant partition, oldest first interleaving the customers and the recipients' tenants) to ${num(o.conversations)} partner contacts' conversations in ${o.tenants} tenants, ${o.notifications / o.conversations} per conversation. ` +
      `The dispatcher is Partner Desk's own (\`Dispatcher\`, \`RateLimiter\`, \`BotProactiveSender\` on a CloudAdapter, real repositories on Azurite, settings through \`loadConfig\`: concurrency ${f.concurrency}) in its own process. ` +
      `It sends to a loopback channel that plays Teams: it **enforces the same limits** by arrival time (every request counts, as the limiter counts every attempt), answers a request that breaks a window with 429, and answers ${(o.throttledShare * 100).toFixed(0)}% of the others with 429 and \`Retry-After: ${o.retryAfterSeconds}\`. ` +
      (o.scale === 1
        ? `The limits are Teams' own, unscaled, on both sides: `
        : `Both sides use Teams' limits with every count multiplied by ${o.scale}: `) +
      `per conversation ${windows(f.limits.perConversation)}; per tenant ${windows(f.limits.perTenant)}.` +
      (f.dispatcherLimits && JSON.stringify(f.dispatcherLimits) !== JSON.stringify(f.limits)
        ? ` The dispatcher runs with its default guard band (NOTIFY_GUARD_MS) on every window: per conversation ${windows(f.dispatcherLimits.perConversation)}; per tenant ${windows(f.dispatcherLimits.perTenant)}.`
        : ""),
  );
  lines.push("");
  lines.push(
    table(
      ["", "figure"],
      [
        ["seeding (not timed below)", `${num(f.rowsWritten)} rows in ${(f.seedMs / 1000).toFixed(1)} s`],
        ["**completion**: dispatcher start → last delivery", `**${(f.completionMs / 1000).toFixed(1)} s**`],
        ["first send → last delivery", `${(f.sendSpanMs / 1000).toFixed(1)} s`],
        ["theoretical minimum for the deliveries", `${(f.minimumMs / 1000).toFixed(1)} s → **ratio ${f.ratio.toFixed(2)}**`],
        [
          "… counting the attempts the random 429s forced",
          `${(f.minimumWithRetriesMs / 1000).toFixed(1)} s → ratio ${f.ratioWithRetries.toFixed(2)}`,
        ],
        ["delivered / requests / throttled at random", `${num(f.delivered)} / ${num(f.attempts)} / ${num(f.randomThrottled)}`],
        ["**lost / duplicated / over a limit**", `**${f.lost} / ${f.duplicated} / ${f.violations}**`],
        [
          "sends that would break windows shorter by 1 / 5 / 20 ms",
          `${f.violationsWithin["1 ms"]} / ${f.violationsWithin["5 ms"]} / ${f.violationsWithin["20 ms"]}`,
        ],
        ["outbox afterwards: sent / pending / dead", `${num(f.counts.sent)} / ${f.counts.pending} / ${f.counts.dead}`],
        [
          "rows by failed attempts before success",
          Object.entries(f.counts.attempts)
            .map(([k, v]) => `${k}: ${num(v)}`)
            .join(", "),
        ],
        ["delivery rate", `${num(f.delivered / (f.completionMs / 1000))} notifications/s`],
        ...(f.storage
          ? [
              [
                "dispatcher's storage requests per notification",
                `${f.storage.perNotification.toFixed(2)} (${Object.entries(f.storage.byKind)
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 6)
                  .map(([k, v]) => `${k}: ${num(v)}`)
                  .join("; ")})`,
              ],
            ]
          : []),
        [
          "CPU ms per notification: dispatcher / Azurite / channel",
          `${f.cpu.dispatcher?.toFixed(2) ?? "n/a"} / ${f.cpu.azurite?.toFixed(2) ?? "n/a"} / ${f.cpu.channel?.toFixed(2) ?? "n/a"} (machine ${pct(f.cpu.machineBusy)} busy, ${pct(f.cpu.outsideBusy)} outside the benchmark)`,
        ],
      ],
    ),
  );
  lines.push("");
  lines.push(
    "The theoretical minimum: for each conversation and each tenant with *n* sends and each window of *L* per *W*, the *n*-th send can start no sooner than ⌊(n−1)/L⌋·W after the first; the minimum is the largest of these. " +
      `Here that is the per-tenant window: ${num(o.notifications / o.tenants)} sends per tenant. Lost = notifications never answered 200; duplicated = notifications answered 200 more than once; over a limit = requests that arrived when a window was already full.`,
  );
  return lines.join("\n");
}

function guardSection(runs: FanoutResult[], main: FanoutResult | undefined): string {
  const windows = (w: Array<{ limit: number; perMs: number }>) => w.map((x) => `${x.limit}/${x.perMs}`).join(", ");
  const o = runs[0]!.options;
  const rows = runs.map((r) => [
    r.options.guardMs ? `windows +${r.options.guardMs} ms` : "exact windows",
    `${windows(r.dispatcherLimits.perTenant)} per tenant; ${windows(r.dispatcherLimits.perConversation)} per conversation`,
    String(r.violations),
    `${(r.completionMs / 1000).toFixed(1)} s`,
    `${(r.minimumMs / 1000).toFixed(1)} s`,
    r.ratio.toFixed(2),
    `${r.lost} / ${r.duplicated}`,
  ]);
  if (main && runs.length === 1 && main.options.notifications === o.notifications && main.options.conversations === o.conversations) {
    rows.unshift([
      "exact windows (section 4)",
      `${windows(main.dispatcherLimits.perTenant)} per tenant`,
      String(main.violations),
      `${(main.completionMs / 1000).toFixed(1)} s`,
      `${(main.minimumMs / 1000).toFixed(1)} s`,
      main.ratio.toFixed(2),
      `${main.lost} / ${main.duplicated}`,
    ]);
  }
  return [
    "### 4b. Experiment: a guard band on the dispatcher's windows",
    "",
    `Not a target measurement: ${num(o.notifications)} notifications to ${num(o.conversations)} conversations in ${o.tenants === 1 ? "one tenant" : `${o.tenants} tenants`} (${num(o.notifications / o.tenants)} per tenant, so that the per-tenant window of ${windows(runs[0]!.limits.perTenant)} binds whatever the dispatcher's speed), with the channel enforcing the exact limits as above and the dispatcher configured (through NOTIFY_GUARD_MS) with the same windows or with every window a few milliseconds longer.`,
    "",
    table(
      ["dispatcher configured with", "windows (count/ms)", "over a limit", "completion", "minimum", "ratio", "lost / duplicated"],
      rows,
    ),
  ].join("\n");
}

function memorySection(results: Results): string {
  const { turns, search, fanout, deskAfterAll } = results.sections;
  const rows: string[][] = [];
  const row = (process: string, moment: string, m: Memory | undefined) =>
    m && rows.push([process, moment, mb(m.rss), mb(m.heapUsed), mb(m.external)]);
  if (turns) {
    row("Partner Desk", "idle (started, demo and users seeded)", turns.desk.idle);
    row("Partner Desk", "after the warm-up", turns.desk.warmup.memory);
    turns.desk.loads.forEach((l) => row("Partner Desk", `after ${l.label}`, l.memory));
    if (turns.paced) row("Partner Desk", "after the paced load", turns.paced.memory);
  }
  row("Partner Desk", "after the round-trip actions", deskAfterAll);
  if (turns) {
    row("echo bot", "idle", turns.echo.idle);
    row("echo bot", "after the warm-up", turns.echo.warmup.memory);
    turns.echo.loads.forEach((l) => row("echo bot", `after ${l.label}`, l.memory));
  }
  if (search) {
    row("search", "idle", search.memory.idle);
    row("search", "directory generated", search.memory.generated);
    row("search", "index built", search.memory.indexed);
    row("search", "after the queries", search.memory.afterQueries);
  }
  if (fanout) {
    row("dispatcher", "idle", fanout.memory.idle);
    row("dispatcher", "seeded, index of partners built", fanout.memory.seeded);
    row("dispatcher", "after the fan-out", fanout.memory.after);
  }
  const lines = [
    "## 5. Memory",
    "",
    "Each server runs in its own Node process (under tsx, with `--expose-gc`); every figure is taken after two full GCs. RSS includes tsx's loader and the compiled TypeScript.",
    "",
    table(["process", "when", "RSS", "heap used", "external (buffers)"], rows),
  ];
  const loads = turns?.desk.loads;
  if (loads && loads.length >= 3) {
    const g = growth(loads.map((l) => l.memory));
    const e = turns!.echo.loads.length >= 3 ? growth(turns!.echo.loads.map((l) => l.memory)) : undefined;
    lines.push("");
    lines.push(
      `After the three identical loads Partner Desk's RSS was ${g.rssSeries} MB and its heap after a full GC ${g.heapSeries} MB. ` +
        `Growth beyond noise would be RSS after the last load more than 5% or 16 MB (whichever is larger) above the highest RSS after the earlier loads (RSS that rises and falls back between loads is the allocator keeping pages it got at a peak, not growth), or a heap after GC more than 2% or 2 MB above its figure after load 1 (retained objects). ` +
        (e ? `For scale, the echo bot, which keeps nothing, went ${e.rssSeries} MB (heap ${e.heapSeries} MB).` : ""),
    );
  }
  return lines.join("\n");
}

function guardEvidence(results: Results): string {
  const guarded = results.sections.guard?.find((r) => (r.options.guardMs ?? 0) > 0);
  if (!guarded) return "";
  const exact = results.sections.guard?.find((r) => !r.options.guardMs) ?? results.sections.fanout;
  return (
    ` In 4b, with every dispatcher window ${guarded.options.guardMs} ms longer, ${guarded.violations} sends arrived over a limit${exact && exact.options.notifications === guarded.options.notifications ? ` (${exact.violations} with exact windows at the same size)` : ""}, and the run took ${(guarded.completionMs / 1000).toFixed(1)} s against a minimum of ${(guarded.minimumMs / 1000).toFixed(1)} s (ratio ${guarded.ratio.toFixed(2)}).` +
    (guarded.violations > 0
      ? ` A fixed band shrinks the problem but cannot rule it out: when the dispatcher's process is descheduled between the limiter's grant and the send (the machine was ${pct(guarded.cpu.machineBusy)} busy then, ${pct(guarded.cpu.outsideBusy)} by other processes), the delay exceeds any band; those few 429s are retried like any other.`
      : "")
  );
}

/** Why each missed target was missed and what would close it, from the measured figures. */
function closingNotes(results: Results, targets: Target[]): string[] {
  const notes: string[] = [];
  const missed = new Set(targets.filter((t) => t.met === false).map((t) => t.id));
  const { turns, trips, search, fanout } = results.sections;
  if (turns && missed.has("ratio")) {
    const d = turns.desk.cpu;
    const e = turns.echo.cpu;
    notes.push(
      `**Turns ratio ${turns.ratio.toFixed(2)} < 0.5.** Each bot is one Node process, and under this load each one's CPU is the limit: ` +
        `Partner Desk used ${d.server?.toFixed(2) ?? "?"} ms of CPU per turn of the mix and the echo bot ${e.server?.toFixed(2) ?? "?"} ms, so at ${num(turns.desk.throughput)} and ${num(turns.echo.throughput)} turns/s they were busy ${use(d.server, turns.desk.throughput)} and ${use(e.server, turns.echo.throughput)} of a core (a JavaScript thread plus the garbage collector's helper threads). ` +
        `The CPU per turn alone would put the throughput ratio at about ${d.server && e.server ? (e.server / d.server).toFixed(2) : "?"}; Azurite, on the same 2 cores, used ${d.azurite?.toFixed(2) ?? "?"} ms per turn for ${turns.storagePerTurn.toFixed(1)} storage requests (${use(d.azurite, turns.desk.throughput)} of a core) and the load generator ${d.generator?.toFixed(2) ?? "?"} ms (the machine was ${pct(d.machineBusy)} busy). ` +
        `Where the bot's extra CPU goes: a CPU profile under this load (\`BENCH_CPU_PROF=<dir> npm run bench\`) shows no single hot spot but the Azure SDK's HTTP pipeline for every storage request (signing, serializing, parsing; then zod), botbuilder, garbage collection (about a tenth) and card templating (0.1 to 0.5 ms a card); date formatters and collators are now built once per locale, and the agreement is served from memory. The per-turn framework costs both bots pay (restify, botbuilder's CloudAdapter building a connector client for every incoming activity, the HTTP reply) weigh more in the ratio the cheaper our own part gets. ` +
        `Azurite also answers every query by scanning its whole in-memory table (LokiJS; \`queryTableEntities\` in node_modules/azurite/dist/src/table/persistence/LokiTableMetadataStore.js filters the collection with a JavaScript predicate), so its cost per query grows as the benchmark adds invitations, audit events and outbox rows; Table Storage reads one partition's key range and runs elsewhere. ` +
        `What would close it: at least ${d.server && e.server ? num(Math.max(0, 1 - (2 * e.server) / d.server) * 100) : "?"}% less CPU per turn in the bot (to cost no more than twice the echo bot), more while Azurite shares its cores, from fewer storage requests (every action is within the round-trip targets now; \`invitations.show\` could also keep the tenant's admins' conversation ids in memory), lighter validation on writes (zod parses every entity written, about 0.2 ms each) and lighter card rendering; or, since the bot keeps no per-process state but caches, more than one process per host (the target compares one process with one process).`,
    );
  }
  if (turns && missed.has("p99")) {
    const n = turns.options.conversations;
    const p = turns.paced;
    notes.push(
      `**Invoke p99 ${ms(turns.desk.invokes.p99, 0)} ≥ 250 ms at ${n} concurrent conversations.** In a closed loop without think time ${n} requests are always waiting, so the mean latency is about ${n} / throughput = ${ms((n / turns.desk.throughput) * 1000, 0)} (Little's law); ` +
        `the echo bot itself has invoke p99 ${ms(turns.echo.invokes.p99, 0)} at the same concurrency. A p99 under 250 ms with ${n} requests always in flight needs a throughput of roughly ${num(n / 0.2)} turns/s, ${(n / 0.2 / turns.desk.throughput).toFixed(1)}× what this machine gives. ` +
        (p
          ? `With the same ${n} conversations and users who pause about ${turns.options.thinkMs} ms between turns (${num(p.throughput)} turns/s offered), invoke p99 is ${ms(p.invokes.p99, 0)}${p.invokes.p99 < 250 ? ", within the target" : ""}. `
          : "") +
        `What would close it: the throughput items above; or stating the target for a realistic pace (people read a card before they press the next button), which the paced figure measures.`,
    );
  }
  if (trips && (missed.has("tripsInvoke") || missed.has("tripsMessage"))) {
    const over = trips.warm.filter((a) => !a.met);
    const has = (a: ActionTrips, what: string) => a.calls.some((c) => c.what.startsWith(what));
    const details = over
      .map((a) => `\`${a.action.replace("invoke ", "")}\` ${a.trips} (${a.calls.map((c) => c.what).join("; ")})`)
      .join(", ");
    const ideas: string[] = [];
    if (over.some((a) => has(a, "query agreements"))) {
      ideas.push(
        "the current agreement is read with a query on every show, review and accept of an invitation or agreement, but it changes a few times a year: an in-memory copy refreshed every few minutes saves one request each time",
      );
    }
    if (over.some((a) => has(a, "point read tenant rel") && a.calls.at(-1)?.what.startsWith("query tenant rel"))) {
      ideas.push(
        "accepting reads the partner's relationship, commits, then queries all of the tenant's relationships for the partner list; one query before the transaction gives both (the row to change, with its ETag, is in the list), and the list is patched with the row written: one request less",
      );
    }
    const reRead = (a: ActionTrips) => {
      const batch = a.calls.findIndex((c) => c.what.startsWith("entity group"));
      return batch >= 0 && a.calls.slice(batch + 1).some((c) => c.what.startsWith("point read tenant rel"));
    };
    if (over.some(reRead))
      ideas.push(
        "after the transaction, the details card re-reads the relationship that was just written (`detailsOrList`); the handler already holds its new value, so that read can go",
      );
    notes.push(
      `**Round trips over target (warm):** ${details}. Every decision itself is one entity group transaction; the extra requests are reads around it. ` +
        (ideas.length > 0 ? `What would close it: ${ideas.join("; ")}. ` : "") +
        `Cold first turns add 3 more (role lookup, conversation reference read and write; see the cold table).`,
    );
  }
  if (search && missed.has("build")) {
    notes.push(
      `**Index build ${(search.buildMs / 1000).toFixed(2)} s > 5 s for ${num(search.partners)} partners** (a reload in the same process: ${(search.rebuildMs / 1000).toFixed(2)} s). The build is MiniSearch tokenizing, folding and inserting four text fields of every partner into its radix tree (${mb(search.memory.indexed.heapUsed - search.memory.generated.heapUsed)} of heap for the index). ` +
        `The bot builds the index before it listens, so this is startup time, and \`DirectoryService.reload\` keeps serving the old index while a new one builds. ` +
        `What would close it: index fewer fields or only distinct service, industry and type phrases (they repeat across partners) with the per-partner name index separate; build in a worker thread; or keep a serialized index next to the directory (MiniSearch.loadJSON) so that a restart loads it instead of re-tokenizing (to be measured). The design note sizes the directory at "a few thousand partners at most": at that size the build takes milliseconds.`,
    );
  }
  if (search && missed.has("query")) {
    const slow = [...search.perQuery].sort((a, b) => b.summary.p99 - a.summary.p99).slice(0, 3);
    notes.push(
      `**Search p99 ${ms(search.overall.p99, 1)} > 10 ms over ${num(search.partners)} partners** (p50 ${ms(search.overall.p50, 1)}). The slowest queries match a large part of the directory: ${slow.map((q) => `${q.label} (${num(q.total)} matches, p99 ${ms(q.summary.p99, 0)})`).join(", ")}. ` +
        `\`PartnerSearch.search\` scores every match with fuzzy and prefix expansion, runs the location and size filter as a per-result callback, maps every hit and sorts all of them to return one page of 10; a query without keywords filters and copies the whole sorted list. ` +
        `What would close it: keep the top page with a bounded heap instead of sorting every hit; precompute partner-id sets per country, city and size and intersect them before scoring; turn off fuzzy matching for terms that match exactly and for very common terms; cache the total for paging. For a directory of this size a search service (e.g. Azure AI Search) is the usual answer; at the design's "few thousand partners" the same code answers within a few milliseconds.`,
    );
  }
  if (fanout && missed.has("fanoutRatio")) {
    const rate = fanout.delivered / (fanout.completionMs / 1000);
    const allowed = fanout.options.notifications / (fanout.minimumMs / 1000);
    const retried = Object.entries(fanout.counts.attempts).reduce((sum, [k, v]) => sum + (Number(k) > 0 ? v : 0), 0);
    const azuriteUse = ((fanout.cpu.azurite ?? 0) * rate) / 1000;
    const dispatcherUse = ((fanout.cpu.dispatcher ?? 0) * rate) / 1000;
    const reasons: string[] = [];
    const requests = fanout.storage
      ? `${fanout.storage.perNotification.toFixed(1)} storage requests (${Object.entries(fanout.storage.byKind)
          .filter(([, n]) => n / Math.max(1, fanout.delivered) >= 0.005)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([kind, n]) => `${kind}: ${(n / Math.max(1, fanout.delivered)).toFixed(2)}`)
          .join("; ")})`
      : "its storage requests";
    const costs =
      `A notification costs ${requests} and one request to the channel; ` +
      `per notification the dispatcher used ${fanout.cpu.dispatcher?.toFixed(1) ?? "?"} ms of CPU (${use(fanout.cpu.dispatcher, rate)} of a core) and Azurite, a single Node process, ${fanout.cpu.azurite?.toFixed(1) ?? "?"} ms (${use(fanout.cpu.azurite, rate)} of a core). ` +
      `Azurite's part would not be on the dispatcher's machine in production, and here it grows with the table: it keeps the ${num(fanout.options.notifications)} outbox rows in one in-memory table (LokiJS), finds the row of every write by comparing the RowKey of each row of its partition (${num(fanout.options.notifications / fanout.options.customers)} here; only the first of its two indexes is used), and in a CPU profile its time per write grew over the run as rows were rewritten`;
    const saturated = Math.max(azuriteUse, dispatcherUse) >= 0.8;
    if (saturated) {
      reasons.push(
        `one dispatcher delivered ${num(rate)} notifications/s where the limits allow about ${num(allowed)}/s, and ${azuriteUse >= dispatcherUse ? "Azurite" : "the dispatcher"} was saturated. ${costs}`,
      );
    } else if ((fanout.cpu.machineBusy ?? 0) >= 0.85) {
      reasons.push(
        `one dispatcher delivered ${num(rate)} notifications/s where the limits allow about ${num(allowed)}/s, on a machine ${pct(fanout.cpu.machineBusy)} busy (${pct(fanout.cpu.outsideBusy)} by other processes). ${costs}`,
      );
    } else {
      reasons.push(
        `one dispatcher delivered ${num(rate)} notifications/s where the limits allow about ${num(allowed)}/s, with no process saturated: each of its ${fanout.concurrency} workers handles one notification at a time, through its storage requests one after the other and the send, about ${num((fanout.concurrency / rate) * 1000)} ms per notification. ${costs}`,
      );
    }
    const scaleNote =
      fanout.options.scale === 1
        ? "(The limits were not scaled up for a shorter run: the dispatcher does not fill even Teams' own limits here, so higher limits would only make the ratio worse.) "
        : "";
    if (retried > 0) {
      reasons.push(
        `${num(retried)} notifications (${((retried / fanout.options.notifications) * 100).toFixed(0)}%) needed a retry, ${num(fanout.randomThrottled)} times for the random 429s and ${num(fanout.violations)} times because a send arrived over a limit. Each retry takes a slot of its tenant's window and waits for Retry-After (${fanout.options.retryAfterSeconds} s; the pass takes it up again as soon as it is due), so the last ones add up to that to the end of the run`,
      );
    }
    notes.push(
      `**Fan-out ratio ${fanout.ratio.toFixed(2)} > 1.15** (${(fanout.completionMs / 1000).toFixed(1)} s against a minimum of ${(fanout.minimumMs / 1000).toFixed(1)} s; ${fanout.ratioWithRetries.toFixed(2)} against the minimum that counts the attempts the random 429s forced). Why: ${reasons.join("; and ")}. ${scaleNote}` +
        `What would close it: storage that is not on the same 2 cores (Azure Table Storage; this benchmark allows loopback only); ` +
        (fanout.violations > 0 ? "no over-limit sends (next item); " : "") +
        `a smaller guard band: every window the dispatcher fills is longer by NOTIFY_GUARD_MS (${fanout.dispatcherLimits.perTenant.map((w, i) => `${w.perMs - (fanout.limits.perTenant[i]?.perMs ?? w.perMs)} ms`).join(", ")} per tenant window here), and since the limiter counts a send answered later than the band from its answer, the band only spaces sends that are answered within it.`,
    );
  }
  if (fanout && missed.has("fanoutExact")) {
    notes.push(
      `**Fan-out exactness: lost ${fanout.lost}, duplicated ${fanout.duplicated}, over a limit ${fanout.violations}, dead ${fanout.counts.dead}.** ` +
        (fanout.violations > 0
          ? `The limiter counts a send from when it let it through or, when its request was answered later than the guard band (NOTIFY_GUARD_MS), from the answer minus the band; a request reaches the channel between the two, so only a request still unanswered a whole window after it left can put a later send over a limit. Counted against windows 1, 5 and 20 ms shorter, ${fanout.violationsWithin["1 ms"]}, ${fanout.violationsWithin["5 ms"]} and ${fanout.violationsWithin["20 ms"]} of them would still be over. Teams counts at its end too, so these would be real 429s. ` +
            `What would close it: find the requests that took that long (the dispatcher's process stalled, or the channel's).` +
            guardEvidence(results) +
            " "
          : "") +
        (fanout.lost > 0
          ? `Lost notifications: the run ${fanout.complete ? "completed" : `stopped at its deadline with ${fanout.lost} undelivered`}. `
          : ""),
    );
  }
  // Not a miss, but worth knowing: a met "over a limit = 0" may only mean the dispatcher never filled a window.
  const exactGuard = results.sections.guard?.find((r) => !r.options.guardMs);
  if (fanout && !missed.has("fanoutExact") && exactGuard && exactGuard.violations > 0) {
    notes.push(
      `**Caveat on "over a limit: 0".** In section 4 the dispatcher was slower than the limits, so the per-tenant windows rarely filled. When a window does bind (4b: one tenant), the dispatcher with exact windows sent ${exactGuard.violations} requests over a limit: the limiter reserves sends exactly at the window edges and the few milliseconds from its grant to the request reaching the channel vary, so some arrive just inside the previous window.` +
        guardEvidence(results) +
        " What would close it: the default guard band (NOTIFY_GUARD_MS), and the limiter counting a send answered later than the band from its answer.",
    );
  }
  if (missed.has("memory") && turns) {
    const g = growth(turns.desk.loads.map((l) => l.memory));
    const first = turns.desk.loads[0]!.memory;
    const last = turns.desk.loads.at(-1)!.memory;
    const external = last.external - first.external;
    notes.push(
      `**Memory grew beyond the noise band** (RSS ${g.rssSeries} MB, heap after GC ${g.heapSeries} MB, external ${signedMb(external)} over three identical loads). ` +
        (g.heapOk && Math.abs(external) < 2 * 1048576
          ? "The heap after a full GC and the external buffers stayed flat, so no objects were retained: the RSS growth is memory the allocator keeps after peaks. A run with more loads would show whether RSS levels off; if it does not, compare heap snapshots and native allocations."
          : "Take heap snapshots after load 1 and load 3 of the bot (`node --heapsnapshot-signal`) and compare retained sizes by constructor."),
    );
  }
  if (missed.has("runtime"))
    notes.push(
      `**The run took ${(results.totalSeconds / 60).toFixed(1)} min.** The fan-out and the search passes are the long parts; their sizes are in bench/run.ts.`,
    );
  for (const [name, error] of Object.entries(results.errors)) notes.push(`**${name} failed:** \`${error.split("\n")[0]}\``);
  return notes;
}

export function renderReport(results: Results, options: Options): string {
  const m = results.machine;
  const targets = targetsOf(results);
  const lines: string[] = [];
  lines.push(`# Partner Desk benchmark results${results.quick ? " (quick smoke run: small sizes, not the targets' conditions)" : ""}`);
  lines.push("");
  lines.push(
    `Measured on ${m.date.slice(0, 19).replace("T", " ")} UTC by \`npm run bench\`${results.quick ? " with BENCH_QUICK=1" : ""} (bench/run.ts) in ${(results.totalSeconds / 60).toFixed(1)} minutes.`,
  );
  lines.push("");
  lines.push(
    table(
      ["machine", ""],
      [
        ["CPU", `${m.cpuModel}, ${m.cores} cores (os.cpus())`],
        ["memory", `${m.memoryGb} GB`],
        ["OS", m.os],
        ["Node.js", m.node],
        ["commit", m.commit ?? "n/a"],
        ["load average at start", m.loadAverage.join(" ")],
        ["CPU busy outside the benchmark, 3 s before it started", pct(m.busyBefore)],
      ],
    ),
  );
  lines.push("");
  lines.push("Commands:");
  lines.push("");
  lines.push("```bash");
  lines.push("npm ci");
  lines.push("npm run bench                  # everything, 4-5 minutes on this machine; writes bench/RESULTS.md and bench/results.json");
  lines.push("BENCH_QUICK=1 npm run bench    # smoke run, 1-2 minutes; writes bench/RESULTS.quick.md");
  lines.push("BENCH_ONLY=turns,roundtrips npm run bench   # some sections (turns, roundtrips, search, fanout)");
  lines.push("BENCH_CPU_PROF=/tmp/prof npm run bench      # also write a V8 CPU profile of every server process");
  lines.push("```");
  lines.push("");
  const t = options.turns;
  const f = options.fanout;
  lines.push(
    `Sizes in this run (bench/run.ts; BENCH_CONVERSATIONS, BENCH_TURNS_MODE and BENCH_FANOUT_SCALE change some): turns ${t.conversations} conversations (${t.mode === "tenants" ? "one tenant each" : "the demo tenant"}), ${t.loads} loads of ${t.rounds} rounds after ${t.warmupRounds} warm-up round, then ${t.pacedRounds} paced rounds; ` +
      `search ${num(options.search.partners)} partners, at least ${options.search.minPasses} passes over the queries; fan-out ${num(f.notifications)} notifications to ${num(f.conversations)} conversations in ${f.tenants} tenants, limits ×${f.scale}, ${(f.throttledShare * 100).toFixed(0)}% throttled; guard-band experiment ${num(options.guard.notifications)} notifications in ${options.guard.tenants} tenant, +${options.guard.guardMs ?? 0} ms.`,
  );
  lines.push("");
  lines.push(
    "Everything runs on this machine over loopback: one Azurite (in memory), the bot and the echo bot as separate Node processes, the load generator and the channel emulators in the benchmark process. Section timings: " +
      Object.entries(results.seconds)
        .filter(([, s]) => s > 0)
        .map(([k, s]) => `${k} ${s.toFixed(0)} s`)
        .join(", ") +
      ".",
  );
  lines.push("");
  lines.push("## Targets");
  lines.push("");
  lines.push(
    table(
      ["", "target", "measured", "met"],
      targets.map((t) => [t.name, t.target, t.measured, t.met === undefined ? "n/a (not at the target's size)" : t.met ? "yes" : "**no**"]),
    ),
  );
  lines.push("");
  if (results.sections.turns) lines.push(turnsSection(results.sections.turns), "");
  if (results.sections.trips) lines.push(tripsSection(results.sections.trips), "");
  if (results.sections.search) lines.push(searchSection(results.sections.search), "");
  if (results.sections.fanout) lines.push(fanoutSection(results.sections.fanout), "");
  if (results.sections.guard?.length) lines.push(guardSection(results.sections.guard, results.sections.fanout), "");
  lines.push(memorySection(results), "");
  const notes = closingNotes(results, targets);
  lines.push("## Closing note");
  lines.push("");
  if (notes.length === 0) lines.push("Every target was met in this run.");
  else {
    const missedCount = targets.filter((t) => t.met === false).length;
    lines.push(
      `${targets.filter((t) => t.met).length} of ${targets.length} targets met, ${missedCount} missed. For each miss: why, and what would close it.`,
    );
    lines.push("");
    for (const note of notes) lines.push(`- ${note}`, "");
  }
  const busy = [
    results.machine.busyBefore,
    ...(results.sections.turns?.desk.loads.map((l) => l.cpu.outsideBusy) ?? []),
    results.sections.fanout?.cpu.outsideBusy,
  ].filter((x): x is number => x !== undefined);
  if (busy.some((x) => x > 0.1)) {
    lines.push(
      `Note: other processes on this machine used up to ${pct(Math.max(...busy))} of its CPU during parts of this run (column "busy outside the benchmark"); figures from a quiet machine would be better.`,
    );
    lines.push("");
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
