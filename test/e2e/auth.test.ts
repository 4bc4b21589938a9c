import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateKeyPair } from "jose";
import type { RunningApp } from "../../src/app.js";
import { ChannelEmulator, textOf } from "../helpers/channelEmulator.js";
import { LoginServer } from "../helpers/loginServer.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { ROLE } from "../../src/domain/roles.js";
import { TEAMS_TENANT, teamsCardAction, teamsMessage, teamsUser } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { freshTables, sharedAzurite } from "../helpers/azurite.js";
import { expectNothingChanged, tablePrefixOf, tableSnapshotter } from "../helpers/tableSnapshot.js";
import { freePort } from "../../src/storage/azurite.js";

const APP_ID = "0a0a0a0a-1111-4222-8333-444444444444";
const TENANT = TEAMS_TENANT;
const invoke = teamsCardAction("partnerTypes.show");

describe("end to end: with an app id every request's token is validated", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let openId: OpenIdServer;
  let connectionString = "";

  before(async () => {
    openId = await new OpenIdServer().start();
    connectionString = (await sharedAzurite()).connectionString;
    app = await startBotUnderTest({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "not-a-real-secret",
      MicrosoftAppType: "MultiTenant",
      ALLOWED_TENANTS: TENANT,
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: openId.issuer,
      ROLE_SOURCE: "table",
    });
    // An admin: every turn that gets through stores their conversation reference (each test's channel has its own
    // serviceUrl), so a request that slipped past the door would show in the tables.
    await app.storage.roleAssignments.upsert({
      tenantId: TENANT,
      userId: teamsUser.aadObjectId,
      roleId: ROLE.globalAdministrator,
      userName: teamsUser.name,
      assignedAt: new Date().toISOString(),
    });
  });
  after(async () => {
    await app?.stop();
    await openId?.stop();
  });

  // Every row's ETag, read straight from the tables: a refused request must leave all of them as they were.
  const snapshot = () => tableSnapshotter(connectionString, tablePrefixOf(app.storage.tables.client("tenant")))();
  // The conversation reference is stored after the answer is sent: give such late writes time to land.
  const settled = () => new Promise((r) => setTimeout(r, 300));

  const channelWith = (token?: (serviceUrl: string) => Promise<string>) =>
    new ChannelEmulator(app.url, { channelId: "msteams", ...(token ? { token } : {}) }).start();

  it("accepts a request signed by the channel's key for this app and serviceUrl", async () => {
    const channel = await channelWith((serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }));
    try {
      const before = await snapshot();
      const result = await channel.post(invoke);
      expect(result.status).to.equal(200);
      expect(result.body.statusCode).to.equal(200);
      expect(textOf(result.body.value)).to.include("Partner types");
      await settled();
      expect(await snapshot()).to.not.deep.equal(before, "an accepted request stores the user's conversation reference");
    } finally {
      await channel.stop();
    }
  });

  const refused: Array<[string, (serviceUrl: string) => Promise<string> | undefined]> = [
    ["no token", () => undefined],
    ["a token for another app", (serviceUrl) => openId.sign({ aud: "99999999-1111-4222-8333-444444444444", serviceurl: serviceUrl })],
    [
      "an expired token",
      (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl, iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: "-1h" }),
    ],
    ["a token from another issuer", (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl, iss: "https://evil.example" })],
    ["a token for another serviceUrl", () => openId.sign({ aud: APP_ID, serviceurl: "https://smba.elsewhere.example/" })],
    [
      "a token signed with an unknown key",
      async (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }, { key: (await generateKeyPair("RS256")).privateKey }),
    ],
  ];
  for (const [label, token] of refused) {
    it(`refuses a request with ${label} (401), runs no bot logic and stores nothing`, async () => {
      const channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
      try {
        await expectNothingChanged(
          snapshot,
          async () => {
            const bearer = await token(channel.serviceUrl);
            const response = await fetch(`${app.url}/api/messages`, {
              method: "POST",
              headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
              body: JSON.stringify({ ...invoke, id: "x", channelId: "msteams", serviceUrl: channel.serviceUrl, recipient: { id: "bot" } }),
            });
            expect(response.status).to.equal(401);
            expect(await response.text()).to.not.include("Partner types");
            expect(channel.recorded).to.have.length(0);
            await settled();
          },
          "nothing stored",
        );
      } finally {
        await channel.stop();
      }
    });
  }
});

describe("end to end: outbound calls carry a token from the configured login endpoint", function () {
  this.timeout(90_000);
  const SECRET = "outbound-test-secret";
  let bot: ChildProcess;
  let botUrl = "";
  let openId: OpenIdServer;
  let login: LoginServer;
  let certDir = "";

  before(async () => {
    openId = await new OpenIdServer().start();
    login = await new LoginServer().start();
    // The bot runs as its own process that trusts the loopback login server's certificate the way a deployment
    // behind a private CA does: NODE_EXTRA_CA_CERTS, read by Node at start for every HTTPS client (MSAL included).
    certDir = await mkdtemp(join(tmpdir(), "pd-login-"));
    await writeFile(join(certDir, "login.pem"), login.certificate);
    const { prefix, connectionString } = await freshTables();
    const port = await freePort();
    botUrl = `http://127.0.0.1:${port}`;
    bot = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        NODE_EXTRA_CA_CERTS: join(certDir, "login.pem"),
        PORT: String(port),
        TABLES_CONNECTION_STRING: connectionString,
        TABLE_PREFIX: prefix,
        LOG_LEVEL: "warn",
        NOTIFY_ENABLED: "false",
        ROLE_SOURCE: "table",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: SECRET,
        MicrosoftAppType: "MultiTenant",
        ALLOWED_TENANTS: TENANT,
        ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
        ToBotFromChannelTokenIssuer: openId.issuer,
        ToChannelFromBotLoginUrl: login.loginUrl(),
        ToChannelFromBotOAuthScope: "https://api.botframework.com",
      },
      stdio: "ignore",
    });
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${botUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error("the bot process did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    bot?.kill("SIGTERM");
    await new Promise((r) => (!bot || bot.exitCode !== null ? r(undefined) : bot.once("exit", r)));
    await openId?.stop();
    await login?.stop();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  const channel = () =>
    new ChannelEmulator(botUrl, {
      channelId: "msteams",
      token: (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }),
    }).start();

  it("asks the login endpoint for a client-credentials token and replies with it", async () => {
    const teams = await channel();
    try {
      const posted = await teams.post({ ...teamsMessage("help"), id: "outbound-1" });
      expect(posted.status).to.equal(200);
      const [reply] = await teams.waitFor((r) => r.kind === "reply");
      expect(textOf(reply!.activity)).to.include("What would you like to do?");
      expect(login.tokenRequests).to.have.length.of.at.least(1);
      const { form, path } = login.tokenRequests[0]!;
      expect(path).to.equal("/botframework.com/oauth2/v2.0/token");
      expect(form).to.include({
        grant_type: "client_credentials",
        client_id: APP_ID,
        client_secret: SECRET,
        scope: "https://api.botframework.com/.default",
      });
      expect(reply!.authorization).to.equal(`Bearer ${login.issued.at(-1)}`);
    } finally {
      await teams.stop();
    }
  });

  it("reuses the token for later replies instead of asking again", async () => {
    const teams = await channel();
    try {
      const asked = login.tokenRequests.length;
      await teams.post({ ...teamsMessage("help"), id: "outbound-2" });
      await teams.post({ ...teamsMessage("partner types"), id: "outbound-3" });
      const replies = await teams.waitFor((r) => r.kind === "reply", 2);
      expect(replies.map((r) => r.authorization)).to.deep.equal([`Bearer ${login.issued.at(-1)}`, `Bearer ${login.issued.at(-1)}`]);
      expect(login.tokenRequests).to.have.length(asked);
    } finally {
      await teams.stop();
    }
  });
});
