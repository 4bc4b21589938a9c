/**
 * Operators' view of the outbox (npm run outbox -- <command>):
 *   status              pending and dead-lettered counts, the oldest pending notification's age
 *   dead                lists dead-lettered notifications with their last error
 *   requeue <id>|--all  puts dead-lettered notifications back in the queue (attempts reset, audited)
 * Uses the same settings as the bot (.env is read); in local mode it goes through the running bot's Azurite.
 */
import { randomUUID } from "node:crypto";
import { outboxStatus } from "../src/outbox/outboxStatus.js";
import { requeueDeadLetter } from "../src/storage/outboxStore.js";
import { loadScriptConfig, openStorageForScript } from "./openStorage.js";

const usage = "usage: npm run outbox -- status | dead | requeue <notification id> | requeue --all";

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  if (!command || !["status", "dead", "requeue"].includes(command) || (command === "requeue" && !arg)) {
    console.error(usage);
    return 2;
  }
  const config = loadScriptConfig();
  if (!config) return 2;
  const opened = await openStorageForScript(config);
  try {
    const repos = opened.storage;
    if (command === "status") {
      console.log(JSON.stringify(await outboxStatus(repos.outboxShards, config.notifications.shards.count, new Date()), null, 2));
      return 0;
    }
    // The dead-letter index names them; each is read from its tenant's partition (no scan).
    const dead = (await Promise.all((await repos.outboxShards.dead()).map((e) => repos.outbox.get(e.tenantId, e.id)))).filter(
      (row) => row?.value.status === "dead",
    ) as Array<NonNullable<Awaited<ReturnType<typeof repos.outbox.get>>>>;
    if (command === "dead") {
      if (dead.length === 0) console.log("No dead-lettered notifications.");
      for (const { value: n } of dead)
        console.log(`${n.id}  ${n.type}  tenant ${n.tenantId}  created ${n.createdAt}  attempts ${n.attempts}  ${n.lastError ?? ""}`);
      return 0;
    }
    const chosen = arg === "--all" ? dead : dead.filter((d) => d.value.id === arg);
    if (chosen.length === 0) {
      console.error(arg === "--all" ? "No dead-lettered notifications to requeue." : `No dead-lettered notification with id ${arg}.`);
      return 1;
    }
    const now = new Date().toISOString();
    for (const row of chosen) {
      // Back in the queue with a fresh retry budget, audited; who was already served stays served.
      if (await requeueDeadLetter(repos, row, now, randomUUID(), config.notifications.shards.count))
        console.log(`requeued ${row.value.id}`);
      else console.error(`${row.value.id} changed meanwhile (another requeue?); left as it is`);
    }
    return 0;
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The outbox command failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
