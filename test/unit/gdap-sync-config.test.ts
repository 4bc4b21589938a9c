import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";
import { jitteredWait } from "../../src/gdapSync/engine.js";

/* The status sync's schedule: GDAP_SYNC_INTERVAL_SECONDS, and the jitter that keeps instances from syncing in step. */
const base = { TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true" };

describe("GDAP_SYNC_INTERVAL_SECONDS", () => {
  it("defaults to 300 seconds, jittered by 20 %", () => {
    expect(loadConfig(base).gdapSync).to.deep.equal({ intervalMs: 300_000, jitter: 0.2 });
  });

  it("takes 0 to turn the schedule off, and any whole number of seconds up to a day", () => {
    expect(loadConfig({ ...base, GDAP_SYNC_INTERVAL_SECONDS: "0" }).gdapSync.intervalMs).to.equal(0);
    expect(loadConfig({ ...base, GDAP_SYNC_INTERVAL_SECONDS: "86400" }).gdapSync.intervalMs).to.equal(86_400_000);
    expect(loadConfig({ ...base, GDAP_SYNC_INTERVAL_SECONDS: "" }).gdapSync.intervalMs, "blank is unset").to.equal(300_000);
  });

  it("refuses anything else, naming the setting", () => {
    for (const value of ["-1", "1.5", "five", "86401"]) {
      expect(() => loadConfig({ ...base, GDAP_SYNC_INTERVAL_SECONDS: value }), value)
        .to.throw(ConfigError)
        .with.property("message")
        .that.includes("GDAP_SYNC_INTERVAL_SECONDS");
    }
  });
});

describe("the schedule's jitter", () => {
  it("waits the interval ± 20 %: from 80 % to 120 % of it", () => {
    expect(jitteredWait(300_000, 0.2, 0)).to.equal(240_000);
    expect(jitteredWait(300_000, 0.2, 0.5)).to.equal(300_000);
    expect(jitteredWait(300_000, 0.2, 1)).to.equal(360_000);
  });
});
