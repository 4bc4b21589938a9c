import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { resolve } from "node:path";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = "devstoreaccount1";
export const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** 0 picks a free port. */
  port: number;
  /** Where data is kept; omitted means in memory only (tests). */
  dataDir?: string;
  host?: string;
  /** Extra arguments for Azurite's Node.js (the benchmark's --cpu-prof, to see where the storage stand-in's time goes). */
  nodeArgs?: readonly string[];
}

export interface RunningAzurite {
  readonly port: number;
  readonly connectionString: string;
  stop(): Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

export const connectionStringFor = (host: string, port: number): string =>
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://${host}:${port}/${DEV_ACCOUNT};`;

/**
 * Starts Azurite's table service (the real Table protocol) in a child process on loopback, so it never
 * competes with the bot's event loop, and resolves once it listens. Telemetry is off: this machine may
 * have no network and a local tool has no business phoning home. The access log is off too (`--silent`): nobody
 * reads it (its output is drained and dropped), and writing a line per request cost Azurite about a fifth of its
 * CPU per request on the bot's own cores.
 */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port === 0 ? await freePort(host) : options.port;
  const entry = createRequire(import.meta.url).resolve("azurite/dist/src/table/main.js");
  const args = ["--tableHost", host, "--tablePort", String(port), "--disableTelemetry", "--skipApiVersionCheck", "--silent"];
  if (options.dataDir) {
    const location = resolve(options.dataDir, "azurite");
    mkdirSync(location, { recursive: true });
    args.push("--location", location);
  } else {
    args.push("--inMemoryPersistence");
  }
  // cwd in the temp folder: Azurite drops bookkeeping files into its working directory. Plain node, without the
  // parent's execArgv: the parent may run under a TypeScript loader that Azurite neither needs nor can resolve.
  // No IPC channel: an open one keeps Azurite alive after it has closed its server on SIGINT.
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd: tmpdir(),
  });
  await waitUntilListening(child, host, port);
  return {
    port,
    connectionString: connectionStringFor(host, port),
    stop: () => stopChild(child),
  };
}

function waitUntilListening(child: ChildProcess, host: string, port: number): Promise<void> {
  return new Promise((resolveStart, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`Azurite did not start on ${host}:${port} within 30 s:\n${output}`)), 30_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes("successfully started")) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolveStart();
      } else if (/EADDRINUSE|address already in use/i.test(output)) {
        fail(
          new Error(
            `Azurite could not listen on ${host}:${port}: the port is in use. Set LOCAL_TABLES_PORT to a free port (or 0 to pick one).`,
          ),
        );
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => fail(new Error(`Azurite exited (code ${code}) before it started:\n${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolveStop();
    });
    // Azurite closes its server (and flushes its data file) on SIGINT.
    child.kill("SIGINT");
  });
}
