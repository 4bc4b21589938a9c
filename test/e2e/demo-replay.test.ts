import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO } from "../../src/demo/constants.js";
import { VERBS } from "../../src/features/verbs.js";
import { freePort } from "../../src/storage/azurite.js";
import { actionsOf, cardOf, ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, emulatorDriver, inputDefaults } from "../helpers/journey.js";

/*
 * Finding 4 as a tester meets it: `npm start`, the invitation accepted in the Emulator, Ctrl-C, `npm start` again on
 * the same data. The banner must say what is really there, and there must be an invitation to accept again.
 */

function startBot(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: process.cwd(),
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return { child, output: () => output };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stopped = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.kill("SIGINT");
  });

/** The data a card's button sends for `verb` (the Emulator's Action.Submit). */
function submitData(card: any, verb: string): Record<string, unknown> {
  const action = actionsOf(card).find((a) => a.data?.verb === verb);
  if (!action) throw new Error(`no ${verb} button on ${JSON.stringify(card).slice(0, 300)}`);
  const { verb: _verb, ...data } = action.data;
  return data;
}

describe("end to end: the local demo can be replayed after a restart", function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), "partner-desk-replay-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  async function session(run: (url: string, banner: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const { child, output } = startBot({
      PORT: String(port),
      LOCAL_TABLES_PORT: "0",
      MICROSOFT_SIMULATION_PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NOTIFY_ENABLED: "false",
    });
    try {
      const [, url] = await waitForOutput(output, /Bot Framework Emulator: open (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/, 60_000);
      await waitForOutput(output, /Ctrl-C stops/, 10_000);
      await run(url!, output());
      expect(await stopped(child)).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }

  /** Types "accept" as the demo admin in the Emulator: the invitation card it opens. */
  async function typeAccept(url: string): Promise<any> {
    const channel = await new ChannelEmulator(url, { channelId: "emulator" }).start();
    try {
      await channel.post({ type: "message", text: "accept", from: { id: "tester", name: "Demo Admin" } });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      return cardOf(reply!.activity);
    } finally {
      await channel.stop();
    }
  }

  it("accept, restart, and the banner and the bot both offer one fresh invitation", async () => {
    await session(async (url, banner) => {
      expect(banner).to.include("The demo tenant has 1 pending invitation and 1 active relationship.");
      const invitation = await typeAccept(url);
      const review = submitData(invitation, VERBS.invitations.review);
      expect(review).to.deep.equal({ invitationId: DEMO.invitationId });
      const channel = await new ChannelEmulator(url, { channelId: "emulator" }).start();
      try {
        const driver = emulatorDriver(channel, { id: "tester", name: "Demo Admin" });
        const consent = await driver.press(VERBS.invitations.review, review);
        const accepted = await driver.press(VERBS.invitations.accept, {
          ...submitData(consent.card, VERBS.invitations.accept),
          ...inputDefaults(consent.card),
          agreed: "true",
          ...ACCEPTING_CONTACT,
        });
        expect(accepted.text).to.include("You accepted Contoso Cloud Partners");
      } finally {
        await channel.stop();
      }
    });

    await session(async (url, banner) => {
      expect(banner).to.include("The demo tenant has 1 pending invitation and 2 active relationships.");
      const invitation = await typeAccept(url);
      const review = submitData(invitation, VERBS.invitations.review);
      expect(review["invitationId"]).to.be.a("string").and.not.equal(DEMO.invitationId, "a fresh invitation, not the decided one");
      expect(JSON.stringify(invitation)).to.include("Contoso Cloud Partners");
    });
  });
});
