import { existsSync } from "node:fs";
import { connect } from "node:net";
import { ConfigError, loadConfig, type Config } from "../src/config.js";
import {
  connectionStringFor,
  createTableClients,
  ensureTables,
  openStorage,
  startAzurite,
  type Storage,
  type TableConnection,
} from "../src/storage/index.js";

/**
 * The same settings as `npm start`: a local .env is read if present, variables already set win. A setting that does
 * not parse is reported in one line (undefined comes back: the script exits with a usage error, no stack trace).
 */
export function loadScriptConfig(report: (message: string) => void = console.error): Config | undefined {
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      report(error.message);
      return undefined;
    }
    throw error;
  }
}

/** Storage for an operator script: the configured account, or local mode's data. */
export interface ScriptStorage {
  storage: Storage;
  description: string;
  close(): Promise<void>;
}

/**
 * Local mode keeps its data in one Azurite data folder, and only one Azurite may own it at a time: a
 * second one would not see the bot's writes, and its own would be overwritten when the bot's saves. So
 * if the bot's Azurite is listening, the script goes through it; otherwise one is started just for the script.
 */
export async function openStorageForScript(config: Config): Promise<ScriptStorage> {
  let connection: TableConnection;
  let description: string;
  let close = async () => {};
  if (config.storage.kind === "embedded") {
    const { dataDir, port } = config.storage;
    if (port !== 0 && (await isListening("127.0.0.1", port))) {
      connection = { kind: "connectionString", connectionString: connectionStringFor("127.0.0.1", port) };
      description = `the running bot's local storage (Azurite on 127.0.0.1:${port}, data in ${dataDir}/)`;
    } else {
      const azurite = await startAzurite({ port: 0, dataDir });
      connection = { kind: "connectionString", connectionString: azurite.connectionString };
      description = `the local data in ${dataDir}/ (Azurite started for this script)`;
      close = () => azurite.stop();
    }
  } else {
    connection = config.storage;
    description =
      config.storage.kind === "connectionString"
        ? "the storage account of TABLES_CONNECTION_STRING"
        : `${config.storage.accountUrl} (managed identity)`;
  }
  try {
    const tables = createTableClients(connection, config.tablePrefix);
    await ensureTables(tables);
    return { storage: openStorage(tables), description, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
