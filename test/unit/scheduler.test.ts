import { expect } from "chai";
import { pino } from "pino";
import type { ScheduleEntry, SchedulerState } from "../../src/domain/schedule.js";
import type { Versioned } from "../../src/domain/versioned.js";
import type { DueIndex, SchedulerStateStore } from "../../src/jobs/ports.js";
import type { DueItem, JobOutcome, ScheduledJob } from "../../src/jobs/scheduledJob.js";
import { Scheduler, SCHEDULER_DEFAULTS } from "../../src/jobs/scheduler.js";
import { ManualClock } from "../helpers/manualClock.js";

/*
 * The scheduler's own rules, on in-memory ports (Azurite: test/integration/scheduler.test.ts): the lease kept through
 * a long day, a lost lease stops the pass, retries and unknown jobs stay in the index and keep their day open.
 */
class MemoryIndex implements DueIndex {
  readonly days = new Map<string, Map<string, ScheduleEntry>>();
  async at(item: DueItem, now: Date): Promise<void> {
    const due = Date.parse(item.dueAt) <= now.getTime() ? now : new Date(item.dueAt);
    const day = due.toISOString().slice(0, 10);
    if (!this.days.has(day)) this.days.set(day, new Map());
    this.days.get(day)!.set(`${item.job}|${item.tenantId}|${item.key}`, { ...item, day });
  }
  async atMany(items: readonly DueItem[], now: Date): Promise<void> {
    for (const item of items) await this.at(item, now);
  }
  async dueOn(day: string): Promise<ScheduleEntry[]> {
    return [...(this.days.get(day)?.values() ?? [])];
  }
  async remove(entry: ScheduleEntry): Promise<void> {
    this.days.get(entry.day)?.delete(`${entry.job}|${entry.tenantId}|${entry.key}`);
  }
  keys = (): string[] => [...this.days.values()].flatMap((d) => [...d.values()].map((e) => `${e.day} ${e.key}`));
}

class MemoryState implements SchedulerStateStore {
  row: Versioned<SchedulerState> | undefined;
  private version = 0;
  saves = 0;
  async getState(): Promise<Versioned<SchedulerState> | undefined> {
    return this.row;
  }
  async saveState(value: SchedulerState, read: Versioned<SchedulerState> | undefined): Promise<Versioned<SchedulerState> | undefined> {
    if ((read?.etag ?? "") !== (this.row?.etag ?? "")) return undefined;
    this.saves++;
    this.row = { value, etag: String(++this.version) };
    return this.row;
  }
}

const item = (key: string, dueAt: string): DueItem => ({ job: "test", tenantId: "t1", key, dueAt });

function setup(run: (item: DueItem, now: Date) => Promise<JobOutcome>) {
  const clock = new ManualClock("2027-03-01T06:00:00.000Z");
  const index = new MemoryIndex();
  const state = new MemoryState();
  const ran: string[] = [];
  const job: ScheduledJob = {
    name: "test",
    run: async (i, now) => {
      ran.push(i.key);
      return run(i, now);
    },
  };
  const scheduler = new Scheduler(
    { index, state, jobs: [job], clock, logger: pino({ level: "silent" }) },
    { ...SCHEDULER_DEFAULTS, owner: "me", intervalMs: 0, leaseMs: 120_000, sweepIntervalMs: 0 },
  );
  return { clock, index, state, ran, scheduler };
}

describe("scheduler: lease and index rules", () => {
  it("keeps its lease through a day longer than one lease: it never runs out while an entry runs", async () => {
    const w = setup(async () => {
      expect(Date.parse(w.state.row!.value.until!), "the lease still held").to.be.greaterThan(w.clock.now().getTime());
      w.clock.advanceMs(70_000); // each entry takes more than half a lease
      return { kind: "done" };
    });
    for (const k of ["a", "b", "c", "d", "e"]) await w.index.at(item(k, "2027-03-01T00:00:00.000Z"), w.clock.now());
    const report = await w.scheduler.runNow();
    expect(report.kind === "ran" && report.done).to.equal(5);
    expect(w.state.saves, "taken, renewed several times, given back").to.be.greaterThan(3);
    expect(w.state.row?.value.owner).to.equal(undefined);
    expect(w.index.keys()).to.deep.equal([]);
  });

  it("stops the pass when another instance took the lease, leaving the rest in the index", async () => {
    const w = setup(async (i) => {
      if (i.key === "b") {
        w.clock.advanceMs(130_000); // this instance stalled past its lease; another took it over
        await w.state.saveState({ name: "scheduler", owner: "other", until: "2027-03-01T07:00:00.000Z" }, w.state.row);
      }
      return { kind: "done" };
    });
    for (const k of ["a", "b", "c"]) await w.index.at(item(k, "2027-03-01T00:00:00.000Z"), w.clock.now());
    await w.scheduler.runNow();
    expect(w.ran).to.deep.equal(["a", "b"]);
    expect(w.index.keys(), "b finished before the loss was seen; c is left for the new holder").to.deep.equal(["2027-03-01 c"]);
    expect(w.state.row?.value.owner).to.equal("other");
    expect((await w.scheduler.runNow()).kind).to.equal("leasedByOther");
  });

  it("moves a retry to its day, leaves an entry of an unknown job, and completes a day only when it is empty", async () => {
    const w = setup(async (i) => (i.key === "later" ? { kind: "retry", at: "2027-03-03T09:00:00.000Z" } : { kind: "done" }));
    await w.index.at(item("later", "2027-03-01T00:00:00.000Z"), w.clock.now());
    await w.index.at({ ...item("unknown", "2027-03-01T00:00:00.000Z"), job: "fromANewerVersion" }, w.clock.now());
    await w.scheduler.runNow();
    w.clock.set("2027-03-02T06:00:00.000Z");
    const report = await w.scheduler.runNow();
    expect(report.kind === "ran" && report.days).to.deep.equal(["2027-03-01", "2027-03-02"]);
    expect(w.index.keys()).to.deep.equal(["2027-03-01 unknown", "2027-03-03 later"]);
    expect(w.state.row?.value.lastCompletedDay, "Mar 1 still holds an entry: read again next pass").to.equal("2027-02-28");
  });
});
