import { expect } from "chai";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { write } from "../../src/domain/decision.js";
import { addDays } from "../../src/domain/time.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { letItEndDecision } from "../../src/domain/expiryDecisions.js";
import { ExpiryWarningJob } from "../../src/jobs/expiry/expiryJob.js";
import { EXPIRY_JOB } from "../../src/jobs/expiry/expiryIndex.js";
import type { Scheduler } from "../../src/jobs/scheduler.js";
import { createScheduler, expiryIndexer } from "../../src/jobsWiring.js";
import { openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";
import { partitionRows, rowsOfKind } from "../helpers/journey.js";
import { ManualClock } from "../helpers/manualClock.js";

/*
 * The scheduler against Azurite: the lease with two runners, each warning once (even when both run it), days missed
 * while the bot was down, late warnings, renewed relationships, and a crashed holder's lease taken over.
 */
const config = loadConfig({ TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true", SCHEDULE_INTERVAL_SECONDS: "0" });
const logger = pino({ level: "silent" });
const TENANT = (i: number) => `c0ffee00-0000-4000-8000-${String(i).padStart(12, "0")}`;
const ENDS = "2027-03-31T14:00:00.000Z";

const relationship = (tenant: string, partnerId: string, endsAt = ENDS): Relationship => ({
  tenantId: tenant,
  partnerId,
  partnerName: `Partner ${partnerId}`,
  types: ["resellerAndDelegatedAdministrator"],
  roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: endsAt }],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: "2026-01-01T00:00:00.000Z",
  endsAt,
});

interface World {
  storage: Storage;
  clock: ManualClock;
  runner(owner: string): Scheduler;
}

async function world(start: string): Promise<World> {
  const { tables } = await freshTables();
  const clock = new ManualClock(start);
  const holder: { storage?: Storage } = {};
  const storage = openStorage(tables, {
    afterCommit: (d) => expiryIndexer(config, { storage: holder.storage!, clock, logger }).afterCommit(d),
  });
  holder.storage = storage;
  return {
    storage,
    clock,
    runner: (owner) => createScheduler(config, { storage, clock, logger }, { owner, intervalMs: 0, sweepIntervalMs: 0 }),
  };
}

const warningsOf = async (storage: Storage, tenant: string) => {
  const rows = await partitionRows(storage.tables.client("tenant"), tenant);
  return {
    markers: rowsOfKind(rows, "warn")
      .map((r) => `${r["partnerId"]}:${r["daysBefore"]}${r["late"] ? " late" : ""}`)
      .sort(),
    outbox: rowsOfKind(rows, "outbox").filter((r) => r["type"] === "expiryWarning").length,
    audit: rowsOfKind(rows, "audit").filter((r) => r["action"] === "expiry.warned").length,
  };
};

describe("scheduler: expiry warnings against Table Storage", function () {
  this.timeout(60_000);

  it("indexes the first warning after the commit, and each warning the next one when it runs, on their due days", async () => {
    const w = await world("2026-12-01T10:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const dueDays = ["2027-03-01", "2027-03-24", "2027-03-30", "2027-03-31"];
    const keysByDay = async () => (await Promise.all(dueDays.map((d) => w.storage.schedule.dueOn(d)))).map((es) => es.map((e) => e.key));
    // One row on the committing turn: the head of the end's chain.
    expect(await keysByDay()).to.deep.equal([[`p1|${ENDS}|30`], [], [], []]);
    const runner = w.runner("instance-a");
    await runner.runNow();
    const chain: string[][][] = [];
    for (const day of dueDays) {
      w.clock.set(`${day}T06:00:00.000Z`);
      await runner.runNow();
      chain.push(await keysByDay());
    }
    // Each run leaves its own day and indexes the next threshold's; the on-the-day warning ends the chain.
    expect(chain).to.deep.equal([
      [[], [`p1|${ENDS}|7`], [], []],
      [[], [], [`p1|${ENDS}|1`], []],
      [[], [], [], [`p1|${ENDS}|0`]],
      [[], [], [], []],
    ]);
    expect((await warningsOf(w.storage, TENANT(1))).markers).to.deep.equal(["p1:0", "p1:1", "p1:30", "p1:7"]);
  });

  it("two runners at once: one holds the lease, the other waits; every warning goes out once", async () => {
    const w = await world("2027-02-28T10:00:00.000Z");
    for (let i = 0; i < 3; i++)
      await w.storage.decisions.commit({ tenantId: TENANT(i), writes: [write.relationship(relationship(TENANT(i), "p1"))] });
    const [a, b] = [w.runner("instance-a"), w.runner("instance-b")];
    await a.runNow(); // the first pass of the deployment starts today
    for (const day of ["2027-03-01", "2027-03-24", "2027-03-30", "2027-03-31", "2027-04-01"]) {
      w.clock.set(`${day}T06:00:00.000Z`);
      const reports = await Promise.all([a.runNow(), b.runNow()]);
      expect(reports.map((r) => r.kind).sort(), day).to.deep.equal(["leasedByOther", "ran"]);
    }
    for (let i = 0; i < 3; i++) {
      const sent = await warningsOf(w.storage, TENANT(i));
      expect(sent.markers).to.deep.equal(["p1:0", "p1:1", "p1:30", "p1:7"]);
      expect(sent.outbox, "one card to the admins and one to the partner, per warning").to.equal(8);
      expect(sent.audit).to.equal(4);
    }
  });

  it("sends a warning once even when two instances run it at the same moment (the marker, not the lease)", async () => {
    const w = await world("2027-03-24T06:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const job = () => new ExpiryWarningJob({ ...w.storage, thresholds: [30, 7, 1, 0] });
    const item = { job: EXPIRY_JOB, tenantId: TENANT(1), key: `p1|${ENDS}|7`, dueAt: "2027-03-24T00:00:00.000Z" };
    const outcomes = await Promise.all([job().run(item, w.clock.now()), job().run(item, w.clock.now()), job().run(item, w.clock.now())]);
    expect(outcomes.filter((o) => o.kind === "done")).to.have.length(1);
    expect(outcomes.filter((o) => o.kind === "skipped")).to.have.length(2);
    expect((await warningsOf(w.storage, TENANT(1))).outbox).to.equal(2);
  });

  it("a warning whose next link could not be indexed runs again and indexes it then, sending nothing twice", async () => {
    const w = await world("2027-03-24T06:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const item = { job: EXPIRY_JOB, tenantId: TENANT(1), key: `p1|${ENDS}|7`, dueAt: "2027-03-24T00:00:00.000Z" };
    const broken = new ExpiryWarningJob({
      ...w.storage,
      schedule: { at: () => Promise.reject(new Error("storage is out")) },
      thresholds: [30, 7, 1, 0],
    });
    let failure: unknown;
    await broken.run(item, w.clock.now()).catch((error: unknown) => (failure = error));
    expect(String(failure), "the run fails, so the scheduler keeps the entry").to.include("storage is out");
    expect(await w.storage.schedule.dueOn("2027-03-30")).to.deep.equal([]);
    const again = await new ExpiryWarningJob({ ...w.storage, schedule: w.storage.schedule, thresholds: [30, 7, 1, 0] }).run(
      item,
      w.clock.now(),
    );
    expect(again).to.deep.equal({ kind: "skipped", why: "already sent" });
    expect((await w.storage.schedule.dueOn("2027-03-30")).map((e) => e.key)).to.deep.equal([`p1|${ENDS}|1`]);
    expect((await warningsOf(w.storage, TENANT(1))).outbox, "one card to each side, once").to.equal(2);
  });

  it("runs the days it missed while down: one late warning for the most urgent threshold, then the rest on their days", async () => {
    const w = await world("2027-02-20T10:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const runner = w.runner("instance-a");
    await runner.runNow();
    w.clock.set("2027-03-26T09:00:00.000Z"); // down from Feb 20 to Mar 26: the 30- and 7-day warnings' days passed
    const report = await runner.runNow();
    expect(report.kind === "ran" && report.days[0]).to.equal("2027-02-20");
    expect(report.kind === "ran" && report.days.at(-1)).to.equal("2027-03-26");
    expect((await warningsOf(w.storage, TENANT(1))).markers).to.deep.equal(["p1:7 late"]);
    w.clock.set("2027-03-30T09:00:00.000Z");
    await runner.runNow();
    w.clock.set("2027-04-01T09:00:00.000Z"); // down on the day it ended: the 0-day warning goes out the day after
    await runner.runNow();
    await runner.runNow();
    expect((await warningsOf(w.storage, TENANT(1))).markers).to.deep.equal(["p1:0 late", "p1:1", "p1:7 late"]);
    expect((await w.storage.schedule.getState("scheduler"))?.value.lastCompletedDay).to.equal("2027-03-31");
  });

  it("sends nothing for the old end of a relationship renewed meanwhile, and warns about the new one", async () => {
    const w = await world("2027-02-20T10:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const runner = w.runner("instance-a");
    await runner.runNow();
    const read = await w.storage.relationships.get(TENANT(1), "p1");
    const renewedTo = addDays(ENDS, 180);
    await w.storage.decisions.commit(
      { tenantId: TENANT(1), writes: [write.relationship({ ...relationship(TENANT(1), "p1", renewedTo) })] },
      [read],
    );
    for (const day of ["2027-03-01", "2027-03-24", "2027-03-31", "2027-04-02"]) {
      w.clock.set(`${day}T06:00:00.000Z`);
      await runner.runNow();
    }
    expect((await warningsOf(w.storage, TENANT(1))).markers).to.deep.equal([]);
    // The new end's chain starts with its 30-day warning; the later ones are indexed as each one runs.
    const firstOfNewEnd = addDays(renewedTo, -30).slice(0, 10);
    expect((await w.storage.schedule.dueOn(firstOfNewEnd)).map((e) => e.key)).to.deep.equal([`p1|${renewedTo}|30`]);
    expect(await w.storage.schedule.dueOn(renewedTo.slice(0, 10))).to.deep.equal([]);
  });

  it("after an admin lets an end come, its later warnings go to the partner only, and a second admin's choice is kept", async () => {
    const w = await world("2027-03-01T06:00:00.000Z");
    await w.storage.decisions.commit({ tenantId: TENANT(1), writes: [write.relationship(relationship(TENANT(1), "p1"))] });
    const runner = w.runner("instance-a");
    await runner.runNow(); // the 30-day warning: both sides
    const rel = (await w.storage.relationships.get(TENANT(1), "p1"))!.value;
    const ctx = (userId: string) => ({
      tenantId: TENANT(1),
      actor: { userId, name: userId },
      now: w.clock.now().toISOString(),
      correlationId: `let-${userId}`,
      newId: () => `${userId}-${Math.random()}`,
    });
    for (const admin of ["admin-a", "admin-b"])
      expect((await w.storage.decisions.commit(letItEndDecision(rel, ENDS, ctx(admin)))).ok, admin).to.equal(true);
    expect((await w.storage.expiryWarnings.letItEnd(TENANT(1), "p1", ENDS))?.value.by.userId).to.equal("admin-b");
    for (const day of ["2027-03-24", "2027-03-30", "2027-03-31"]) {
      w.clock.set(`${day}T06:00:00.000Z`);
      await runner.runNow();
    }
    const rows = await partitionRows(w.storage.tables.client("tenant"), TENANT(1));
    const cards = rowsOfKind(rows, "outbox")
      .filter((r) => r["type"] === "expiryWarning")
      .map((r) => `${JSON.parse(String(r["recipient"]))["kind"]}:${JSON.parse(String(r["payload"]))["daysBefore"]}`)
      .sort();
    expect(cards).to.deep.equal(["partner:0", "partner:1", "partner:30", "partner:7", "tenantAdmins:30"]);
    expect(rowsOfKind(rows, "audit").filter((r) => r["action"] === "expiry.letEnd")).to.have.length(2);
    expect((await warningsOf(w.storage, TENANT(1))).markers, "every warning is still sent once").to.deep.equal([
      "p1:0",
      "p1:1",
      "p1:30",
      "p1:7",
    ]);
  });

  it("sweeps at most once per interval, and indexes what a crash between commit and index write left out", async () => {
    const w = await world("2027-03-24T06:00:00.000Z");
    // Written without the commit's index write: as if the instance crashed right after the commit.
    await w.storage.seed.create(write.relationship(relationship(TENANT(1), "p1")));
    const sweeping = createScheduler(
      config,
      { storage: w.storage, clock: w.clock, logger },
      { owner: "a", intervalMs: 0, sweepIntervalMs: 86_400_000 },
    );
    const first = await sweeping.runNow();
    expect(first.kind === "ran" && first.swept).to.be.greaterThan(0);
    expect((await warningsOf(w.storage, TENANT(1))).markers).to.deep.equal(["p1:7"]);
    w.clock.advanceDays(0.5);
    const again = await sweeping.runNow();
    expect(again.kind === "ran" && again.swept, "no second sweep within the interval").to.equal(undefined);
    w.clock.advanceDays(0.6);
    const next = await sweeping.runNow();
    expect(next.kind === "ran" && next.swept).to.be.a("number");
  });

  it("takes over the lease of an instance that crashed once the lease ran out", async () => {
    const w = await world("2027-03-24T06:00:00.000Z");
    await w.storage.schedule.saveState({ name: "scheduler", owner: "crashed", until: "2027-03-24T06:01:00.000Z" }, undefined);
    const runner = w.runner("instance-a");
    expect((await runner.runNow()).kind).to.equal("leasedByOther");
    w.clock.advanceMs(61_000);
    expect((await runner.runNow()).kind).to.equal("ran");
    expect((await w.storage.schedule.getState("scheduler"))?.value.owner).to.equal(undefined);
  });
});
