import { write } from "../../src/domain/decision.js";
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { freePort } from "../../src/storage/azurite.js";
import { sharedAzurite } from "../helpers/azurite.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, type Recorded } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, partitionRows, rowsOfKind } from "../helpers/journey.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

const TENANT = DEMO.customerTenantId;
const FAST = { NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50", NOTIFY_LEASE_MS: "5000" };

describe("end to end: two bot processes on one storage account", function () {
  this.timeout(120_000);
  let a: RunningApp;
  let b: ChildProcess;
  let bUrl = "";
  let channelA: ChannelEmulator;
  let channelB: ChannelEmulator;
  const admin1: { id: string; name: string; aadObjectId: string } = {
    id: "29:admin-1",
    name: "Demo Admin",
    aadObjectId: DEMO.admin.userId,
  };
  const admin2 = { id: "29:admin-2", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b2" };
  const INVITATIONS = 12;

  before(async () => {
    a = await startBotUnderTest(FAST);
    const prefix = a.storage.tables.client("tenant").tableName.replace(/tenant$/, "");
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        PORT: String(port),
        TABLES_CONNECTION_STRING: (await sharedAzurite()).connectionString,
        TABLE_PREFIX: prefix,
        LOG_LEVEL: "warn",
        ...FAST,
      },
      stdio: "ignore",
    });
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${bUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error("the second bot process did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
    await a.storage.roleAssignments.upsert({
      tenantId: TENANT,
      userId: admin2.aadObjectId,
      roleId: ROLE.billingAdministrator,
      userName: admin2.name,
      assignedAt: new Date().toISOString(),
    });
    const now = new Date().toISOString();
    for (let i = 0; i < INVITATIONS; i++) {
      await a.storage.seed.create(
        write.invitation({
          id: `multi-${i}`,
          tenantId: TENANT,
          partnerId: DEMO.invitingPartnerId,
          partnerName: "Contoso Cloud Partners",
          relationshipTypes: ["reseller"],
          roles: [ROLE.helpdeskAdministrator],
          durationDays: 30,
          message: "",
          status: "pending",
          createdAt: now,
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
      );
    }
    channelA = await new ChannelEmulator(a.url, { channelId: "msteams" }).start();
    channelB = await new ChannelEmulator(bUrl, { channelId: "msteams" }).start();
    // Contoso's contact installs the bot (through instance A): both dispatchers can now reach them.
    await channelA.post({
      type: "installationUpdate",
      action: "add",
      from: { id: "29:contoso", name: "Pat", aadObjectId: DEMO.partnerContact.userId },
      conversation: { id: "a:contoso", conversationType: "personal", tenantId: DEMO.partnerContact.tenantId },
      channelData: { tenant: { id: DEMO.partnerContact.tenantId } },
    });
  });
  after(async () => {
    await channelA?.stop();
    await channelB?.stop();
    b?.kill("SIGTERM");
    await new Promise((r) => (!b || b.exitCode !== null ? r(undefined) : b.once("exit", r)));
    await a?.stop();
  });

  const invoke = (channel: ChannelEmulator, user: typeof admin1, verb: string, data: Record<string, unknown>) =>
    channel.post(teamsCardAction(verb, data, personalChat(user, TENANT)));

  it("decides each invitation once when one admin accepts on one instance and another declines on the other, and the invariants hold", async () => {
    const answers = await Promise.all(
      Array.from({ length: INVITATIONS }, (_, i) =>
        Promise.all([
          invoke(channelA, admin1, "invitations.accept", {
            invitationId: `multi-${i}`,
            agreementVersion: DEMO.agreementVersion,
            agreed: "true",
            ...ACCEPTING_CONTACT,
          }),
          invoke(channelB, admin2, "invitations.decline", { invitationId: `multi-${i}`, reason: "race" }),
        ]),
      ),
    );
    for (const pair of answers)
      for (const answer of pair) expect(answer.body).to.deep.include({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    const wins = answers.map(([acc, dec]) => [
      JSON.stringify(acc.body).includes("You accepted"),
      JSON.stringify(dec.body).includes("You declined"),
    ]);
    for (const [i, [accepted, declined]] of wins.entries())
      expect(Number(accepted) + Number(declined), `multi-${i}: exactly one decision wins`).to.equal(1);

    const rows = await partitionRows(a.storage.tables.client("tenant"), TENANT);
    const invitations = rowsOfKind(rows, "inv").filter((r) => String(r["id"]).startsWith("multi-"));
    const accepted = invitations.filter((r) => r["status"] === "accepted").map((r) => String(r["id"]));
    const declined = invitations.filter((r) => r["status"] === "declined").map((r) => String(r["id"]));
    expect(accepted.length + declined.length).to.equal(INVITATIONS);
    expect(accepted.sort()).to.deep.equal(wins.flatMap(([acc], i) => (acc ? [`multi-${i}`] : [])).sort());
    // One audit event per state change, one notification per decision.
    const audits = rowsOfKind(rows, "audit");
    const targets = (action: string) =>
      audits.filter((r) => r["action"] === action).map((r) => String(r["target"]).split("invitation:")[1]);
    expect(targets("invitation.accept").sort()).to.deep.equal([...accepted].sort());
    expect(targets("invitation.decline").sort()).to.deep.equal([...declined].sort());
    const outbox = rowsOfKind(rows, "outbox");
    expect(outbox.filter((r) => r["type"] === "invitationAccepted")).to.have.length(accepted.length);
    expect(outbox.filter((r) => r["type"] === "invitationDeclined")).to.have.length(declined.length);
    // No active relationship without an acceptance.
    const relationship = rowsOfKind(rows, "rel").find((r) => r["partnerId"] === DEMO.invitingPartnerId);
    if (accepted.length > 0) expect(relationship?.["status"]).to.equal("active");
    expect(rowsOfKind(rows, "acc").filter((r) => r["partnerId"] === DEMO.invitingPartnerId)).to.have.length(accepted.length);
  });

  it("delivers every one of those notifications exactly once although both instances dispatch", async () => {
    const rows = await partitionRows(a.storage.tables.client("tenant"), TENANT);
    const expected = rowsOfKind(rows, "outbox")
      .filter((r) => r["type"] === "invitationAccepted" || r["type"] === "invitationDeclined")
      .map((r) => `${String(r["id"])}:${DEMO.partnerContact.userId}`);
    const deliveries = (): Recorded[] =>
      [...channelA.recorded, ...channelB.recorded].filter((r) => r.conversationId === "a:contoso" && r.activity?.channelData?.partnerDesk);
    const deadline = Date.now() + 30_000;
    while (new Set(deliveries().map((r) => r.activity.channelData.partnerDesk.idempotencyKey)).size < expected.length) {
      if (Date.now() > deadline) throw new Error(`only ${deliveries().length} of ${expected.length} delivered`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const keys = deliveries().map((r) => String(r.activity.channelData.partnerDesk.idempotencyKey));
    expect(keys.sort()).to.deep.equal(expected.sort(), "each exactly once, none doubled");
  });
});
