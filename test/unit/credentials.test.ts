import { expect } from "chai";
import { MsalServiceClientCredentialsFactory } from "botframework-connector";
import { credentialsFactoryFor } from "../../src/bot/credentials.js";
import type { BotAuthConfig } from "../../src/config.js";

const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const app = (extra: Partial<BotAuthConfig> = {}): BotAuthConfig => ({
  MicrosoftAppType: "MultiTenant",
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: "secret",
  ...extra,
});

describe("outbound credentials", () => {
  it("leaves the public and sovereign Microsoft clouds to botbuilder's own credentials", () => {
    expect(credentialsFactoryFor(app())).to.equal(undefined);
    for (const url of [
      "https://login.microsoftonline.com/botframework.com",
      "https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us",
      "https://LOGIN.MICROSOFTONLINE.COM/contoso.onmicrosoft.com",
    ]) {
      expect(credentialsFactoryFor(app({ ToChannelFromBotLoginUrl: url })), url).to.equal(undefined);
    }
  });

  it("leaves managed identities and local mode alone", () => {
    expect(
      credentialsFactoryFor(
        app({
          MicrosoftAppType: "UserAssignedMSI",
          MicrosoftAppPassword: undefined,
          ToChannelFromBotLoginUrl: "https://login.private.example/tenant",
        }),
      ),
    ).to.equal(undefined);
    expect(
      credentialsFactoryFor({ MicrosoftAppType: "MultiTenant", ToChannelFromBotLoginUrl: "https://login.private.example/tenant" }),
    ).to.equal(undefined);
  });

  it("gets tokens from any other login endpoint, trusted as a known authority, for this app id only", async () => {
    const factory = credentialsFactoryFor(app({ ToChannelFromBotLoginUrl: "https://login.private.example/botframework.com" }));
    expect(factory).to.be.instanceOf(MsalServiceClientCredentialsFactory);
    expect(await factory!.isValidAppId(APP_ID)).to.equal(true);
    expect(await factory!.isValidAppId("someone-else")).to.equal(false);
    expect(await factory!.isAuthenticationDisabled()).to.equal(false);
  });
});
