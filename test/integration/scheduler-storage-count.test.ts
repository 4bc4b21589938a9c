import { expect } from "chai";
import { pino } from "pino";
import { StorageCounter, type StorageCall } from "../../bench/lib/storageCounter.js";
import { loadConfig, type Config } from "../../src/config.js";
import { write } from "../../src/domain/decision.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { endMoments } from "../../src/domain/expiryWarning.js";
import { expiryItem, nextThresholdAfter } from "../../src/jobs/expiry/expiryIndex.js";
import { createScheduler } from "../../src/jobsWiring.js";
import { createTableClients, openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables, sharedAzurite } from "../helpers/azurite.js";
import { ManualClock } from "../helpers/manualClock.js";

/*
 * Issue 13, item 6: the daily run's cost grows with what is due, not with the tables. 10,000 relationships across
 * 1,000 customer tenants, their ends spread over two years; the storage requests of one day's run are counted on the
 * wire (a pipeline policy on the scheduler's own table clients). The numbers are in bench/RESULTS.md.
 */
const TENANTS = 1_000;
const PER_TENANT = 10;
const START = "2027-01-01T00:00:00.000Z";
const SPREAD_DAYS = 730;
const THRESHOLDS = [30, 7, 1, 0];
const TENANT = (i: number) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, "0")}`;
/** Relationship k ends 40 + (k mod 730) days after START, at 14:00: about 14 end on any day. */
const endOf = (k: number) => addDays(addDays(START, 40 + (k % SPREAD_DAYS)), 14 / 24);

const relationships = (): Relationship[] =>
  Array.from({ length: TENANTS * PER_TENANT }, (_, k) => ({
    tenantId: TENANT(Math.floor(k / PER_TENANT)),
    partnerId: `partner-${k % PER_TENANT}`,
    partnerName: `Partner ${k % PER_TENANT}`,
    types: ["resellerAndDelegatedAdministrator"],
    roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: endOf(k) }],
    agreement: { status: "accepted", version: "2024-06" },
    status: "active",
    since: "2026-01-01T00:00:00.000Z",
    endsAt: endOf(k),
  }));

/** Runs `work` on SLICES groups of the values at once, every value of one group key in the same slice. */
async function inSlices<T>(values: readonly T[], group: (value: T) => string, work: (slice: T[]) => Promise<void>): Promise<void> {
  const SLICES = 8;
  const slices: T[][] = Array.from({ length: SLICES }, () => []);
  const slot = new Map<string, number>();
  for (const value of values) {
    const key = group(value);
    if (!slot.has(key)) slot.set(key, slot.size % SLICES);
    slices[slot.get(key)!]!.push(value);
  }
  await Promise.all(slices.map(work));
}

const count = (calls: StorageCall[], what: (w: string) => boolean) => calls.filter((c) => what(c.what)).length;

describe("scheduler: storage requests of the daily run over 10,000 relationships in 1,000 tenants", function () {
  this.timeout(240_000);
  const counter = new StorageCounter();
  const clock = new ManualClock(START);
  let scheduler: ReturnType<typeof createScheduler>;
  let all: Relationship[];
  let config: Config;
  let counted: Storage;
  const DAY = "2027-04-11"; // START + 100 days

  before(async () => {
    const { tables, prefix } = await freshTables();
    Object.assign(counter, { tablePrefix: prefix });
    const seeding = openStorage(tables);
    all = relationships();
    // Set the scene in parallel slices (a tenant's rows, and a day's index entries, stay in one slice).
    const started = Date.now();
    await inSlices(
      all,
      (r) => r.tenantId,
      (slice) => seeding.seed.createAll(slice.map((r) => write.relationship(r))),
    );
    // The index as the chains left it on the eve of DAY: each end's next warning (every earlier one has run).
    const eve = new Date(Date.parse(`${DAY}T00:00:00.000Z`) - 1);
    const items = all.flatMap((r) =>
      endMoments(r).flatMap((m) => {
        const next = nextThresholdAfter(m.endsAt, THRESHOLDS, eve);
        return next === undefined ? [] : [expiryItem(r, m.endsAt, next)];
      }),
    );
    await inSlices(
      items,
      (i) => i.dueAt.slice(0, 10),
      (slice) => seeding.schedule.atMany(slice, clock.now()),
    );
    console.log(`      scene: ${all.length} relationships, ${items.length} index entries, set in ${Date.now() - started} ms`);
    const azurite = await sharedAzurite();
    config = loadConfig({ TABLES_CONNECTION_STRING: azurite.connectionString, EXPIRY_WARNING_DAYS: THRESHOLDS.join(",") });
    counted = openStorage(
      createTableClients({ kind: "connectionString", connectionString: azurite.connectionString }, prefix, {
        additionalPolicies: [counter.policy],
      }),
    );
    scheduler = createScheduler(
      config,
      { storage: counted, clock, logger: pino({ level: "silent" }) },
      { owner: "bench", intervalMs: 0, sweepIntervalMs: 0 },
    );
    // The run of the day before: the deployment has been running; yesterday's work is done.
    clock.set(`${addDays(`${DAY}T06:00:00.000Z`, -1)}`);
    await scheduler.runNow();
  });

  it("reads only the due day's index partition and the due relationships: about 5 requests per warning, none per tenant", async () => {
    const dueOnDay = (r: Relationship, t: number) => addDays(r.endsAt!, -t).slice(0, 10) === DAY;
    const due = all.filter((r) => THRESHOLDS.some((t) => dueOnDay(r, t))).length;
    // Every warning but the last of its end indexes the next one (the chain: a commit indexes only its head).
    const chained = all.filter((r) => THRESHOLDS.some((t) => t !== Math.min(...THRESHOLDS) && dueOnDay(r, t))).length;
    clock.set(`${DAY}T06:00:00.000Z`);
    counter.start();
    const report = await scheduler.runNow();
    const calls = await counter.stop(50);
    expect(report.kind === "ran" && report.done).to.equal(due);
    const queries = calls.filter((c) => c.what.startsWith("query"));
    // Yesterday's partition (not completed until the day is over and settled) and today's: two queries, both of the index.
    expect(queries.map((c) => c.what)).to.deep.equal(["query schedule", "query schedule"]);
    expect(count(calls, (w) => w.startsWith("point read tenant rel|"))).to.equal(due);
    // Whether the admins chose "Let it end"; the warning's marker is not read first: creating it is the check.
    expect(count(calls, (w) => w.startsWith("point read tenant letend|"))).to.equal(due);
    expect(count(calls, (w) => w.startsWith("point read tenant warn|"))).to.equal(0);
    expect(count(calls, (w) => w.startsWith("entity group transaction"))).to.equal(due);
    expect(count(calls, (w) => w.startsWith("delete schedule"))).to.equal(due);
    expect(count(calls, (w) => w.startsWith("upsert/replace schedule") && !w.includes("runner|"))).to.equal(chained);
    expect(chained, "the day has warnings that chain, and ones that end their chain").to.be.within(1, due - 1);
    // The lease: read, taken, given back.
    expect(calls.length).to.equal(4 * due + chained + 2 + 3);
    expect(calls.length, "far fewer than one request per tenant").to.be.below(TENANTS / 2);
    // What bench/RESULTS.md reports.
    console.log(`      daily run: ${due} warnings due, ${calls.length} storage requests, of 10,000 relationships in 1,000 tenants`);
  });

  it("a day with nothing due costs five requests", async () => {
    // A runner of its own name (its own lease row and progress), on days before the first warning is due.
    const quiet = createScheduler(
      config,
      { storage: counted, clock, logger: pino({ level: "silent" }) },
      {
        name: "quiet",
        owner: "bench",
        intervalMs: 0,
        sweepIntervalMs: 0,
      },
    );
    clock.set("2027-01-02T06:00:00.000Z");
    await quiet.runNow();
    clock.set("2027-01-03T06:00:00.000Z");
    counter.start();
    await quiet.runNow();
    const calls = await counter.stop(50);
    expect(calls.map((c) => c.what)).to.deep.equal([
      "point read schedule runner|…",
      "upsert/replace schedule runner|…",
      "query schedule",
      "query schedule",
      "upsert/replace schedule runner|…",
    ]);
  });

  it("the sweep, the safety net run at most once per SCHEDULE_SWEEP_HOURS, is the one thing that reads every tenant", async () => {
    const sweeping = createScheduler(
      config,
      { storage: counted, clock, logger: pino({ level: "silent" }) },
      {
        name: "sweeping",
        owner: "bench",
        intervalMs: 0,
        sweepIntervalMs: 86_400_000,
      },
    );
    clock.set(`${DAY}T06:00:00.000Z`);
    counter.start();
    const report = await sweeping.runNow();
    const calls = await counter.stop(50);
    const scan = count(calls, (w) => w === "query tenant rel|…");
    expect(report.kind === "ran" && report.swept).to.be.greaterThan(0);
    expect(scan, "the scan is paged (1,000 rows a page)").to.be.at.least(Math.ceil(all.length / 1000));
    console.log(
      `      sweep: ${calls.length} storage requests (${scan} pages of the scan), ${report.kind === "ran" ? report.swept : 0} entries re-indexed`,
    );
  });
});
