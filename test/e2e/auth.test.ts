import { expect } from "chai";
import { generateKeyPair } from "jose";
import type { RunningApp } from "../../src/app.js";
import { ChannelEmulator, textOf } from "../helpers/channelEmulator.js";
import { OpenIdServer } from "../helpers/openIdServer.js";
import { TEAMS_TENANT, teamsCardAction } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";

const APP_ID = "0a0a0a0a-1111-4222-8333-444444444444";
const TENANT = TEAMS_TENANT;
const invoke = teamsCardAction("partnerTypes.show");

describe("end to end: with an app id every request's token is validated", function () {
  this.timeout(30_000);
  let app: RunningApp;
  let openId: OpenIdServer;

  before(async () => {
    openId = await new OpenIdServer().start();
    app = await startBotUnderTest({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: "not-a-real-secret",
      MicrosoftAppType: "MultiTenant",
      ALLOWED_TENANTS: TENANT,
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: openId.issuer,
    });
  });
  after(async () => {
    await app?.stop();
    await openId?.stop();
  });

  const channelWith = (token?: (serviceUrl: string) => Promise<string>) => new ChannelEmulator(app.url, { channelId: "msteams", ...(token ? { token } : {}) }).start();

  it("accepts a request signed by the channel's key for this app and serviceUrl", async () => {
    const channel = await channelWith((serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }));
    try {
      const result = await channel.post(invoke);
      expect(result.status).to.equal(200);
      expect(result.body.statusCode).to.equal(200);
      expect(textOf(result.body.value)).to.include("Partner types");
    } finally {
      await channel.stop();
    }
  });

  const refused: Array<[string, (serviceUrl: string) => Promise<string> | undefined]> = [
    ["no token", () => undefined],
    ["a token for another app", (serviceUrl) => openId.sign({ aud: "99999999-1111-4222-8333-444444444444", serviceurl: serviceUrl })],
    ["an expired token", (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl, iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: "-1h" })],
    ["a token from another issuer", (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl, iss: "https://evil.example" })],
    ["a token for another serviceUrl", () => openId.sign({ aud: APP_ID, serviceurl: "https://smba.elsewhere.example/" })],
    ["a token signed with an unknown key", async (serviceUrl) => openId.sign({ aud: APP_ID, serviceurl: serviceUrl }, { key: (await generateKeyPair("RS256")).privateKey })],
  ];
  for (const [label, token] of refused) {
    it(`refuses a request with ${label} (401) and runs no bot logic`, async () => {
      const channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
      try {
        const bearer = await token(channel.serviceUrl);
        const response = await fetch(`${app.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          body: JSON.stringify({ ...invoke, id: "x", channelId: "msteams", serviceUrl: channel.serviceUrl, recipient: { id: "bot" } }),
        });
        expect(response.status).to.equal(401);
        expect(await response.text()).to.not.include("Partner types");
        expect(channel.recorded).to.have.length(0);
      } finally {
        await channel.stop();
      }
    });
  }
});
