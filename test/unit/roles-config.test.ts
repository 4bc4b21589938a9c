import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";

const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";

const registered = (extra: Record<string, string | undefined> = {}) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: "client-secret",
  ALLOWED_TENANTS: "*",
  ...extra,
});

function refusal(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig: where roles come from", () => {
  describe("ROLE_SOURCE", () => {
    it("reads roles from the role assignment table in local mode", () => {
      expect(loadConfig({}).roles).to.deep.equal({
        source: "table",
        cacheTtlMs: 300_000,
      });
    });

    it("reads roles from Microsoft Graph once the bot has an app id", () => {
      expect(loadConfig(registered()).roles.source).to.equal("graph");
    });

    it("keeps the table for a registered bot with ROLE_SOURCE=table", () => {
      expect(loadConfig(registered({ ROLE_SOURCE: "table" })).roles.source).to.equal("table");
    });

    it("treats an empty ROLE_SOURCE as unset", () => {
      expect(loadConfig({ ROLE_SOURCE: " " }).roles.source).to.equal("table");
      expect(loadConfig(registered({ ROLE_SOURCE: "" })).roles.source).to.equal("graph");
    });

    it("refuses ROLE_SOURCE=graph without MicrosoftAppId, naming both", () => {
      const error = refusal({ ROLE_SOURCE: "graph" });
      expect(error.problems).to.have.length(1);
      expect(error.problems[0]).to.include("ROLE_SOURCE").and.to.include("MicrosoftAppId");
    });

    it("refuses an unknown ROLE_SOURCE and lists the valid ones", () => {
      const error = refusal({ ROLE_SOURCE: "ldap" });
      expect(error.problems).to.deep.equal(["ROLE_SOURCE must be table or graph"]);
    });
  });

  describe("GRAPH_BASE_URL", () => {
    it("accepts a sovereign cloud's Graph and drops a trailing slash", () => {
      expect(loadConfig(registered({ GRAPH_BASE_URL: "https://graph.microsoft.us/v1.0/" })).graph.baseUrl).to.equal(
        "https://graph.microsoft.us/v1.0",
      );
    });

    it("accepts http on loopback, where the tests' fake Graph listens", () => {
      expect(loadConfig(registered({ GRAPH_BASE_URL: "http://127.0.0.1:5050/v1.0" })).graph.baseUrl).to.equal("http://127.0.0.1:5050/v1.0");
      expect(loadConfig({ GRAPH_BASE_URL: "http://localhost:5050/v1.0" }).graph.baseUrl).to.equal("http://localhost:5050/v1.0");
    });

    for (const bad of [
      "http://graph.microsoft.com/v1.0",
      "graph.microsoft.com",
      "ftp://graph.microsoft.com/v1.0",
      "https://graph.microsoft.com/v1.0?$top=1",
      "https://user:pw@graph.microsoft.com/v1.0",
      "https://graph.microsoft.com/",
    ]) {
      it(`refuses GRAPH_BASE_URL=${bad}: a bearer token only travels over https to a Graph root with its version`, () => {
        const error = refusal(registered({ GRAPH_BASE_URL: bad }));
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.include("GRAPH_BASE_URL must be an https URL");
      });
    }
  });

  describe("ROLE_CACHE_SECONDS", () => {
    it("remembers roles for 300 seconds by default", () => {
      expect(loadConfig(registered()).roles.cacheTtlMs).to.equal(300_000);
    });

    it("turns seconds into milliseconds, 0 and 3600 included", () => {
      expect(loadConfig({ ROLE_CACHE_SECONDS: "0" }).roles.cacheTtlMs).to.equal(0);
      expect(loadConfig({ ROLE_CACHE_SECONDS: "60" }).roles.cacheTtlMs).to.equal(60_000);
      expect(loadConfig({ ROLE_CACHE_SECONDS: "3600" }).roles.cacheTtlMs).to.equal(3_600_000);
    });

    for (const bad of ["3601", "-1", "5m", "1e3", "30.5"]) {
      it(`refuses ROLE_CACHE_SECONDS=${bad} and names it`, () => {
        const error = refusal({ ROLE_CACHE_SECONDS: bad });
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.include("ROLE_CACHE_SECONDS must be a whole number of seconds between 0 and 3600");
      });
    }
  });

  it("reports a bad ROLE_SOURCE, GRAPH_BASE_URL and ROLE_CACHE_SECONDS in a single error", () => {
    const error = refusal({ ROLE_SOURCE: "graph", GRAPH_BASE_URL: "http://graph.example.com", ROLE_CACHE_SECONDS: "forever" });
    const all = error.problems.join("\n");
    expect(error.problems).to.have.length(3);
    expect(all).to.include("ROLE_SOURCE=graph needs MicrosoftAppId").and.to.include("GRAPH_BASE_URL").and.to.include("ROLE_CACHE_SECONDS");
  });
});

describe("notification rate limits", () => {
  it("adds the guard band to every window, so a send timed at departure still arrives within Teams' limits", () => {
    const config = loadConfig({});
    expect(config.notifications.limits.perConversation.map((w) => w.perMs)).to.deep.equal([1025, 2025, 30025, 3600025]);
    expect(config.notifications.limits.perTenant).to.deep.equal([{ limit: 30, perMs: 1025 }]);
    expect(loadConfig({ NOTIFY_GUARD_MS: "0" }).notifications.limits.perTenant).to.deep.equal([{ limit: 30, perMs: 1000 }]);
  });
});
