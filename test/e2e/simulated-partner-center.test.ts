import { expect } from "chai";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringsFor } from "../../src/cards/strings.js";
import { DEMO } from "../../src/demo/constants.js";
import { invitationIdFor } from "../../src/domain/microsoftSide.js";
import { ROLE } from "../../src/domain/roles.js";
import { freePort } from "../../src/storage/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, buttonData, emulatorDriver, openUrls, type Driver } from "../helpers/journey.js";

/*
 * Issue 10, item 10: `npm start` in local mode runs a simulated Partner Center, and every connected flow can be
 * tried in the Emulator. Through the real bot process, started as `npm start` starts it: the demo partner contact
 * connects with one press, sends an invitation with roles (one GDAP relationship appears in the simulator), the
 * demo admin reviews and accepts in chat and gets the simulated approval link, Approve all on the simulated admin
 * center activates it. Every card from the simulation says so.
 */

const s = stringsFor("en");
const ADMIN = { id: "emulator-admin", name: "Demo Admin" };
const PARTNER_CONTACT = { id: "demo-partner", name: DEMO.partnerContact.name };

function startLikeNpmStart(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; output: () => string } {
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

/** What the simulated admin center lists: each relationship's id and status, from the page's data attributes. */
async function simulatorRows(adminCenterUrl: string): Promise<Array<{ id: string; status: string }>> {
  const page = await (await fetch(adminCenterUrl)).text();
  return [...page.matchAll(/<tr data-relationship-id="([^"]+)" data-status="([^"]+)"/g)].map((m) => ({ id: m[1]!, status: m[2]! }));
}

const labelled = (text: string) => text.includes(JSON.stringify(s.simulation.label).slice(1, -1));

describe("end to end: the local demo runs a simulated Partner Center (npm start, Emulator)", function () {
  this.timeout(120_000);
  let bot: ReturnType<typeof startLikeNpmStart>;
  let dataDir = "";
  let adminCenter = "";
  let channel: ChannelEmulator;
  let driver: Driver;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "partner-desk-simulation-"));
    const port = await freePort();
    bot = startLikeNpmStart({
      PORT: String(port),
      LOCAL_TABLES_PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      MICROSOFT_SIMULATION_PORT: "0",
      LOG_LEVEL: "warn",
    });
    const [, botUrl] = await waitForOutput(bot.output, /Bot Framework Emulator: open (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/, 60_000);
    const simulation = /the demo runs a simulated Partner Center at (http:\/\/127\.0\.0\.1:\d+\/admin-center)/;
    adminCenter = (await waitForOutput(bot.output, simulation, 5_000))[1]!;
    channel = await new ChannelEmulator(botUrl!, { channelId: "emulator" }).start();
    driver = emulatorDriver(channel, ADMIN);
  });
  after(async () => {
    await channel?.stop();
    if (bot && bot.child.exitCode === null) bot.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("says in the start banner that the demo runs a simulated Partner Center, and where", () => {
    expect(bot.output()).to.include(`the demo runs a simulated Partner Center at ${adminCenter}`);
    expect(new URL(adminCenter).hostname).to.equal("127.0.0.1");
  });

  it("lets the demo partner contact connect with one press, on a card labelled as the simulation", async () => {
    const card = await driver.say("connect", PARTNER_CONTACT);
    expect(labelled(card.text)).to.equal(true);
    expect(
      openUrls(card.card).some((url) => url.startsWith(new URL(adminCenter).origin)),
      "the consent link is the simulator's",
    ).to.equal(true);
    const checked = await driver.press("partnerSide.checkConnection", {}, PARTNER_CONTACT);
    expect(checked.text).to.include("Connected to Microsoft");
    expect(labelled(checked.text)).to.equal(true);
  });

  let relationshipId = "";

  it("makes the demo partner's invitation one GDAP request in the simulator, locked for approval", async () => {
    const requested = await driver.press("findPartner.send", {
      partnerIds: DEMO.invitingPartnerId,
      businessNeeds: "Licensing and first-line support",
      organization: DEMO.customerName,
      contactName: ADMIN.name,
    });
    const contactRequestId = /CR-[0-9A-F]{10}/.exec(requested.text)![0];
    const sent = await driver.press(
      "partnerSide.sendInvitation",
      {
        customerTenantId: DEMO.customerTenantId,
        contactRequestId,
        types: "resellerAndDelegatedAdministrator",
        roles: `${ROLE.helpdeskAdministrator},${ROLE.licenseAdministrator}`,
        durationDays: "120",
        message: "Licensing and support, through GDAP",
      },
      PARTNER_CONTACT,
    );
    expect(sent.text).to.include("Invitation sent").and.include("waiting for approval");
    expect(labelled(sent.text)).to.equal(true);
    const rows = await simulatorRows(adminCenter);
    expect(rows).to.have.length(1);
    expect(rows[0]!.status).to.equal("approvalPending");
    relationshipId = rows[0]!.id;
  });

  let approvalLink = "";

  it("lets the demo admin review and accept in chat, and hands over the simulated admin center's approval link", async () => {
    const invitationId = invitationIdFor(relationshipId);
    const shown = await driver.press("invitations.show", { invitationId });
    expect(shown.text).to.include("real GDAP request");
    expect(labelled(shown.text)).to.equal(true);
    const review = await driver.press("invitations.review", { invitationId });
    expect(labelled(review.text)).to.equal(true);
    const accept = buttonData(review.card, "Accept & authorize");
    const accepted = await driver.press(accept.verb, { ...accept.data, agreed: true, ...ACCEPTING_CONTACT });
    expect(accepted.text).to.include("waiting for approval");
    expect(labelled(accepted.text)).to.equal(true);
    approvalLink = `${new URL(adminCenter).origin}/admin-center/relationships/${encodeURIComponent(relationshipId)}`;
    expect(openUrls(accepted.card)).to.include(approvalLink);
    expect(openUrls(accepted.card).some((url) => url.includes("admin.microsoft.com/AdminPortal/Home#/partners/invitation"))).to.equal(
      false,
    );
  });

  it("activates the relationship when the simulated admin center's Approve all is posted, and the simulator shows it active", async () => {
    const page = await (await fetch(approvalLink)).text();
    expect(page).to.include("Simulated Microsoft 365 admin center — Partner Desk demo, nothing here reaches Microsoft");
    expect(page).to.include(DEMO.customerName).and.include("Helpdesk administrator").and.include("120 days");
    const token = /name="token" value="([^"]+)"/.exec(page)![1]!;
    const approved = await fetch(`${approvalLink}/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }).toString(),
      redirect: "manual",
    });
    expect(approved.status).to.equal(303);
    expect(await simulatorRows(adminCenter)).to.deep.equal([{ id: relationshipId, status: "active" }]);
    expect(await (await fetch(approvalLink)).text()).to.include('data-status="active"');
  });

  it("labels the partner's details in chat, and stops the simulator with the bot on Ctrl-C", async () => {
    const details = await driver.press("relationships.show", { partnerId: DEMO.invitingPartnerId });
    expect(labelled(details.text)).to.equal(true);

    bot.child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) =>
      bot.child.exitCode !== null ? resolve(bot.child.exitCode) : bot.child.once("exit", (c) => resolve(c)),
    );
    expect(code).to.equal(0);
    const stillThere = await fetch(adminCenter).then(
      () => true,
      () => false,
    );
    expect(stillThere).to.equal(false);
  });
});
