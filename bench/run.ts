/**
 * Benchmarks (npm run bench): latency of the bot's hot paths through the real HTTP endpoint, on a real
 * Azurite, plus card rendering and the Tables-backed bot storage. Loopback only; bounded loops.
 * Results go to stdout and bench/results.json so a change can be compared with the last run.
 */
import { writeFileSync } from "node:fs";
import { pino } from "pino";
import { startApp } from "../src/app.js";
import { renderCard, TEMPLATES, type TemplateName } from "../src/cards/render.js";
import { stringsFor } from "../src/cards/strings.js";
import { loadConfig } from "../src/config.js";
import { DEMO } from "../src/demo/constants.js";
import { startAzurite } from "../src/storage/azurite.js";
import { createTableClients, ensureTables } from "../src/storage/tables.js";
import { TableBotStorage } from "../src/storage/tableBotStorage.js";
import { teamsCardAction } from "../test/helpers/activities.js";
import { cardSamples } from "../test/helpers/cardSamples.js";
import { ChannelEmulator } from "../test/helpers/channelEmulator.js";

const ITERATIONS = Number(process.env["BENCH_ITERATIONS"] ?? 300);

interface Stat {
  name: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  unit: "ms";
}

function stat(name: string, samples: number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
  return { name, n: samples.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), unit: "ms" };
}

async function time(n: number, once: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < Math.min(20, n); i++) await once(i); // warm-up: JIT, sockets, table caches
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await once(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const results: Stat[] = [];
  const azurite = await startAzurite({ port: 0 });
  const config = loadConfig({ PORT: "0", TABLES_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: "bench", LOG_LEVEL: "silent" });
  const app = await startApp(config, { logger: pino({ level: "silent" }), seedDemo: true });
  const teams = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  const emulator = await new ChannelEmulator(app.url, { channelId: "emulator" }).start();
  try {
    const invoke = teamsCardAction("partnerTypes.show");
    results.push(
      stat("Teams invoke adaptiveCard/action -> card in the invoke response (HTTP round trip)", await time(ITERATIONS, async () => {
        const r = await teams.post(invoke);
        if (r.body?.statusCode !== 200) throw new Error(`unexpected invoke answer ${JSON.stringify(r.body).slice(0, 200)}`);
      })),
    );
    // The admin journey's read paths through the real endpoint: the admin's roles come from the table
    // (cached after the first turn), invitations and relationships from the tenant's partition.
    const journeyInvoke = (verb: string, data: Record<string, unknown>) => ({
      ...teamsCardAction(verb, data),
      from: { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId },
      conversation: { id: "a:bench", conversationType: "personal", tenantId: DEMO.customerTenantId },
      channelData: { tenant: { id: DEMO.customerTenantId } },
    });
    const journeyReads: Array<[string, string, Record<string, unknown>]> = [
      ["invoke invitations.show (invitation + agreement, plain-language roles)", "invitations.show", { invitationId: DEMO.invitationId }],
      ["invoke partners.list (every relationship of the tenant)", "partners.list", {}],
      ["invoke partners.show (relationship + audit history)", "partners.show", { partnerId: DEMO.activePartnerId }],
      ["invoke findPartner.search (MiniSearch over 322 partners, a page of 10)", "findPartner.search", { location: "Sweden", size: "any", keywords: "security migration", page: 0 }],
    ];
    for (const [label, verb, data] of journeyReads) {
      results.push(
        stat(label, await time(ITERATIONS, async () => {
          const r = await teams.post(journeyInvoke(verb, data));
          if (r.body?.statusCode !== 200 || JSON.stringify(r.body).includes("That didn't work")) throw new Error(`unexpected answer to ${verb}: ${JSON.stringify(r.body).slice(0, 300)}`);
        })),
      );
    }
    results.push(
      stat("Emulator message 'help' -> menu card delivered to the channel (POST + reply)", await time(ITERATIONS, async (i) => {
        emulator.clear();
        await emulator.post({ type: "message", text: "help", id: `m-${i}` });
        await emulator.waitFor((r) => r.kind === "reply");
      })),
    );
    const health = await time(ITERATIONS, async () => {
      const r = await fetch(`${app.url}/healthz`);
      await r.arrayBuffer();
    });
    results.push(stat("GET /healthz (one storage query)", health));

    const strings = stringsFor("en");
    const samples = cardSamples(strings);
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      results.push(stat(`render card '${name}' (templating + Action.Submit rewrite)`, await time(ITERATIONS * 3, () => renderCard(name, samples[name][0] as never, { strings, actionStyle: "submit" }))));
    }

    const tables = createTableClients({ kind: "connectionString", connectionString: azurite.connectionString }, "benchstate");
    await ensureTables(tables);
    const storage = new TableBotStorage(tables.client("botState"));
    const doc = { conversation: { step: 3, filters: { country: "SE", size: "51-250", keywords: "security migration" }, page: 2 } };
    results.push(stat("TableBotStorage write (upsert) one item", await time(ITERATIONS, (i) => storage.write({ [`k${i % 50}`]: doc }))));
    results.push(stat("TableBotStorage read one item", await time(ITERATIONS, (i) => storage.read([`k${i % 50}`]))));
  } finally {
    await teams.stop();
    await emulator.stop();
    await app.stop();
    await azurite.stop();
  }

  const run = { at: new Date().toISOString(), node: process.version, iterations: ITERATIONS, results };
  writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(run, null, 2)}\n`);
  console.log(`\nPartner Desk benchmarks (${ITERATIONS} iterations, node ${process.version}; milliseconds)\n`);
  console.log(["p50".padStart(8), "p95".padStart(8), "p99".padStart(8), "max".padStart(8), "  what"].join(""));
  for (const r of results) console.log([r.p50, r.p95, r.p99, r.max].map((v) => v.toFixed(2).padStart(8)).join("") + `  ${r.name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
