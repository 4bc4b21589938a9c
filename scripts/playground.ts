/**
 * npm run playground: Partner Desk's local demo in Microsoft 365 Agents Playground, Microsoft's local client for
 * Teams bots. Starts the bot exactly as `npm start` does (embedded Azurite, the demo, the simulated Partner
 * Center), then the Playground pointed at it on the Teams channel, with `.m365agentsplayground.yml` (the demo's
 * tenant and people: Demo Admin is the current user). Ctrl-C stops both; when either stops, so does the other.
 *
 * Settings: everything `npm start` reads (.env, PORT...), and PLAYGROUND_PORT for the Playground's own port
 * (its default, 56150, otherwise). TEAMSAPPTESTER_BROWSER=none keeps the Playground from opening a browser.
 * Arguments after `--` go to the Playground (`npm run playground -- --disable-telemetry`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

const BOT_URL = /Bot Framework Emulator: open (http:\/\/\S+)\/api\/messages/;
const playgroundCli = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");

function main(): void {
  // Own process groups: Ctrl-C reaches each child once, from here, so the bot stops Azurite and the simulation cleanly.
  const bot = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  const children: ChildProcess[] = [bot];
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const exited = (child: ChildProcess) =>
    new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 0)).once("error", () => resolve(1)));
  const all: Array<Promise<number>> = [exited(bot)];

  let printed = "";
  bot.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (children.length > 1) return;
    printed += chunk.toString();
    const url = BOT_URL.exec(printed)?.[1];
    if (!url) return;
    const port = process.env["PLAYGROUND_PORT"];
    const playground = spawn(
      process.execPath,
      [playgroundCli, "start", "-e", `${url}/api/messages`, "-c", "msteams", ...(port ? ["-p", port] : []), ...process.argv.slice(2)],
      { stdio: "inherit", detached: true },
    );
    children.push(playground);
    all.push(exited(playground));
    console.log(`Microsoft 365 Agents Playground: talking to ${url}/api/messages as Demo Admin (.m365agentsplayground.yml)`);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stopAll(signal));
  // Whichever stops first (the bot failed to start, the Playground was closed) takes the other with it.
  void Promise.race(all).then(() => stopAll("SIGINT"));
  void (async () => {
    let code = 0;
    for (let i = 0; i < all.length; i++) code ||= await all[i]!;
    process.exit(code);
  })();
}

main();
