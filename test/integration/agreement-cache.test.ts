import { expect } from "chai";
import { MCA_TEMPLATE_ID, type Agreement } from "../../src/domain/agreement.js";
import { AgreementRepository } from "../../src/storage/repositories/agreements.js";
import { createTableClients, type TablePipelinePolicies } from "../../src/storage/tables.js";
import { freshTables } from "../helpers/azurite.js";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const version = (v: string, effectiveFrom: string): Agreement => ({
  version: v,
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "a".repeat(64),
  effectiveFrom,
  templateId: MCA_TEMPLATE_ID,
});

/** Counts the requests a set of table clients sends, so a test can tell a cache hit from a read. */
function requestCounter(): { count: () => number; policies: TablePipelinePolicies } {
  let n = 0;
  return {
    count: () => n,
    policies: [{ position: "perCall", policy: { name: "countRequests", sendRequest: (request, next) => (n++, next(request)) } }],
  };
}

describe("the agreement's versions, cached in memory", function () {
  this.timeout(30_000);
  let cached: AgreementRepository;
  let publisher: AgreementRepository;
  let requests: ReturnType<typeof requestCounter>;
  let clock: number;

  beforeEach(async () => {
    const { prefix, connectionString } = await freshTables();
    requests = requestCounter();
    clock = 1_000_000;
    const counted = createTableClients({ kind: "connectionString", connectionString }, prefix, { additionalPolicies: requests.policies });
    const plain = createTableClients({ kind: "connectionString", connectionString }, prefix);
    cached = new AgreementRepository(counted.client("agreements"), { ttlMs: 60_000, clock: () => clock });
    // Another process: it writes the table directly, so `cached` cannot know.
    publisher = new AgreementRepository(plain.client("agreements"));
    await publisher.upsert(version("2026-01", "2026-01-01T00:00:00.000Z"));
  });

  it("reads storage once and then answers from memory until the TTL passes", async () => {
    expect((await cached.current(NOW))?.version).to.equal("2026-01");
    expect((await cached.current(NOW))?.version).to.equal("2026-01");
    expect(requests.count()).to.equal(1);
  });

  it("shows a version published by another process once the TTL has passed, not before", async () => {
    await cached.current(NOW);
    await publisher.upsert(version("2026-11", "2026-11-01T00:00:00.000Z"));
    clock += 59_999;
    expect((await cached.current(NOW))?.version).to.equal("2026-01");
    clock += 1;
    expect((await cached.current(NOW))?.version).to.equal("2026-11");
  });

  it("shows a version it published itself at once", async () => {
    await cached.current(NOW);
    await cached.upsert(version("2026-11", "2026-11-01T00:00:00.000Z"));
    expect((await cached.current(NOW))?.version).to.equal("2026-11");
  });

  it("switches to a version that becomes effective later at its time, from the list it already holds", async () => {
    await publisher.upsert(version("2027-01", "2027-01-01T00:00:00.000Z"));
    expect((await cached.current(NOW))?.version).to.equal("2026-01");
    const before = requests.count();
    expect((await cached.current(new Date("2027-01-01T00:00:00.000Z")))?.version).to.equal("2027-01");
    expect(requests.count()).to.equal(before);
  });

  it("shares one read between turns that ask at the same moment", async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => cached.current(NOW)));
    expect(answers.map((a) => a?.version)).to.deep.equal(Array(20).fill("2026-01"));
    expect(requests.count()).to.equal(1);
  });

  it("reads storage every time when the TTL is 0", async () => {
    const { prefix, connectionString } = await freshTables();
    const counter = requestCounter();
    const clients = createTableClients({ kind: "connectionString", connectionString }, prefix, { additionalPolicies: counter.policies });
    const uncached = new AgreementRepository(clients.client("agreements"), { ttlMs: 0 });
    await uncached.upsert(version("2026-01", "2026-01-01T00:00:00.000Z"));
    const afterWrite = counter.count();
    await uncached.current(NOW);
    await uncached.current(NOW);
    expect(counter.count() - afterWrite).to.equal(2);
  });

  it("reads again after a failed read instead of keeping the failure", async () => {
    const { prefix, connectionString } = await freshTables();
    let storageDown = true;
    const outage: TablePipelinePolicies = [
      {
        position: "perCall",
        policy: {
          name: "outage",
          sendRequest: (request, next) => (storageDown ? Promise.reject(new Error("storage is down")) : next(request)),
        },
      },
    ];
    const clients = createTableClients({ kind: "connectionString", connectionString }, prefix, { additionalPolicies: outage });
    await new AgreementRepository(createTableClients({ kind: "connectionString", connectionString }, prefix).client("agreements")).upsert(
      version("2026-01", "2026-01-01T00:00:00.000Z"),
    );
    const repo = new AgreementRepository(clients.client("agreements"), { ttlMs: 60_000, clock: () => clock });
    let error: unknown;
    await repo.current(NOW).catch((e: unknown) => (error = e));
    expect(String(error)).to.include("storage is down");
    storageDown = false;
    expect((await repo.current(NOW))?.version).to.equal("2026-01");
  });
});
