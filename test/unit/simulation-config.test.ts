import { join } from "node:path";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";

/** MICROSOFT_SIMULATION: local mode's simulated Partner Center, never where the bot acts for real tenants. */
const APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const registered = (extra: Record<string, string> = {}) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: "client-secret",
  ALLOWED_TENANTS: "*",
  ...extra,
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("the simulated Partner Center setting (MICROSOFT_SIMULATION)", () => {
  it("is on by default in the embedded demo (local mode, nothing configured), on port 10010, keeping its state next to the embedded Azurite's data", () => {
    expect(loadConfig({}).simulation).to.deep.equal({
      enabled: true,
      port: 10010,
      stateFile: join(".data", "simulated-partner-center.json"),
    });
    expect(loadConfig({ LOCAL_DATA_DIR: "/tmp/demo", MICROSOFT_SIMULATION_PORT: "0" }).simulation).to.include({
      port: 0,
      stateFile: join("/tmp/demo", "simulated-partner-center.json"),
    });
  });

  it("can be turned off in local mode, which refuses Microsoft calls as before", () => {
    expect(loadConfig({ MICROSOFT_SIMULATION: "off" }).simulation.enabled).to.equal(false);
  });

  it("is off by default in local mode on storage of one's own (a loopback Azurite), and can be turned on there", () => {
    const azurite = { TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true" };
    expect(loadConfig(azurite).simulation.enabled).to.equal(false);
    expect(loadConfig({ ...azurite, MICROSOFT_SIMULATION: "on" }).simulation.enabled).to.equal(true);
  });

  it("is off by default once the bot has an app id", () => {
    expect(loadConfig(registered()).simulation.enabled).to.equal(false);
    expect(loadConfig(registered({ MICROSOFT_SIMULATION: "off" })).simulation.enabled).to.equal(false);
  });

  it("refuses to start with MICROSOFT_SIMULATION=on and an app id, and says why: it must never answer for real tenants", () => {
    const problems = problemsOf(registered({ MICROSOFT_SIMULATION: "on" }));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.include("MICROSOFT_SIMULATION=on").and.include("MicrosoftAppId is set").and.include("real tenants");
  });

  it("refuses a value other than on or off and names the setting", () => {
    expect(problemsOf({ MICROSOFT_SIMULATION: "yes" })).to.deep.equal(["MICROSOFT_SIMULATION must be on or off"]);
  });

  it("refuses a MICROSOFT_SIMULATION_PORT that is not a port and names it", () => {
    expect(problemsOf({ MICROSOFT_SIMULATION_PORT: "70000" })[0]).to.include("MICROSOFT_SIMULATION_PORT");
  });
});
