import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";
import { consentLandingPage, escapeHtml } from "../../src/http/consentLanding.js";
import { microsoftConnection } from "../../src/microsoftWiring.js";

const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000001";
const REGISTERED = {
  TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true",
  MicrosoftAppId: "0a0a0a0a-1111-4222-8333-555555555555",
  MicrosoftAppPassword: "secret",
  ALLOWED_TENANTS: PARTNER_TENANT,
};

describe("admin consent: redirect_uri and the landing page", () => {
  it("sends the consent link back to PUBLIC_BASE_URL/connect/consented, and leaves redirect_uri out without it", () => {
    const withBase = microsoftConnection(loadConfig({ ...REGISTERED, PUBLIC_BASE_URL: "https://desk.contoso.com/" }));
    expect(new URL(withBase.adminConsentLink(PARTNER_TENANT)!).searchParams.get("redirect_uri")).to.equal(
      "https://desk.contoso.com/connect/consented",
    );
    const without = microsoftConnection(loadConfig(REGISTERED));
    expect(new URL(without.adminConsentLink(PARTNER_TENANT)!).searchParams.has("redirect_uri")).to.equal(false);
  });

  it("refuses a PUBLIC_BASE_URL with a path, a query or plain http off loopback, naming the setting", () => {
    for (const bad of ["https://desk.contoso.com/bot", "https://desk.contoso.com?x=1", "http://desk.contoso.com", "desk.contoso.com"]) {
      expect(() => loadConfig({ ...REGISTERED, PUBLIC_BASE_URL: bad }), bad)
        .to.throw(ConfigError)
        .with.property("message")
        .that.includes("PUBLIC_BASE_URL must be the https origin");
    }
    expect(loadConfig({ ...REGISTERED, PUBLIC_BASE_URL: "http://127.0.0.1:3978" }).web.consentRedirectUri).to.equal(
      "http://127.0.0.1:3978/connect/consented",
    );
  });

  it("tells an administrator who consented to go back and press Check connection", () => {
    const page = consentLandingPage(new URLSearchParams({ admin_consent: "True", tenant: PARTNER_TENANT, state: "" }));
    expect(page.status).to.equal(200);
    expect(page.html).to.include("<h1>Consent given</h1>").and.to.include(PARTNER_TENANT).and.to.include("press Check connection");
  });

  it("shows the first line of Microsoft's error, escaped, and what to do", () => {
    const page = consentLandingPage(
      new URLSearchParams({ error: "access_denied", error_description: 'AADSTS65004: "declined" <b>x</b>\r\nTrace ID: 1\r\nTimestamp: 2' }),
    );
    expect(page.status).to.equal(200);
    expect(page.html).to.include("Consent was not given").and.to.include("AADSTS65004: &#34;declined&#34; &#60;b&#62;x&#60;/b&#62;");
    expect(page.html).not.to.include("<b>").and.not.to.include("Trace ID");
    expect(page.html).to.include("Global administrator");
  });

  it("answers a visit without Microsoft's answer with 400 and how to connect, and ignores oversized values", () => {
    expect(consentLandingPage(new URLSearchParams()).status).to.equal(400);
    const oversized = consentLandingPage(new URLSearchParams({ admin_consent: "True", tenant: "x".repeat(5000) }));
    expect(oversized.status).to.equal(400);
    expect(oversized.html).not.to.include("xxxxxxxxxx");
  });

  it("escapes every character HTML gives meaning to", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).to.equal("&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
  });
});
