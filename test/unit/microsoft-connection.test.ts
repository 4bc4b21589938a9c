import { expect } from "chai";
import { loadConfig } from "../../src/config.js";
import { MICROSOFT_ERRORS } from "../../src/features/ports.js";
import { adminConsentLink } from "../../src/microsoft/adminConsent.js";
import { microsoftConnection } from "../../src/microsoftWiring.js";

const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000001";

describe("the Microsoft port", () => {
  it("refuses a check in local mode (no MicrosoftAppId) without any network call, and offers no consent link", async () => {
    const calls: unknown[] = [];
    const config = loadConfig({ TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true" });
    expect(config.auth.MicrosoftAppId).to.equal(undefined);
    const microsoft = microsoftConnection(config, async (input) => {
      calls.push(input);
      throw new Error("no network in local mode");
    });
    expect(await microsoft.checkConnection(PARTNER_TENANT)).to.deep.include({ ok: false, code: MICROSOFT_ERRORS.localMode });
    expect(microsoft.adminConsentLink(PARTNER_TENANT)).to.equal(undefined);
    expect(calls).to.deep.equal([]);
  });

  it("links the admin consent endpoint of the partner's tenant on the configured login host, for the Graph root's .default", () => {
    const config = loadConfig({
      TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true",
      MicrosoftAppId: "0a0a0a0a-1111-4222-8333-555555555555",
      MicrosoftAppPassword: "secret",
      ALLOWED_TENANTS: PARTNER_TENANT,
      GRAPH_AUTHORITY_HOST: "https://login.microsoftonline.us",
      GRAPH_BASE_URL: "https://graph.microsoft.us/v1.0",
    });
    const link = new URL(microsoftConnection(config).adminConsentLink(PARTNER_TENANT)!);
    expect(`${link.origin}${link.pathname}`).to.equal(`https://login.microsoftonline.us/${PARTNER_TENANT}/v2.0/adminconsent`);
    expect(Object.fromEntries(link.searchParams)).to.deep.equal({
      client_id: "0a0a0a0a-1111-4222-8333-555555555555",
      scope: "https://graph.microsoft.us/.default",
    });
  });

  it("adds redirect_uri to the consent link only when one is given", () => {
    const input = { authorityHost: "https://login.microsoftonline.com", tenantId: PARTNER_TENANT, clientId: "c", scope: "s" };
    expect(new URL(adminConsentLink(input)).searchParams.has("redirect_uri")).to.equal(false);
    const withRedirect = new URL(adminConsentLink({ ...input, redirectUri: "https://desk.example.com/connected" }));
    expect(withRedirect.searchParams.get("redirect_uri")).to.equal("https://desk.example.com/connected");
  });
});
