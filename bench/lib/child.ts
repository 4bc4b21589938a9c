/**
 * Benchmark processes. Every server under test (the bot, the echo bot, the dispatcher, the search index)
 * runs in its own Node process, so its RSS is its own and the load generator does not share its event loop.
 * The parent talks to a child over the IPC channel: one request, one answer, each with a deadline.
 */
import { fork, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { fileURLToPath } from "node:url";

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** In a child: the current memory figures, after a full GC when the process was started with --expose-gc. */
export function memoryNow(collect = true): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private exited = false;
  private stderr = "";

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    process.on("message", (message: Answer) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      clearTimeout(waiter.timer);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${name}: ${message.error}`));
    });
    process.stderr?.on("data", (data: Buffer) => {
      this.stderr = (this.stderr + data.toString()).slice(-4000);
    });
    process.once("exit", (code, signal) => {
      this.exited = true;
      for (const [, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`${name} exited (code ${code}, signal ${signal}) with requests pending:\n${this.stderr}`));
      }
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /**
   * Starts `entry` (a TypeScript module under bench/) under tsx, with --expose-gc, and waits for its
   * "ready" answer (command "ready", answered once the child has set itself up).
   */
  static async start(name: string, entry: URL, env: Record<string, string> = {}, readyTimeoutMs = 120_000): Promise<Child> {
    const child = fork(fileURLToPath(entry), [], {
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every child (open it in Chrome DevTools) to find where the time goes.
      execArgv: [
        "--import",
        "tsx",
        "--expose-gc",
        ...(process.env["BENCH_CPU_PROF"] ? ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_CPU_PROF"]}`] : []),
      ],
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "pipe", "ipc"],
    });
    const wrapper = new Child(name, child);
    await wrapper.call("ready", {}, readyTimeoutMs);
    return wrapper;
  }

  call<T = unknown>(cmd: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running:\n${this.stderr}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: "${cmd}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve, reject, timer });
      this.process.send({ id, cmd, args } satisfies Request);
    });
  }

  memory(): Promise<Memory> {
    return this.call<Memory>("memory", {});
  }

  /** Ends the child at once, without letting it stop (the scale-out section's crash): SIGKILL by its own pid. */
  kill(): void {
    if (!this.exited) this.process.kill("SIGKILL");
  }

  /** Asks the child to stop; kills it (by its own pid) if it has not exited within the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once("exit", () => resolve()));
    await this.call("stop", {}, graceMs).catch(() => undefined);
    const timer = setTimeout(() => this.process.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export type Handlers = Record<string, (args: any) => unknown>;

/**
 * In a child: a V8 CPU profile of a stretch of work (the inspector's sampling profiler, started and stopped on the
 * parent's command), so a profile covers one measured load rather than the process's whole life as --cpu-prof does.
 */
class Profiler {
  private session?: Session;

  private post<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve, reject) =>
      this.session!.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))),
    );
  }

  async start(intervalUs: number): Promise<void> {
    this.session ??= new Session();
    this.session.connect();
    await this.post("Profiler.enable");
    await this.post("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.post("Profiler.start");
  }

  /** Stops the profile and writes it (a .cpuprofile Chrome DevTools opens) to `path`. */
  async stop(path: string): Promise<string> {
    const { profile } = await this.post<{ profile: unknown }>("Profiler.stop");
    await this.post("Profiler.disable");
    this.session!.disconnect();
    writeFileSync(path, JSON.stringify(profile));
    return path;
  }
}

/**
 * In a child: answers the parent's commands. "ready" runs `setup` first; "memory" and "stop" are built in.
 * The child exits when the parent goes away (a crashed parent leaves nothing behind).
 */
export function serve(setup: () => Promise<Handlers>, stop: () => Promise<void> = async () => undefined): void {
  let handlers: Promise<Handlers> | undefined;
  const profiler = new Profiler();
  const answer = (message: Answer) => process.send?.(message);
  process.on("disconnect", () => {
    void stop().finally(() => process.exit(0));
  });
  process.on("message", (request: Request) => {
    void (async () => {
      try {
        let result: unknown;
        if (request.cmd === "ready") {
          handlers ??= setup();
          await handlers;
          result = { pid: process.pid };
        } else if (request.cmd === "memory") {
          result = memoryNow();
        } else if (request.cmd === "profile.start") {
          await profiler.start((request.args as { intervalUs?: number }).intervalUs ?? 1000);
          result = null;
        } else if (request.cmd === "profile.stop") {
          result = await profiler.stop((request.args as { path: string }).path);
        } else if (request.cmd === "stop") {
          await stop();
          answer({ id: request.id, ok: true, result: null });
          setTimeout(() => process.exit(0), 50).unref();
          return;
        } else {
          const handler = (await (handlers ?? Promise.reject(new Error("not set up: send ready first"))))[request.cmd];
          if (!handler) throw new Error(`unknown command ${request.cmd}`);
          result = await handler(request.args);
        }
        answer({ id: request.id, ok: true, result });
      } catch (error) {
        answer({ id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
}
