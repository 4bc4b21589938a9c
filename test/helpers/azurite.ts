import { randomBytes } from "node:crypto";
import { startAzurite, type RunningAzurite } from "../../src/storage/azurite.js";
import { createTableClients, ensureTables, type TableClients } from "../../src/storage/tables.js";

let running: Promise<RunningAzurite> | undefined;

/** One in-memory Azurite for the whole test run, started on first use on a free port. */
export function sharedAzurite(): Promise<RunningAzurite> {
  running ??= startAzurite({ port: 0 });
  return running;
}

export async function stopSharedAzurite(): Promise<void> {
  if (!running) return;
  const starting = running;
  running = undefined;
  const azurite = await starting.catch(() => undefined); // a start that failed has already been reported by its test
  await azurite?.stop();
}

/** A fresh set of tables (unique prefix) so suites never see each other's rows. */
export async function freshTables(): Promise<{ tables: TableClients; prefix: string; connectionString: string }> {
  const azurite = await sharedAzurite();
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const tables = createTableClients({ kind: "connectionString", connectionString: azurite.connectionString }, prefix);
  await ensureTables(tables);
  return { tables, prefix, connectionString: azurite.connectionString };
}
