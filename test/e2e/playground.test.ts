import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO } from "../../src/demo/constants.js";
import { VERBS } from "../../src/features/verbs.js";
import { playgroundConfig } from "../helpers/playground.js";

/*
 * `npm run playground` as a tester runs it: the bot on the embedded default and Microsoft 365 Agents Playground
 * pointed at it, with the committed `.m365agentsplayground.yml`. A message goes in through the Playground's own
 * HTTP API (what its web page calls), the Playground turns it into a Teams activity from its current user, and the
 * bot's answer is read back from the Playground's log file. Then a card button is pressed the same way.
 */

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("end to end: npm run playground (Microsoft 365 Agents Playground on the demo)", function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "partner-desk-playground-"));
  const logFile = join(dir, "playground.log");
  const config = playgroundConfig();
  const chat = config.personalChat.id as string;
  let child: ChildProcessWithoutNullStreams;
  let output = "";
  let playground = "";

  before(async () => {
    child = spawn(process.execPath, ["--import", "tsx", "scripts/playground.ts", "--disable-telemetry"], {
      cwd: process.cwd(),
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        PORT: "0",
        LOCAL_TABLES_PORT: "0",
        MICROSOFT_SIMULATION_PORT: "0",
        LOCAL_DATA_DIR: join(dir, "data"),
        LOG_LEVEL: "warn",
        PLAYGROUND_PORT: "0",
        TEAMSAPPTESTER_BROWSER: "none",
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      },
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const port = await until("the Playground to listen", () => /Listening on (\d+)/.exec(output)?.[1]);
    playground = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** The messages the bot sent into the Playground's chat so far, as the Playground logged them. */
  const botMessages = (): any[] =>
    (existsSync(logFile) ? readFileSync(logFile, "utf8") : "")
      .split("\n")
      .map((line) => /buffering message: (\{.*\})$/.exec(line)?.[1])
      .filter((json): json is string => json !== undefined)
      .map((json) => JSON.parse(json))
      .filter((m) => m.action === "createMessage" && m.message?.from?.id === config.bot.id);

  it("carries a typed message from the Playground's current user to the bot, who answers Demo Admin with the invitations", async () => {
    const sent = await fetch(`${playground}/_conversation/v1/conversations/${encodeURIComponent(chat)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: { id: config.currentUser.id }, text: "show invitations", textFormat: "plain" }),
    });
    expect(sent.status).to.equal(200);
    const reply = await until("the bot's answer in the Playground", () => botMessages()[0]);
    const card = reply.message.attachments[0].content;
    expect(JSON.stringify(card)).to.include("Contoso Cloud Partners");
    const review = JSON.stringify(card).includes(`"verb":"${VERBS.invitations.show}"`);
    expect(review, "an admin's list, with the invitation to open").to.equal(true);
  });

  it("presses a card button (Action.Execute) through the Playground, and the admin's next step is not refused", async () => {
    const [reply] = botMessages();
    const pressed = await fetch(`${playground}/_conversation/v1/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "adaptiveCard/action",
        value: {
          action: { type: "Action.Execute", verb: VERBS.invitations.review, data: { invitationId: DEMO.invitationId } },
          trigger: "manual",
        },
        from: { id: config.currentUser.id },
        conversation: { id: chat },
        replyToId: reply.message.messageId,
      }),
    });
    const body = JSON.stringify(await pressed.json());
    expect(pressed.status, body).to.equal(200);
    expect(body, "the accept step's card").to.include(`"verb":"${VERBS.invitations.accept}"`);
    expect(body).to.not.include("needs the Global administrator");
  });

  it("stops the bot and the Playground together on Ctrl-C", async () => {
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) =>
      child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve),
    );
    expect(code).to.equal(0);
    const answers = await fetch(`${playground}/_internal/v1/config`).then(
      () => true,
      () => false,
    );
    expect(answers, "the Playground stopped too").to.equal(false);
    expect(output).to.include("Microsoft 365 Agents Playground: talking to");
  });
});
