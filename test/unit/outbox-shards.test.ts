import { expect } from "chai";
import { pino } from "pino";
import type { InstanceBeat, ShardLease } from "../../src/domain/outboxShards.js";
import type { Versioned } from "../../src/domain/versioned.js";
import type { ShardLeaseStore } from "../../src/outbox/shards/ports.js";
import { fairShare, overShare, planTick, preferenceOrder, shardOf, type LeaseView } from "../../src/outbox/shards/shareArithmetic.js";
import { ShardKeeper } from "../../src/outbox/shards/shardKeeper.js";
import { ManualClock } from "../helpers/manualClock.js";

/** Lease and heartbeat rows as Table Storage keeps them: every write gets a new ETag, a stale ETag is refused. */
class MemoryLeaseStore implements ShardLeaseStore {
  private etags = 0;
  readonly leaseRows = new Map<number, Versioned<ShardLease>>();
  readonly beatRows = new Map<string, Versioned<InstanceBeat>>();
  /** Fails every request while set (storage away). */
  down = false;

  private check(): void {
    if (this.down) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  }
  async beat(beat: InstanceBeat): Promise<void> {
    this.check();
    this.beatRows.set(beat.instanceId, { value: beat, etag: `W/${++this.etags}` });
  }
  async beats(): Promise<Array<Versioned<InstanceBeat>>> {
    this.check();
    return [...this.beatRows.values()];
  }
  async removeBeat(beat: Versioned<InstanceBeat>): Promise<void> {
    if (this.beatRows.get(beat.value.instanceId)?.etag === beat.etag) this.beatRows.delete(beat.value.instanceId);
  }
  async leases(): Promise<Array<Versioned<ShardLease>>> {
    this.check();
    return [...this.leaseRows.values()];
  }
  async writeLease(lease: ShardLease, read: Versioned<ShardLease> | undefined): Promise<Versioned<ShardLease> | undefined> {
    this.check();
    const current = this.leaseRows.get(lease.shard);
    if (read ? current?.etag !== read.etag : current !== undefined) return undefined;
    const written = { value: lease, etag: `W/${++this.etags}` };
    this.leaseRows.set(lease.shard, written);
    return written;
  }
}

const LEASE_MS = 30_000;
const SHARDS = 16;

describe("outbox shards", () => {
  describe("share arithmetic", () => {
    it("puts a tenant in the same shard every time, whatever its case, and spreads tenants over every shard", () => {
      const tenant = "C0000000-0000-4000-8000-000000000001";
      expect(shardOf(tenant, SHARDS)).to.equal(shardOf(tenant.toLowerCase(), SHARDS));
      const counts = new Array<number>(SHARDS).fill(0);
      for (let i = 0; i < 1_600; i++) counts[shardOf(`c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`, SHARDS)]!++;
      expect(Math.min(...counts)).to.be.greaterThan(50, "each shard gets a fair part of 1,600 tenants (100 on average)");
      expect(Math.max(...counts)).to.be.lessThan(150);
    });

    it("gives each live instance ceil(shards / instances), so together they cover every shard", () => {
      expect([1, 2, 3, 5, 16, 17].map((n) => fairShare(16, n))).to.deep.equal([16, 8, 6, 4, 1, 1]);
      expect(fairShare(16, 0)).to.equal(16, "an instance always counts itself");
    });

    it("visits every shard once in an instance's preference order", () => {
      expect([...preferenceOrder("bot-a", SHARDS)].sort((a, b) => a - b)).to.deep.equal([...Array(SHARDS).keys()]);
    });

    const leases = (entries: Array<[number, string | undefined, number]>) =>
      new Map<number, LeaseView>(entries.map(([shard, owner, until]) => [shard, { owner, until }]));

    it("alone, takes every shard; one of three takes its share of six", () => {
      expect(planTick({ shards: SHARDS, me: "a", live: [], leases: new Map(), now: 0 }).take).to.have.length(16);
      const third = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: new Map(), now: 0 });
      expect(third).to.deep.include({ target: 6 });
      expect(third.take).to.have.length(6);
    });

    it("gives back what it holds beyond its share when others arrive, and renews the rest", () => {
      const held = leases(Array.from({ length: 8 }, (_, s): [number, string, number] => [s, "a", 10_000]));
      const plan = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: held, now: 0 });
      expect(plan.renew).to.have.length(6);
      expect(plan.release).to.have.length(2);
      expect([...plan.renew, ...plan.release].sort((x, y) => x - y)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(plan.take).to.deep.equal([]);
    });

    describe("busy shards (a backlog in hand) are shared fairly too", () => {
      // Five tenants with a fan-out each, one per shard, as in the scale-out benchmark: 5 busy shards of 16.
      const BUSY = [1, 4, 8, 11, 14];
      const view = (entries: Array<[number, string | undefined, number, boolean?]>) =>
        new Map<number, LeaseView>(entries.map(([shard, owner, until, busy]) => [shard, { owner, until, busy: busy === true }]));
      const count = (shards: readonly number[]) => ({ busy: shards.filter((x) => BUSY.includes(x)).length, all: shards.length });

      it("an instance holding every shard keeps two busy and four idle when two others arrive, and gives back the rest", () => {
        const all = view(Array.from({ length: SHARDS }, (_, x): [number, string, number] => [x, "a", 10_000]));
        const plan = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: all, now: 0, busy: new Set(BUSY) });
        expect(plan).to.deep.include({ busyTarget: 2, target: 6 });
        expect(count(plan.renew)).to.deep.equal({ busy: 2, all: 6 });
        expect(count(plan.release)).to.deep.equal({ busy: 3, all: 10 });
      });

      it("a newcomer takes free busy shards first, up to its share of them, then idle ones", () => {
        // a kept 1 and 4 (busy) and shards 0, 2, 3, 5 (idle); the rest is free, the busy ones marked by a's release.
        const rows = view([
          ...[0, 2, 3, 5].map((x): [number, string, number] => [x, "a", 10_000]),
          [1, "a", 10_000, true],
          [4, "a", 10_000, true],
          ...[6, 7, 9, 10, 12, 13, 15].map((x): [number, undefined, number] => [x, undefined, 0]),
          ...[8, 11, 14].map((x): [number, undefined, number, boolean] => [x, undefined, 0, true]),
        ]);
        const plan = planTick({ shards: SHARDS, me: "b", live: ["a", "b", "c"], leases: rows, now: 1 });
        expect(count(plan.take)).to.deep.equal({ busy: 2, all: 6 }, "two of the three free busy shards, and four idle ones");
      });

      it("an instance holding three busy shards while the others hold one each gives one back", () => {
        const rows = view([
          [1, "a", 10_000, true],
          [4, "a", 10_000, true],
          [8, "a", 10_000, true],
          [11, "b", 10_000, true],
          [14, "c", 10_000, true],
        ]);
        const plan = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: rows, now: 0, busy: new Set([1, 4, 8]) });
        expect(count(plan.release)).to.deep.equal({ busy: 1, all: 1 });
        expect(overShare(rows, "b", 0, planTick({ shards: SHARDS, me: "b", live: ["a", "b", "c"], leases: rows, now: 0 }))).to.equal(
          true,
          "the others see a holding more than its share of busy shards (they look again soon)",
        );
      });

      it("moves no shard for being busy while another instance has not said whether its shards are (not listed yet)", () => {
        const rows = new Map<number, LeaseView>([
          [1, { owner: "a", until: 10_000, busy: true }],
          [4, { owner: "a", until: 10_000, busy: true }],
          [8, { owner: "a", until: 10_000, busy: true }],
          [11, { owner: "b", until: 10_000 }],
          [14, { owner: "c", until: 10_000, busy: false }],
        ]);
        const plan = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: rows, now: 0, busy: new Set([1, 4, 8]) });
        expect(plan.release).to.deep.equal([], "b's shard 11 may be busy too: three of five is not known to be too many");
        expect(count(plan.take)).to.deep.equal({ busy: 0, all: 3 }, "up to the plain fair share of 6");
        rows.set(11, { owner: "b", until: 10_000, busy: false });
        const known = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: rows, now: 0, busy: new Set([1, 4, 8]) });
        expect(count(known.release)).to.deep.equal({ busy: 2, all: 2 }, "once b has said (none busy), a keeps one of three");
      });

      it("counts its own shards busy as its backlog says now, not as its lease rows said at the last tick", () => {
        const rows = view([
          [1, "a", 10_000, true],
          [4, "a", 10_000, true],
          [8, "a", 10_000, true],
        ]);
        const plan = planTick({ shards: SHARDS, me: "a", live: ["a", "b", "c"], leases: rows, now: 0, busy: new Set([1]) });
        expect(plan).to.deep.include({ busyTarget: 1, release: [] });
      });
    });

    it("takes a lapsed lease of another instance, but not one given back whose handover has not passed, nor a live one", () => {
      const view = leases([
        [0, "dead", 999],
        [1, undefined, 5_000],
        [2, "b", 5_000],
      ]);
      const plan = planTick({ shards: 3, me: "a", live: ["a"], leases: view, now: 1_000 });
      expect(plan.take).to.deep.equal([0]);
    });
  });

  describe("the shard keeper (lease state machine)", () => {
    let clock: ManualClock;
    let store: MemoryLeaseStore;
    const keeper = (id: string) =>
      new ShardKeeper(
        store,
        { instanceId: id, shards: SHARDS, leaseMs: LEASE_MS },
        { now: () => clock.now(), logger: pino({ level: "silent" }) },
      );
    const tenantIn = (shard: number) => {
      for (let i = 0; ; i++) {
        const tenant = `c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
        if (shardOf(tenant, SHARDS) === shard) return tenant;
      }
    };
    const union = (...keepers: ShardKeeper[]) => keepers.flatMap((k) => k.sendable()).sort((a, b) => a - b);

    beforeEach(() => {
      clock = new ManualClock("2026-12-03T12:00:00.000Z");
      store = new MemoryLeaseStore();
    });

    it("three instances that start together hold every shard after their first tick: a lost race is retaken at once", async () => {
      const instances = ["outbox-1", "outbox-2", "outbox-3"];
      // Their preference orders overlap (each starts at its own place and goes round), so some first reaches collide.
      const firstReach = instances.map((id) => preferenceOrder(id, SHARDS).slice(0, fairShare(SHARDS, 3)));
      expect(new Set(firstReach.flat()).size, "the test needs overlapping first reaches").to.be.lessThan(SHARDS);
      const keepers = instances.map((id) => keeper(id));
      for (const k of keepers)
        await store.beat({ instanceId: k.instanceId, until: new Date(clock.now().getTime() + LEASE_MS).toISOString(), shards: SHARDS });
      await Promise.all(keepers.map((k) => k.tick()));
      expect(union(...keepers)).to.deep.equal([...Array(16).keys()]);
      for (const k of keepers) expect(k.sendable().length).to.be.at.most(6);
    });

    it("shares fairly when a second and a third instance join: surplus given back, free at once with no send under way", async () => {
      const [a, b, c] = [keeper("a"), keeper("b"), keeper("c")];
      await a.tick();
      expect(a.sendable()).to.have.length(16);
      await b.tick();
      expect(b.sendable()).to.deep.equal([], "nothing is free yet");
      clock.advanceMs(a.renewEveryMs);
      await a.tick();
      expect(a.sendable()).to.have.length(8, "a gives back its surplus at its next tick");
      await b.tick();
      expect(b.sendable()).to.have.length(8, "nothing was being sent there: b takes them at once");
      expect(union(a, b)).to.deep.equal([...Array(16).keys()]);

      await c.tick();
      clock.advanceMs(a.renewEveryMs);
      await Promise.all([a.tick(), b.tick()]);
      await c.tick();
      expect([a, b, c].map((k) => k.sendable().length).sort()).to.deep.equal([4, 6, 6]);
      expect(union(a, b, c)).to.deep.equal([...Array(16).keys()], "every shard held by exactly one instance");
    });

    it("spreads the busy shards when others join: five tenants' backlogs end up two, two and one, not all on one instance", async () => {
      // The shards a would keep first: counting shards alone, it would keep all five backlogs.
      const busy = preferenceOrder("a", SHARDS).slice(0, 5);
      const [a, b, c] = [keeper("a"), keeper("b"), keeper("c")];
      // Each engine reports the delivery tenants with a backlog among the shards it holds (its pass lists only those).
      for (const k of [a, b, c]) k.reportBacklogs(() => busy.filter((x) => k.sendable().includes(x)).map(tenantIn));
      await a.tick();
      expect(a.sendable()).to.have.length(16, "alone at first: every shard, every backlog");
      await Promise.all([b.tick(), c.tick()]);
      for (let i = 0; i < 3; i++) {
        clock.advanceMs(1_000);
        for (const k of [a, b, c]) await k.tick();
      }
      const busyHeld = [a, b, c].map((k) => k.sendable().filter((x) => busy.includes(x)).length);
      expect(busyHeld.sort()).to.deep.equal([1, 2, 2]);
      expect(union(a, b, c)).to.deep.equal([...Array(16).keys()], "every shard held by exactly one instance");
      expect(store.leaseRows.get(busy[0]!)?.value.busy).to.equal(true, "lease rows say which shards are busy");
      expect(store.leaseRows.get(preferenceOrder("a", SHARDS)[5]!)?.value.busy).to.equal(false);
    });

    it("lets a pass send only from the settling tick a second after start, and ticks at once when its busy shards change", async () => {
      const a = new ShardKeeper(
        store,
        { instanceId: "a", shards: SHARDS, leaseMs: LEASE_MS },
        { now: () => new Date(), logger: pino({ level: "silent" }) }, // real time: the keeper's own timer ticks here
      );
      let backlog: string[] = [];
      a.reportBacklogs(() => backlog);
      const settledAt: number[] = [];
      const started = Date.now();
      a.start();
      void a.settled().then(() => settledAt.push(Date.now() - started));
      try {
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(a.sendable()).to.have.length(16, "the first tick took every shard");
        expect(settledAt, "but a pass waits for the settling tick").to.deep.equal([]);
        backlog = [tenantIn(3)];
        a.backlogsChanged();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(store.leaseRows.get(3)?.value.busy).to.equal(true, "written at once, not at the next tick a second later");
        expect(settledAt, "a tick sooner than the settling one does not settle").to.deep.equal([]);
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(settledAt).to.have.length(1);
        expect(settledAt[0]).to.be.within(900, 1_300);
      } finally {
        await a.stop();
      }
    });

    it("stops sending for its shards once a renewal is overdue, before the lease lapses", async () => {
      const a = keeper("a");
      await a.tick();
      const tenant = "c0000000-0000-4000-8000-000000000001";
      expect(a.holdsTenant(tenant)).to.equal(true);
      store.down = true;
      clock.advanceMs(a.renewEveryMs);
      await a.tick().catch(() => undefined);
      expect(a.sendable()).to.have.length(16, "one missed renewal: two thirds of the lease are left");
      clock.advanceMs(a.renewEveryMs + 1);
      expect(a.sendable()).to.deep.equal([], "less than a third left: nothing more is sent");
      expect(a.holdsTenant(tenant)).to.equal(false);
    });

    it("loses the shards of an instance that stops renewing to the others after the lease, and they share them", async () => {
      const [a, b] = [keeper("a"), keeper("b")];
      await a.tick();
      await b.tick();
      clock.advanceMs(a.renewEveryMs);
      await a.tick();
      clock.advanceMs(LEASE_MS / 3);
      await b.tick();
      expect(b.sendable()).to.have.length(8);
      // b stops renewing (its process died): a takes nothing until b's leases and heartbeat lapse.
      clock.advanceMs(LEASE_MS - 1);
      await a.tick();
      expect(a.sendable()).to.have.length(8);
      clock.advanceMs(2);
      await a.tick();
      expect(a.sendable()).to.have.length(16);
    });

    it("ticks again soon while shares settle, and as soon as a shard given back or a dead instance's lease is free", async () => {
      const [a, b] = [keeper("a"), keeper("b")];
      const every = a.renewEveryMs;
      await a.tick();
      expect(a.nextTickInMs()).to.equal(1_000, "after its first tick an instance looks again within a second");
      clock.advanceMs(1_000);
      await a.tick();
      expect(a.nextTickInMs()).to.equal(every, "alone, settled: a tick interval");
      await b.tick();
      expect(b.nextTickInMs()).to.equal(1_000, "a holds more than its share (it gives the surplus back at its next tick)");
      // a gives back 8 shards at its next tick; in one of them a send is under way.
      const busy = preferenceOrder("a", SHARDS)[SHARDS - 1]!;
      const sendOver = a.sending(tenantIn(busy));
      clock.advanceMs(every);
      await a.tick();
      clock.advanceMs(1_000);
      await b.tick();
      expect(b.sendable()).to.have.length(7).and.not.include(busy);
      sendOver();
      expect(b.nextTickInMs()).to.equal(LEASE_MS / 3 - 1_000 + 25, "b ticks just after the busy shard's hand-over");
      clock.advanceMs(b.nextTickInMs());
      await b.tick();
      expect(b.sendable()).to.have.length(8).and.include(busy);
      // a dies now (no more renewals): b ticks as usual until a's leases and heartbeat are within a tick of running out.
      const aLapsesIn = LEASE_MS - (LEASE_MS / 3 + 25);
      clock.advanceMs(7_000);
      await b.tick();
      expect(b.nextTickInMs()).to.equal(every, "a's leases are still more than a tick away");
      clock.advanceMs(every);
      await b.tick();
      expect(b.nextTickInMs()).to.equal(aLapsesIn - 7_000 - every + 25, "a's leases run out before the next regular tick");
      clock.advanceMs(b.nextTickInMs());
      await b.tick();
      expect(b.sendable()).to.have.length(16, "a's shards are taken as soon as its leases lapse");
    });

    it("frees a shard given back a third of the lease after its last send, so that Teams' 1 s and 2 s windows hold", async () => {
      const [a, b] = [keeper("a"), keeper("b")];
      await a.tick();
      await b.tick();
      const shard = preferenceOrder("a", SHARDS)[SHARDS - 1]!; // one of those a gives back
      clock.advanceMs(a.renewEveryMs - 500);
      a.sending(tenantIn(shard))(); // a send that ends 500 ms before a gives the shard back
      clock.advanceMs(500);
      await a.tick();
      await b.tick();
      expect(b.sendable()).to.have.length(7).and.not.include(shard);
      clock.advanceMs(LEASE_MS / 3 - 500 - 1);
      await b.tick();
      expect(b.sendable()).to.not.include(shard);
      clock.advanceMs(1);
      await b.tick();
      expect(b.sendable()).to.include(shard);
    });

    it("drops a shard it thought its own when another instance wrote the lease meanwhile", async () => {
      const a = keeper("a");
      await a.tick();
      const row = store.leaseRows.get(3)!;
      store.leaseRows.set(3, { value: { ...row.value, owner: "b" }, etag: "W/other" });
      clock.advanceMs(a.renewEveryMs);
      await a.tick();
      expect(a.sendable()).to.not.include(3);
      expect(store.leaseRows.get(3)!.value.owner).to.equal("b");
    });

    it("gives every shard back at once when it stops, and its heartbeat no longer counts", async () => {
      const [a, b] = [keeper("a"), keeper("b")];
      await a.tick();
      await a.stop();
      expect(a.sendable()).to.deep.equal([]);
      await b.tick();
      expect(b.sendable()).to.have.length(16, "b alone, every shard free at once");
    });

    it("writes nothing when it stops without ever having ticked (notifications off)", async () => {
      await keeper("a").stop();
      expect(store.beatRows.size + store.leaseRows.size).to.equal(0);
    });

    it("ticks from a pass only when the last tick is a renewal interval old", async () => {
      const a = keeper("a");
      let beats = 0;
      const beat = store.beat.bind(store);
      store.beat = (b) => (beats++, beat(b));
      await a.ensureTicked();
      await a.ensureTicked();
      expect(beats).to.equal(1);
      clock.advanceMs(a.renewEveryMs);
      await a.ensureTicked();
      expect(beats).to.equal(2);
    });
  });
});
