import { expect } from "chai";
import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { DEMO } from "../../src/demo/constants.js";
import { freshTables } from "../helpers/azurite.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

const APP_ID = "0a0a0a0a-1111-4222-8333-444444444444";
const SECRET = "pd-test-secret-9f8e7d6c5b4a";
const ACCOUNT_KEY_MARKER = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq";

describe("end to end: secrets stay out of logs, and users never see a stack trace", function () {
  this.timeout(60_000);
  let app: RunningApp;
  let openId: OpenIdServer;
  let channel: ChannelEmulator;
  const logLines: string[] = [];
  const consoleLines: string[] = [];
  const tokens: string[] = [];
  const originalError = console.error;
  const originalLog = console.log;

  before(async () => {
    openId = await new OpenIdServer().start();
    const { prefix, connectionString } = await freshTables();
    const config = loadConfig({
      PORT: "0",
      TABLES_CONNECTION_STRING: connectionString,
      TABLE_PREFIX: prefix,
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: SECRET,
      ALLOWED_TENANTS: "*",
      ROLE_SOURCE: "table",
      NOTIFY_ENABLED: "false",
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: openId.issuer,
    });
    // Everything the bot logs, at the most talkative level, goes through this stream.
    const logger = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });
    app = await startApp(config, { logger, seedDemo: true });
    channel = await new ChannelEmulator(app.url, {
      channelId: "msteams",
      token: async (serviceUrl) => {
        const token = await openId.sign({ aud: APP_ID, serviceurl: serviceUrl });
        tokens.push(token);
        return token;
      },
    }).start();
    // botbuilder writes authentication failures with console.error: capture that too.
    console.error = (...args: unknown[]) => void consoleLines.push(args.map(String).join(" "));
    console.log = (...args: unknown[]) => void consoleLines.push(args.map(String).join(" "));
  });
  after(async () => {
    console.error = originalError;
    console.log = originalLog;
    await channel?.stop();
    await app?.stop();
    await openId?.stop();
  });

  const invoke = (verb: string, data: Record<string, unknown>) =>
    channel.post(
      teamsCardAction(
        verb,
        data,
        personalChat({ id: "29:admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId }, DEMO.customerTenantId),
      ),
    );

  it("shows an unexpected failure as a neutral card with a reference that leads to the full error in the log", async () => {
    // A row that does not match its schema: reading it is an unexpected error, never used as data.
    await app.storage.tables.client("tenant").upsertEntity({
      partitionKey: DEMO.customerTenantId,
      rowKey: "inv|broken-row",
      kind: "inv",
      id: "broken-row",
      status: "???",
    });
    const answer = await invoke("invitations.show", { invitationId: "broken-row" });
    expect(answer.body.statusCode).to.equal(200);
    const text = JSON.stringify(answer.body.value);
    expect(text).to.include("Something went wrong on our side and nothing was changed");
    expect(text).to.not.match(/CorruptRowError|\n\s+at |\.ts:\d+/);
    const reference = /"Reference: ([0-9a-f-]{36})"/.exec(text)?.[1];
    expect(reference, "the card carries a correlation id").to.be.a("string");
    const logged = logLines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l["correlationId"] === reference && l["err"]);
    expect(logged?.["err"]?.["type"]).to.equal("CorruptRowError");
    expect(String(logged?.["err"]?.["stack"])).to.include("at ");
  });

  it("logs neither the app password, nor the storage key, nor any bearer token it received", async () => {
    await invoke("partnerTypes.show", {});
    await invoke("invitations.list", {});
    // A refused request too: the authentication failure path logs as well.
    await fetch(`${app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens[0]}x` },
      body: JSON.stringify({
        type: "message",
        text: "help",
        channelId: "msteams",
        serviceUrl: channel.serviceUrl,
        conversation: { id: "c" },
        from: { id: "u" },
        recipient: { id: "b" },
      }),
    });
    expect(tokens.length).to.be.greaterThan(0);
    expect(logLines.length).to.be.greaterThan(0);
    const everything = [...logLines, ...consoleLines].join("\n");
    expect(everything).to.not.include(SECRET);
    expect(everything).to.not.include(ACCOUNT_KEY_MARKER);
    for (const token of tokens) {
      // A JWT's signature is its secret part; not even that may appear.
      expect(everything).to.not.include(token.split(".")[2]!);
    }
  });
});
