import { expect } from "chai";
import { generateKeyPair } from "jose";
import { TEAMS_TENANT, teamsCardAction } from "../helpers/activities.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { startRegisteredBot, type RegisteredBot } from "../helpers/registeredBot.js";
import { expectNothingChanged, tableSnapshotter, type TablesSnapshot } from "../helpers/tableSnapshot.js";

/**
 * Issue 14 item 4, found by a black-box probe of the real process (app id set, tokens validated): the door refuses
 * what it cannot bind and logs each refusal as one line. (The DEP0111 warning at start is still open: restify 11,
 * a fixed choice, loads spdy, whose http-deceiver calls process.binding; restify 12 drops it but needs Node 22.)
 */
const APP_ID = "0b0b0b0b-1111-4222-8333-444444444444";

describe("end to end: the registered bot's door (hardening)", function () {
  this.timeout(90_000);
  let openId: OpenIdServer;
  let login: LoginServer;
  let bot: RegisteredBot;
  let snapshot: () => Promise<TablesSnapshot>;

  before(async () => {
    [openId, login] = await Promise.all([new OpenIdServer().start(), new LoginServer().start()]);
    const { prefix, connectionString } = await freshTables();
    snapshot = tableSnapshotter(connectionString, prefix);
    bot = await startRegisteredBot({
      appId: APP_ID,
      secret: "not-a-real-secret",
      openId,
      login,
      connectionString,
      prefix,
      env: { NOTIFY_ENABLED: "false", ALLOWED_TENANTS: TEAMS_TENANT, ROLE_SOURCE: "table" },
    });
  });
  after(async () => {
    await bot?.stop();
    await Promise.all([openId?.stop(), login?.stop()]);
  });

  const teams = (token: (serviceUrl: string) => Promise<string>) => new ChannelEmulator(bot.url, { channelId: "msteams", token }).start();
  const settled = () => new Promise((r) => setTimeout(r, 300));
  const logLines = () =>
    bot
      .output()
      .split("\n")
      .filter((line) => line.trim() !== "");

  it("refuses a validly signed activity that has no serviceUrl (401) and runs no bot logic", async () => {
    const channel = await teams((serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }));
    try {
      await expectNothingChanged(snapshot, async () => {
        const result = await channel.post({ ...teamsCardAction("partnerTypes.show"), serviceUrl: undefined });
        expect(result.status).to.equal(401);
        expect(JSON.stringify(result.body)).to.not.include("Partner types");
        await settled();
      });
      // The same token with the serviceUrl it was issued for is accepted: the refusal is about the missing field.
      const accepted = await channel.post(teamsCardAction("partnerTypes.show"));
      expect(accepted.status).to.equal(200);
    } finally {
      await channel.stop();
    }
  });

  it("logs each refused token as one structured line with the reason, and no stack trace", async () => {
    const { privateKey: forgedKey } = await generateKeyPair("RS256");
    const refusals: Array<[string, (serviceUrl: string) => Promise<string>]> = [
      ["forged signature", (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }, { key: forgedKey })],
      [
        "expired",
        (serviceUrl) =>
          openId.sign({ aud: APP_ID, serviceurl: serviceUrl, iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: "-1h" }),
      ],
      ["another app", (serviceUrl) => openId.sign({ aud: "99999999-1111-4222-8333-444444444444", serviceurl: serviceUrl })],
      ["malformed", async () => "not.a.jwt"],
    ];
    for (const [label, token] of refusals) {
      const linesBefore = logLines().length;
      const channel = await teams(token);
      try {
        const result = await channel.post(teamsCardAction("partnerTypes.show"));
        expect(result.status, label).to.equal(401);
      } finally {
        await channel.stop();
      }
      await settled();
      const written = logLines().slice(linesBefore);
      expect(written, `${label}: ${written.join("\n").slice(0, 1500)}`).to.have.length(1);
      const entry = JSON.parse(written[0]!);
      expect(entry.msg, label).to.include("request refused");
      expect(entry.reason, label).to.be.a("string").and.not.equal("");
      expect(entry).to.not.have.property("err");
      expect(written[0], label).to.not.match(/\bat .*\(.*:\d+:\d+\)|\\n\s+at /, "no stack trace");
    }
  });
});
