import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { cardOf, ChannelEmulator, textOf, type Recorded } from "../helpers/channelEmulator.js";
import {
  personalChat,
  TEAMS_TENANT,
  teamsChat,
  teamsCardAction,
  teamsFileConsent,
  teamsMessage,
  teamsUser,
} from "../helpers/activities.js";
import { auditEvent, csvRows, seedAudit } from "../helpers/auditEvents.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";

const OTHER_TENANT = "aaaaaaaa-0000-4000-8000-0000000000ff";
const teamsMember = { id: "29:teams-member", name: "Max Member", aadObjectId: "bbbbbbbb-0000-4000-8000-0000000000ee" };
const memberChat = personalChat(teamsMember, TEAMS_TENANT, "a:member-chat");
const CONSENT = "application/vnd.microsoft.teams.card.file.consent";
const FILE_INFO = "application/vnd.microsoft.teams.card.file.info";

const attachmentOf = (r: Recorded, contentType: string) =>
  (r.activity.attachments ?? []).find((a: { contentType: string }) => a.contentType === contentType);

describe("end to end: the audit export (Teams file consent, Emulator attachment)", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let teams: ChannelEmulator;

  before(async () => {
    app = await startBotUnderTest({ ROLE_SOURCE: "table" });
    teams = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    await app.storage.roleAssignments.upsert({
      tenantId: TEAMS_TENANT,
      userId: teamsUser.aadObjectId,
      roleId: ROLE.globalAdministrator,
      userName: teamsUser.name,
      assignedAt: new Date().toISOString(),
    });
    await seedAudit(app.storage, [
      auditEvent(TEAMS_TENANT, "2025-12-31T23:59:59.999Z", { target: "relationship/before-the-range" }),
      auditEvent(TEAMS_TENANT, "2026-01-01T00:00:00.000Z", { target: "relationship/first-day", action: "invitation.accept" }),
      auditEvent(TEAMS_TENANT, "2026-03-31T23:59:59.999Z", {
        target: "relationship/last-day",
        actor: { userId: "bbbbbbbb-0000-4000-8000-000000000002", name: '=HYPERLINK("http://evil","x")' },
      }),
      auditEvent(TEAMS_TENANT, "2026-04-01T00:00:00.000Z", { target: "relationship/after-the-range" }),
      auditEvent(OTHER_TENANT, "2026-02-01T00:00:00.000Z", { target: "relationship/another-organization" }),
    ]);
  });
  after(async () => {
    await teams?.stop();
    await app?.stop();
  });
  beforeEach(() => teams.clear());

  /** The admin asks in Teams; resolves to the consent card the bot sent. */
  async function askInTeams(text: string, chat = teamsChat) {
    await teams.post(teamsMessage(text, chat));
    const [offer] = await teams.waitFor((r) => attachmentOf(r, CONSENT) !== undefined);
    return attachmentOf(offer!, CONSENT);
  }

  it("offers the file in Teams, and on Allow uploads it to the offered session and posts the file card", async () => {
    const consent = await askInTeams("export history from 2026-01-01 to 2026-03-31");
    const [summary] = teams.recorded.filter((r) => r.activity.attachments?.[0]?.contentType === "application/vnd.microsoft.card.adaptive");
    expect(textOf(cardOf(summary!.activity))).to.include("2 events from");
    expect(consent.name).to.equal("partner-desk-history-2026-01-01-to-2026-03-31.csv");
    expect(consent.content.sizeInBytes).to.be.a("number").greaterThan(100);
    // The card carries the request, never the history itself.
    expect(Object.keys(consent.content.acceptContext).sort()).to.deep.equal(["exportId", "from", "to"]);
    expect(JSON.stringify(consent.content)).to.not.include("first-day");

    const uploadInfo = teams.offerUpload(consent.name);
    const answer = await teams.post(teamsFileConsent("accept", consent.content.acceptContext, { ...uploadInfo }));
    expect(answer.status).to.equal(200);

    expect(teams.uploads).to.have.length(1);
    const [upload] = teams.uploads;
    expect(upload!.path).to.equal(new URL(uploadInfo.uploadUrl).pathname + new URL(uploadInfo.uploadUrl).search);
    const size = upload!.body.length;
    expect(upload!.headers["content-range"]).to.equal(`bytes 0-${size - 1}/${size}`);
    expect(upload!.headers["content-length"]).to.equal(String(size));
    expect([...upload!.body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf], "UTF-8 with a byte order mark, for Excel");
    const rows = csvRows(upload!.body);
    expect(rows[0]).to.deep.equal(["Time (UTC)", "Who", "User id", "Action", "What happened", "Target", "Details"]);
    expect(rows.slice(1).map((r) => r[5])).to.deep.equal(
      ["relationship/first-day", "relationship/last-day"],
      "oldest first, in range only",
    );
    expect(rows[1]![0]).to.equal("2026-01-01T00:00:00Z");
    expect(rows[1]![4]).to.equal("Ada Admin accepted the invitation and authorized the partner");
    expect(rows[2]![1]).to.equal(`'=HYPERLINK("http://evil","x")`, "a name that would be a formula is escaped");

    const [posted] = await teams.waitFor((r) => attachmentOf(r, FILE_INFO) !== undefined);
    const fileCard = attachmentOf(posted!, FILE_INFO);
    expect(fileCard).to.deep.equal({
      contentType: FILE_INFO,
      contentUrl: uploadInfo.contentUrl,
      name: uploadInfo.name,
      content: { uniqueId: uploadInfo.uniqueId, fileType: "csv" },
    });
    expect(posted!.activity.text).to.include("2 events");
  });

  it("answers Decline kindly, and uploads nothing", async () => {
    const consent = await askInTeams("export audit");
    teams.clear();
    const answer = await teams.post(teamsFileConsent("decline", consent.content.declineContext, undefined));
    expect(answer.status).to.equal(200);
    const [said] = await teams.waitFor(() => true);
    expect(said!.activity.text).to.include("the file wasn't saved");
    expect(teams.uploads).to.have.length(0);
  });

  it("tells the admin when OneDrive refuses the upload, and posts no file card", async () => {
    const consent = await askInTeams("export history");
    teams.clear();
    const uploadInfo = teams.offerUpload(consent.name, { status: 507 });
    await teams.post(teamsFileConsent("accept", consent.content.acceptContext, { ...uploadInfo }));
    const [said] = await teams.waitFor(() => true);
    expect(textOf(said!.activity)).to.include("couldn't be saved to your OneDrive");
    expect(teams.recorded.some((r) => attachmentOf(r, FILE_INFO))).to.equal(false);
  });

  it("PUTs nowhere but an https upload session (or this machine's): a forged URL elsewhere gets nothing", async () => {
    const consent = await askInTeams("export history");
    teams.clear();
    const elsewhere = { ...teams.offerUpload(consent.name), uploadUrl: "http://203.0.113.7/upload/session" };
    const answer = await teams.post(teamsFileConsent("accept", consent.content.acceptContext, elsewhere));
    expect(answer.status).to.equal(200);
    const [said] = await teams.waitFor(() => true);
    expect(textOf(said!.activity)).to.include("file offer can't be used any more");
    expect(teams.uploads).to.have.length(0);
  });

  it("refuses a member, both asking and forging an accept: the roles are checked again on accept", async () => {
    await teams.post(teamsMessage("export history", memberChat));
    const [refusal] = await teams.waitFor((r) => r.conversationId === "a:member-chat");
    expect(textOf(refusal!.activity)).to.include("export your organization's history");
    await new Promise((r) => setTimeout(r, 200));
    expect(teams.recorded.some((r) => attachmentOf(r, CONSENT))).to.equal(false);

    teams.clear();
    const uploadInfo = teams.offerUpload("partner-desk-history.csv");
    const answer = await teams.post(teamsFileConsent("accept", { exportId: "x", from: "2026-01-01" }, { ...uploadInfo }, memberChat));
    expect(answer.status).to.equal(200);
    const [said] = await teams.waitFor(() => true);
    expect(textOf(said!.activity)).to.include("export your organization's history");
    expect(teams.uploads).to.have.length(0, "nothing is uploaded for a member");
  });

  it("offers the export on the menu to an admin, and the button reaches the same offer", async () => {
    const menu = await teams.post(teamsCardAction("menu.show"));
    expect(textOf(menu.body.value)).to.include("Export history");
    const pressed = await teams.post(teamsCardAction("auditExport.request", {}));
    expect(textOf(pressed.body.value)).to.include("Your organization's history");
    await teams.waitFor((r) => attachmentOf(r, CONSENT) !== undefined);
  });

  it("in a team channel, says files come in personal chat", async () => {
    const channelChat = { ...teamsChat, conversation: { ...teamsChat.conversation, id: "19:team", conversationType: "channel" } };
    await teams.post(teamsMessage("export history", channelChat));
    const sent = await teams.waitFor((r) => typeof r.activity.text === "string" && r.activity.text.includes("personal chat"));
    expect(sent).to.have.length(1);
    expect(teams.recorded.some((r) => attachmentOf(r, CONSENT))).to.equal(false);
  });

  it("attaches the CSV in the Emulator", async () => {
    const emulator = await new ChannelEmulator(app.url, { channelId: "emulator" }).start();
    try {
      await seedAudit(app.storage, [auditEvent(DEMO.customerTenantId, "2026-02-02T10:00:00.000Z", { target: "relationship/emulator" })]);
      await emulator.post({ type: "message", text: "exportera historik från 2026-02-01 till 2026-02-28", locale: "sv-SE" });
      const [sent] = await emulator.waitFor((r) => attachmentOf(r, "text/csv") !== undefined);
      const attachment = attachmentOf(sent!, "text/csv");
      expect(attachment.name).to.equal("partner-desk-history-2026-02-01-to-2026-02-28.csv");
      const [scheme, data] = (attachment.contentUrl as string).split(",");
      expect(scheme).to.equal("data:text/csv;base64");
      const rows = csvRows(Buffer.from(data!, "base64"));
      expect(rows[0]![0]).to.equal("Tid (UTC)", "the header in the admin's language");
      expect(rows.slice(1).map((r) => r[5])).to.deep.equal(["relationship/emulator"]);
    } finally {
      await emulator.stop();
    }
  });
});
