import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { freePort } from "../../src/storage/azurite.js";
import { cardOf, ChannelEmulator, textOf } from "../helpers/channelEmulator.js";

const root = process.cwd();

/** Runs `npm start` as a user would (tsx src/index.ts), with a clean environment of our choosing. */
function startBot(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { child, output: () => output };
}

const exitOf = (child: ChildProcessWithoutNullStreams) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null) resolve({ code: child.exitCode, signal: null });
    else child.once("exit", (code, signal) => resolve({ code, signal }));
  });

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("end to end: starting the bot", function () {
  this.timeout(90_000);

  it("refuses to start on 0.0.0.0 without an app id, and says why", async () => {
    const { child, output } = startBot({ HOST: "0.0.0.0" });
    const { code } = await exitOf(child);
    expect(code).to.equal(1);
    expect(output()).to.include("HOST=0.0.0.0");
    expect(output()).to.include("MicrosoftAppId is not set");
    expect(output()).to.not.match(/\n\s+at /, "a configuration problem is a message, not a stack trace");
  });

  it("starts with nothing configured: embedded Azurite, demo seeded, menu card for 'help', clean stop on SIGINT", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "partner-desk-"));
    const port = await freePort();
    const { child, output } = startBot({
      PORT: String(port),
      LOCAL_TABLES_PORT: "0",
      MICROSOFT_SIMULATION_PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
    });
    try {
      const [, url] = await waitForOutput(output, /Bot Framework Emulator: open (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/, 60_000);
      expect(output()).to.match(/Seeded \d{3} directory partners/);
      expect(output()).to.include(`Emulator user id "demo-partner"`);

      const health = await fetch(`${url}/healthz`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({
        status: "ok",
        storage: "ok",
        outbox: { pending: 0, waiting: 0, dead: 0, oldestPendingSeconds: null },
      });

      const channel = await new ChannelEmulator(url!, { channelId: "emulator" }).start();
      try {
        await channel.post({ type: "message", text: "help" });
        const [reply] = await channel.waitFor((r) => r.kind === "reply");
        expect(textOf(cardOf(reply!.activity))).to.include("What would you like to do?");
      } finally {
        await channel.stop();
      }

      child.kill("SIGINT");
      const { code } = await exitOf(child);
      expect(code).to.equal(0);
      // Azurite (a child of the bot) is gone too: its port is free again.
      const azuritePort = Number(/embedded Azurite on 127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
      expect(azuritePort).to.be.greaterThan(0);
      const stillThere = await fetch(`http://127.0.0.1:${azuritePort}/`).then(
        () => true,
        () => false,
      );
      expect(stillThere).to.equal(false);
      // So is the simulated Partner Center the demo ran.
      const simulator = /simulated Partner Center at (http:\/\/127\.0\.0\.1:\d+\/admin-center)/.exec(output())?.[1];
      expect(simulator).to.be.a("string");
      const simulatorStillThere = await fetch(simulator!).then(
        () => true,
        () => false,
      );
      expect(simulatorStillThere).to.equal(false);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("reports on /healthz when storage stops answering", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "partner-desk-"));
    const config = loadConfig({
      PORT: "0",
      LOCAL_TABLES_PORT: "0",
      MICROSOFT_SIMULATION_PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    });
    const app = await startApp(config, { logger: pino({ level: "silent" }) });
    try {
      expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
      await app.azurite!.stop();
      const down = await fetch(`${app.url}/healthz`);
      expect(down.status).to.equal(503);
      expect(await down.json()).to.deep.equal({ status: "unavailable", storage: "unreachable" });
    } finally {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
