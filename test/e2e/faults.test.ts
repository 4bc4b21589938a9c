import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { DEMO } from "../../src/demo/constants.js";
import { startAzurite, type RunningAzurite } from "../../src/storage/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, partitionRows, rowsOfKind, teamsDriver } from "../helpers/journey.js";

describe("end to end: storage goes away in the middle of a flow", function () {
  this.timeout(90_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  let dataDir: string;
  let restarted: RunningAzurite | undefined;
  const admin = { id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "partner-desk-faults-"));
    // The embedded default on its own data folder, so the test can stop and restart "the storage account".
    const config = loadConfig({
      PORT: "0",
      LOCAL_TABLES_PORT: "0",
      MICROSOFT_SIMULATION_PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      NOTIFY_POLL_MS: "200",
    });
    app = await startApp(config, { logger: pino({ level: "silent" }) });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
    await restarted?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers with a clear 'try again in a moment' card, writes nothing, reports the outage on /healthz, and completes once storage is back", async () => {
    const driver = teamsDriver(channel, DEMO.customerTenantId, admin);
    // Contoso's contact has the bot installed, so the acceptance has someone to reach.
    const partnerChat = { id: "a:contoso-contact", conversationType: "personal", tenantId: DEMO.partnerContact.tenantId };
    await channel.post({
      type: "installationUpdate",
      action: "add",
      from: { id: "29:contoso", name: "Pat", aadObjectId: DEMO.partnerContact.userId },
      conversation: partnerChat,
      channelData: { tenant: { id: DEMO.partnerContact.tenantId } },
    });
    const review = await driver.press("invitations.review", { invitationId: DEMO.invitationId });
    expect(review.text).to.include("Accept & authorize");

    const port = app.azurite!.port;
    await app.azurite!.stop();

    const started = Date.now();
    const refused = await driver.press("invitations.accept", {
      invitationId: DEMO.invitationId,
      agreementVersion: DEMO.agreementVersion,
      agreed: "true",
      ...ACCEPTING_CONTACT,
    });
    expect(Date.now() - started).to.be.below(3_000, "Teams retries an invoke after about 3 s; the answer must come first");
    expect(refused.text).to.include("can't reach my storage right now, so nothing was changed");
    expect(refused.text).to.not.match(/\n\s+at |ECONNREFUSED/);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).to.equal(503);

    restarted = await startAzurite({ port, dataDir });
    const table = app.storage.tables.client("tenant");
    const before = await partitionRows(table, DEMO.customerTenantId);
    expect(rowsOfKind(before, "inv").find((r) => r["id"] === DEMO.invitationId)?.["status"]).to.equal(
      "pending",
      "nothing half-written while storage was away",
    );
    expect(rowsOfKind(before, "acc")).to.have.length(0);

    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
    const accepted = await driver.press("invitations.accept", {
      invitationId: DEMO.invitationId,
      agreementVersion: DEMO.agreementVersion,
      agreed: "true",
      ...ACCEPTING_CONTACT,
    });
    expect(accepted.text).to.include("invitation and the Microsoft Customer Agreement. Partner Desk has recorded it");
    const after = await partitionRows(table, DEMO.customerTenantId);
    expect(rowsOfKind(after, "acc")).to.have.length(1);
    expect(rowsOfKind(after, "outbox").filter((r) => r["type"] === "invitationAccepted")).to.have.length(1);
    // The dispatcher kept going through the outage: the partner hears about it once storage is back.
    const [heard] = await channel.waitFor(
      (r) => r.conversationId === partnerChat.id && JSON.stringify(r.activity).includes("accepted your invitation"),
      1,
      10_000,
    );
    expect(heard).to.not.equal(undefined);
  });
});
