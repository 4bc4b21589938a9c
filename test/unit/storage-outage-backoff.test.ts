import { expect } from "chai";
import { pino } from "pino";
import { Writable } from "node:stream";
import { StorageOutageBackoff } from "../../src/storage/outageBackoff.js";
import { StorageTimeoutError } from "../../src/storage/timeouts.js";

/** The log lines written, parsed: the backoff promises one line per failed pass and one when storage is back. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

describe("storage outage backoff of the background loops", () => {
  const hung = () => new StorageTimeoutError("storage: no answer within 2000 ms");

  it("waits longer after each pass storage did not answer, doubling up to the cap, and never less than the interval", () => {
    const { logger } = recordingLogger();
    const backoff = new StorageOutageBackoff(logger, "outbox", 30_000);
    const waits = Array.from({ length: 6 }, () => backoff.after(hung(), 2_000));
    expect(waits).to.deep.equal([4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoff.backingOff).to.equal(true);
    expect(new StorageOutageBackoff(logger, "scheduler", 30_000).after(hung(), 3_600_000)).to.equal(
      3_600_000,
      "a loop with a long interval is not run sooner because of an outage",
    );
  });

  it("logs one line per failed pass and one when storage answers again, then runs at the usual interval", async () => {
    const { logger, lines } = recordingLogger();
    const backoff = new StorageOutageBackoff(logger, "gdapSync");
    backoff.after(hung(), 1_000);
    backoff.after(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), 1_000);
    expect(backoff.after(undefined, 1_000)).to.equal(1_000);
    expect(backoff.after(undefined, 1_000)).to.equal(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => l["msg"])).to.deep.equal([
      "storage does not answer: the loop backs off",
      "storage does not answer: the loop backs off",
      "storage answers again: the loop resumes",
    ]);
    expect(lines[1]).to.include({ loop: "gdapSync", failedPasses: 2, waitMs: 4_000 });
    expect(backoff.backingOff).to.equal(false);
  });

  it("leaves other failures to the loop (no backoff, no line of its own)", async () => {
    const { logger, lines } = recordingLogger();
    const backoff = new StorageOutageBackoff(logger, "outbox");
    expect(backoff.after(new TypeError("a bug"), 2_000)).to.equal(undefined);
    expect(backoff.backingOff).to.equal(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).to.have.length(0);
  });
});
