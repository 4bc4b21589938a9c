import { expect } from "chai";
import { OUTBOX_SHARD_DEFAULTS } from "../../src/outboxWiring.js";
import { ConfigError, loadConfig } from "../../src/config.js";

const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const APP_TENANT = "7d2b9e41-3f6a-4c8d-b5e2-9a1c0f4d6e02";
const CUSTOMER_TENANT = "C0FFEE00-0000-4000-8000-000000000001";
const PARTNER_TENANT = "c0ffee00-0000-4000-8000-0000000000b0";
const REAL_ACCOUNT = "AccountName=x;AccountKey=y;EndpointSuffix=core.windows.net";
const AZURITE =
  "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

/** A bot registered in Azure: app id, secret and an allow list. */
const registered = (extra: Record<string, string | undefined> = {}) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: "client-secret",
  ALLOWED_TENANTS: "*",
  ...extra,
});

/** Runs loadConfig expecting it to refuse, and hands back the ConfigError. */
function refusal(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig", () => {
  describe("with an empty environment", () => {
    it("starts in local mode on 127.0.0.1:3978 with embedded storage in .data on port 10002", () => {
      const config = loadConfig({});
      expect(config.localMode).to.equal(true);
      expect(config.port).to.equal(3978);
      expect(config.host).to.equal("127.0.0.1");
      expect(config.storage).to.deep.equal({ kind: "embedded", dataDir: ".data", port: 10002 });
    });

    it("uses the table prefix pd, allows every tenant and logs at info", () => {
      const config = loadConfig({});
      expect(config.tablePrefix).to.equal("pd");
      expect(config.allowedTenants).to.equal(null);
      expect(config.logLevel).to.equal("info");
      expect(config.auth).to.deep.equal({ MicrosoftAppType: "MultiTenant" });
    });

    it("treats empty and blank strings as unset", () => {
      const config = loadConfig({
        PORT: "",
        HOST: "",
        MicrosoftAppId: "",
        MicrosoftAppPassword: " ",
        LOG_LEVEL: "  ",
        TABLE_PREFIX: "",
        ALLOWED_TENANTS: "",
        TABLES_CONNECTION_STRING: "",
      });
      expect(config.localMode).to.equal(true);
      expect(config.port).to.equal(3978);
      expect(config.host).to.equal("127.0.0.1");
      expect(config.logLevel).to.equal("info");
      expect(config.tablePrefix).to.equal("pd");
      expect(config.storage.kind).to.equal("embedded");
      expect(config.auth).to.not.have.property("MicrosoftAppPassword");
    });
  });

  describe("listening address", () => {
    it("refuses to start on 0.0.0.0 without an app id and names HOST", () => {
      const error = refusal({ HOST: "0.0.0.0" });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("HOST=0.0.0.0");
      expect(error.message).to.include("HOST");
    });

    it("explains that without an app id the bot only listens on loopback", () => {
      const [problem] = refusal({ HOST: "0.0.0.0" }).problems;
      expect(problem).to.match(/loopback/);
      expect(problem).to.include("MicrosoftAppId");
    });

    it("accepts the loopback addresses localhost, ::1 and 127.x.y.z in local mode", () => {
      for (const host of ["localhost", "::1", "127.0.0.2"]) {
        expect(loadConfig({ HOST: host }).host, host).to.equal(host);
      }
    });

    it("listens on 0.0.0.0 once the bot has an app id", () => {
      const config = loadConfig(registered({ HOST: "0.0.0.0" }));
      expect(config.host).to.equal("0.0.0.0");
      expect(config.localMode).to.equal(false);
    });

    it("refuses a PORT that is not a number and names PORT", () => {
      const error = refusal({ PORT: "abc" });
      expect(error.problems.join("\n")).to.include("PORT");
    });

    it("refuses a PORT outside 0-65535 and names PORT", () => {
      expect(refusal({ PORT: "70000" }).problems.join("\n")).to.match(/PORT must be a whole number between 0 and 65535/);
    });

    for (const typo of ["0x10", "1e3", "3978.5", "-1"]) {
      it(`refuses PORT=${typo}: a port is written in plain digits`, () => {
        expect(refusal({ PORT: typo }).problems.join("\n")).to.match(/PORT must be a whole number/);
      });
    }
  });

  describe("bot registration", () => {
    it("requires MicrosoftAppPassword when MicrosoftAppId is set", () => {
      const error = refusal({ MicrosoftAppId: APP_ID, ALLOWED_TENANTS: "*" });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("MicrosoftAppPassword");
    });

    it("requires MicrosoftAppTenantId for a SingleTenant app", () => {
      const error = refusal(registered({ MicrosoftAppType: "SingleTenant" }));
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("MicrosoftAppTenantId");
    });

    it("accepts a SingleTenant app with its tenant id and keeps the credentials for the adapter", () => {
      const config = loadConfig(registered({ MicrosoftAppType: "SingleTenant", MicrosoftAppTenantId: APP_TENANT }));
      expect(config.auth).to.deep.equal({
        MicrosoftAppType: "SingleTenant",
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: "client-secret",
        MicrosoftAppTenantId: APP_TENANT,
      });
    });

    it("needs no password for a user-assigned managed identity", () => {
      const config = loadConfig({
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: "UserAssignedMSI",
        MicrosoftAppTenantId: APP_TENANT,
        ALLOWED_TENANTS: "*",
      });
      expect(config.auth.MicrosoftAppType).to.equal("UserAssignedMSI");
      expect(config.auth).to.not.have.property("MicrosoftAppPassword");
    });

    it("refuses a MicrosoftAppId that is not a GUID and names MicrosoftAppId", () => {
      const error = refusal(registered({ MicrosoftAppId: "partner-desk" }));
      expect(error.problems.join("\n")).to.include("MicrosoftAppId");
    });

    it("refuses an unknown MicrosoftAppType and lists the valid ones", () => {
      expect(refusal(registered({ MicrosoftAppType: "Anonymous" })).problems.join("\n")).to.include(
        "MultiTenant, SingleTenant or UserAssignedMSI",
      );
    });
  });

  describe("allowed tenants", () => {
    it("requires ALLOWED_TENANTS when MicrosoftAppId is set", () => {
      const error = refusal({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: "client-secret" });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("ALLOWED_TENANTS");
    });

    it("allows every tenant with ALLOWED_TENANTS=*", () => {
      expect(loadConfig(registered({ ALLOWED_TENANTS: "*" })).allowedTenants).to.equal(null);
    });

    it("turns a comma-separated list into a lower-cased set", () => {
      const config = loadConfig(registered({ ALLOWED_TENANTS: ` ${CUSTOMER_TENANT} ,${PARTNER_TENANT},` }));
      expect(config.allowedTenants).to.be.instanceOf(Set);
      expect([...(config.allowedTenants ?? [])]).to.have.members([CUSTOMER_TENANT.toLowerCase(), PARTNER_TENANT]);
    });

    it("refuses an ALLOWED_TENANTS that lists no tenant at all instead of starting a bot that turns everyone away", () => {
      expect(refusal(registered({ ALLOWED_TENANTS: " , ," })).problems.join("\n")).to.include("ALLOWED_TENANTS lists no tenant");
    });

    it("refuses an entry that is not a tenant id and names it", () => {
      const error = refusal(registered({ ALLOWED_TENANTS: `${CUSTOMER_TENANT},contoso.onmicrosoft.com` }));
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("ALLOWED_TENANTS").and.to.include('"contoso.onmicrosoft.com"');
    });
  });

  describe("logging", () => {
    it("accepts a pino level", () => {
      expect(loadConfig({ LOG_LEVEL: "debug" }).logLevel).to.equal("debug");
    });

    it("refuses LOG_LEVEL=loud and names LOG_LEVEL", () => {
      const error = refusal({ LOG_LEVEL: "loud" });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("LOG_LEVEL");
    });
  });

  describe("storage", () => {
    it("refuses TABLES_CONNECTION_STRING and TABLES_ACCOUNT_URL together", () => {
      const error = refusal(registered({ TABLES_CONNECTION_STRING: REAL_ACCOUNT, TABLES_ACCOUNT_URL: "https://x.table.core.windows.net" }));
      expect(error.problems.join("\n")).to.include("either TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL, not both");
    });

    it("refuses a connection string to a real storage account without an app id", () => {
      const error = refusal({ TABLES_CONNECTION_STRING: REAL_ACCOUNT });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("TABLES_CONNECTION_STRING").and.to.include("real storage account");
    });

    it("refuses an account URL of a real storage account without an app id", () => {
      const error = refusal({ TABLES_ACCOUNT_URL: "https://x.table.core.windows.net" });
      expect(error.problems[0]).to.include("TABLES_ACCOUNT_URL");
    });

    it("accepts an Azurite connection string on loopback without an app id", () => {
      const config = loadConfig({ TABLES_CONNECTION_STRING: AZURITE });
      expect(config.localMode).to.equal(true);
      expect(config.storage).to.deep.equal({ kind: "connectionString", connectionString: AZURITE });
    });

    it("accepts UseDevelopmentStorage=true without an app id", () => {
      expect(loadConfig({ TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true" }).storage.kind).to.equal("connectionString");
    });

    it("uses a connection string to a real account once the bot has an app id", () => {
      expect(loadConfig(registered({ TABLES_CONNECTION_STRING: REAL_ACCOUNT })).storage).to.deep.equal({
        kind: "connectionString",
        connectionString: REAL_ACCOUNT,
      });
    });

    it("refuses text that does not look like a connection string", () => {
      expect(refusal(registered({ TABLES_CONNECTION_STRING: "hello" })).problems.join("\n")).to.include(
        "does not look like a storage connection string",
      );
    });

    it("uses managed identity for TABLES_ACCOUNT_URL with an app id", () => {
      const config = loadConfig(registered({ TABLES_ACCOUNT_URL: "https://x.table.core.windows.net" }));
      expect(config.storage).to.deep.equal({ kind: "managedIdentity", accountUrl: "https://x.table.core.windows.net" });
    });

    it("passes TABLES_MANAGED_IDENTITY_CLIENT_ID on as the identity's client id", () => {
      const config = loadConfig(
        registered({ TABLES_ACCOUNT_URL: "https://x.table.core.windows.net", TABLES_MANAGED_IDENTITY_CLIENT_ID: APP_TENANT }),
      );
      expect(config.storage).to.deep.equal({
        kind: "managedIdentity",
        accountUrl: "https://x.table.core.windows.net",
        clientId: APP_TENANT,
      });
    });

    it("moves the embedded storage with LOCAL_DATA_DIR and LOCAL_TABLES_PORT", () => {
      expect(loadConfig({ LOCAL_DATA_DIR: "/tmp/pd", LOCAL_TABLES_PORT: "20002" }).storage).to.deep.equal({
        kind: "embedded",
        dataDir: "/tmp/pd",
        port: 20002,
      });
    });

    it("takes a dead instance's outbox shards over within 12 s by default, the engine built without settings too", () => {
      const { shards } = loadConfig({}).notifications;
      expect(shards.leaseMs).to.equal(9_000);
      expect({ ...OUTBOX_SHARD_DEFAULTS(), instanceId: shards.instanceId }).to.deep.equal(shards);
    });

    it("refuses a TABLE_PREFIX that table names cannot hold", () => {
      expect(refusal({ TABLE_PREFIX: "pd-test" }).problems.join("\n")).to.include("TABLE_PREFIX");
    });

    it("cuts storage off per try and per card action by default, leaving room to answer before Teams gives up", () => {
      const { storageTimeouts } = loadConfig({});
      expect(storageTimeouts).to.deep.equal({
        tryTimeoutMs: 1_000,
        actionBudgetMs: 2_000,
        backgroundTryTimeoutMs: 10_000,
        backgroundBudgetMs: 30_000,
      });
      expect(
        loadConfig({
          STORAGE_TRY_TIMEOUT_MS: "5000",
          STORAGE_ACTION_BUDGET_MS: "800",
          STORAGE_BACKGROUND_TRY_TIMEOUT_MS: "60000",
          STORAGE_BACKGROUND_BUDGET_MS: "20000",
        }).storageTimeouts,
      ).to.deep.equal(
        { tryTimeoutMs: 800, actionBudgetMs: 800, backgroundTryTimeoutMs: 20_000, backgroundBudgetMs: 20_000 },
        "one try never outlasts the whole budget, in a turn or outside one",
      );
    });

    it("refuses storage timeouts that are not whole milliseconds in range", () => {
      expect(refusal({ STORAGE_TRY_TIMEOUT_MS: "1s" }).problems.join("\n")).to.include("STORAGE_TRY_TIMEOUT_MS");
      expect(refusal({ STORAGE_ACTION_BUDGET_MS: "0" }).problems.join("\n")).to.include("STORAGE_ACTION_BUDGET_MS");
    });
  });

  describe("outbound login endpoint", () => {
    it("passes an https ToChannelFromBotLoginUrl on to the adapter", () => {
      expect(
        loadConfig(registered({ ToChannelFromBotLoginUrl: "https://login.contoso.example/botframework.com" })).auth
          .ToChannelFromBotLoginUrl,
      ).to.equal("https://login.contoso.example/botframework.com");
    });

    it("refuses a login URL that is not https, naming ToChannelFromBotLoginUrl", () => {
      for (const url of ["http://login.contoso.example/botframework.com", "login.contoso.example"]) {
        expect(refusal(registered({ ToChannelFromBotLoginUrl: url })).problems.join("\n")).to.include("ToChannelFromBotLoginUrl");
      }
    });
  });

  describe("agreement cache", () => {
    it("keeps the agreement's versions for 300 seconds by default", () => {
      expect(loadConfig({}).agreementCacheTtlMs).to.equal(300_000);
    });

    it("reads AGREEMENT_CACHE_SECONDS in seconds, 0 turning the cache off", () => {
      expect(loadConfig({ AGREEMENT_CACHE_SECONDS: "60" }).agreementCacheTtlMs).to.equal(60_000);
      expect(loadConfig({ AGREEMENT_CACHE_SECONDS: "0" }).agreementCacheTtlMs).to.equal(0);
    });

    it("refuses AGREEMENT_CACHE_SECONDS over an hour or not a number and names it", () => {
      expect(refusal({ AGREEMENT_CACHE_SECONDS: "3601" }).problems.join("\n")).to.include("AGREEMENT_CACHE_SECONDS");
      expect(refusal({ AGREEMENT_CACHE_SECONDS: "five" }).problems.join("\n")).to.include("AGREEMENT_CACHE_SECONDS");
    });
  });

  describe("several problems", () => {
    it("reports every problem of one kind in a single error", () => {
      const error = refusal({ HOST: "0.0.0.0", TABLES_CONNECTION_STRING: REAL_ACCOUNT });
      expect(error.problems).to.have.length.of.at.least(2);
      expect(error.message).to.include("HOST").and.to.include("TABLES_CONNECTION_STRING");
    });

    it("reports a bad PORT, a bad LOG_LEVEL and a bad MicrosoftAppId in a single error", () => {
      const error = refusal({ PORT: "abc", LOG_LEVEL: "loud", MicrosoftAppId: "nope" });
      expect(error.problems).to.have.length.of.at.least(3);
      const all = error.problems.join("\n");
      expect(all).to.include("PORT").and.to.include("LOG_LEVEL").and.to.include("MicrosoftAppId");
    });

    // The ConfigError contract is "naming every problem at once": a malformed value must not hide a rule.
    it("reports a malformed PORT and a public HOST without an app id in the same error", () => {
      const error = refusal({ PORT: "abc", HOST: "0.0.0.0" });
      const all = error.problems.join("\n");
      expect(all).to.include("PORT");
      expect(all).to.include("HOST=0.0.0.0");
    });

    it("starts its message with what went wrong and ends with where to look", () => {
      const error = refusal({ LOG_LEVEL: "loud" });
      expect(error.name).to.equal("ConfigError");
      expect(error.message).to.match(/^Partner Desk cannot start:\n {2}- LOG_LEVEL/);
      expect(error.message).to.include(".env.example");
    });
  });

  describe("Microsoft Graph's login endpoint (GRAPH_AUTHORITY_HOST)", () => {
    it("asks the public cloud's login endpoint for Graph tokens by default", () => {
      expect(loadConfig({}).graph).to.deep.equal({
        baseUrl: "https://graph.microsoft.com/v1.0",
        authorityHost: "https://login.microsoftonline.com",
      });
    });

    it("accepts a sovereign cloud's or a private https login host, and drops a trailing slash", () => {
      expect(loadConfig(registered({ GRAPH_AUTHORITY_HOST: "https://login.microsoftonline.us/" })).graph.authorityHost).to.equal(
        "https://login.microsoftonline.us",
      );
      expect(loadConfig({ GRAPH_AUTHORITY_HOST: "https://127.0.0.1:8443" }).graph.authorityHost).to.equal("https://127.0.0.1:8443");
    });

    it("treats an empty GRAPH_AUTHORITY_HOST as unset", () => {
      expect(loadConfig({ GRAPH_AUTHORITY_HOST: " " }).graph.authorityHost).to.equal("https://login.microsoftonline.com");
    });

    // Unlike GRAPH_BASE_URL, not even loopback may be http: MSAL only takes an https authority.
    for (const http of ["http://login.example.com", "http://127.0.0.1:8443", "http://localhost:8443"]) {
      it(`refuses GRAPH_AUTHORITY_HOST=${http}: a client secret only travels over https`, () => {
        const error = refusal(registered({ GRAPH_AUTHORITY_HOST: http }));
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.include("GRAPH_AUTHORITY_HOST must be the https origin");
      });
    }

    for (const bad of [
      "login.microsoftonline.com",
      "https://login.microsoftonline.com/common",
      "https://login.example.com?x=1",
      "not a url",
    ]) {
      it(`refuses GRAPH_AUTHORITY_HOST=${bad} and names the setting: the tenant is added to the host, nothing else`, () => {
        const error = refusal(registered({ GRAPH_AUTHORITY_HOST: bad }));
        expect(error.problems).to.deep.equal([
          "GRAPH_AUTHORITY_HOST must be the https origin of the Microsoft identity platform's login endpoint, without a tenant or path, e.g. https://login.microsoftonline.com (https://login.microsoftonline.us for US Government); tests use a loopback https server",
        ]);
      });
    }
  });
});
