import { expect } from "chai";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import type { ReviewStartPorts } from "../../src/features/access-review/startReview.js";
import { accessReviewJob } from "../../src/jobs/accessReviewJob.js";
import type { DueItem } from "../../src/jobs/scheduledJob.js";
import { ensureTables, openStorage, type Storage } from "../../src/storage/index.js";
import { freshTables } from "../helpers/azurite.js";

/**
 * The access review's scheduled job on Table Storage: the quarter's review starts once however many instances
 * run its due item at the same moment, the next quarter goes on the schedule, and the 14-day reminder is sent once.
 */
const TENANT = "c0ffee00-0000-4000-8000-0000000000c7";
const START = new Date("2027-01-01T00:05:00.000Z");

describe("the access review job, on Table Storage", function () {
  this.timeout(30_000);
  let storage: Storage;
  let ports: ReviewStartPorts;
  const scheduled = async () => {
    const rows: Array<{ partitionKey: string; rowKey: string }> = [];
    for await (const e of storage.tables.client("schedule").listEntities()) rows.push({ partitionKey: e.partitionKey!, rowKey: e.rowKey! });
    return rows;
  };
  const outboxOfType = async (type: string) => (await storage.outbox.listForTenant(TENANT)).filter((r) => r.value.type === type);

  before(async () => {
    const { tables } = await freshTables();
    await ensureTables(tables);
    storage = openStorage(tables);
    ports = {
      relationships: storage.relationships,
      accessReviews: storage.accessReviews,
      decisions: storage.decisions,
      // The features' port as the app builds it: the scheduler's due index, at this test's moment.
      schedule: { at: (item) => storage.schedule.at(item, START) },
    };
    await storage.seed.create(
      write.relationship({
        tenantId: TENANT,
        partnerId: "northwind",
        partnerName: "Northwind",
        types: ["resellerAndDelegatedAdministrator"],
        roles: [{ roleId: ROLE.globalAdministrator, expiresAt: "2027-06-01T00:00:00.000Z" }],
        agreement: { status: "accepted" },
        status: "active",
        since: "2026-06-01T00:00:00.000Z",
      }),
    );
  });

  it("starts the quarter's review once when three instances run its due item together, and schedules the next", async () => {
    const item: DueItem = { job: "accessReview", tenantId: TENANT, key: "review|2027-01", dueAt: "2027-01-01T00:00:00.000Z" };
    const outcomes = await Promise.all([1, 2, 3].map(() => accessReviewJob(ports).run(item, START)));
    expect(outcomes.filter((o) => o.kind === "done")).to.have.length(1);
    expect(outcomes.filter((o) => o.kind === "skipped")).to.have.length(2);
    const reviews = await storage.accessReviews.listForTenant(TENANT);
    expect(reviews.map((r) => [r.value.id, r.value.trigger, r.value.startedBy.name])).to.deep.equal([
      ["review-2027-01", "scheduled", "Partner Desk"],
    ]);
    expect(await outboxOfType("accessReview")).to.have.length(1);
    expect(await scheduled()).to.deep.include.members([
      { partitionKey: "2027-04-01", rowKey: `accessReview|${TENANT}|review|2027-04` },
      { partitionKey: "2027-01-15", rowKey: `accessReview|${TENANT}|remind|review-2027-01` },
    ]);
    // The same item again (a restart): nothing new.
    expect((await accessReviewJob(ports).run(item, START)).kind).to.equal("skipped");
    expect(await storage.accessReviews.listForTenant(TENANT)).to.have.length(1);
  });

  it("reminds an unfinished review once, however often its reminder runs", async () => {
    const item: DueItem = { job: "accessReview", tenantId: TENANT, key: "remind|review-2027-01", dueAt: "2027-01-15T00:05:00.000Z" };
    const later = new Date(addDays(START.toISOString(), 14));
    const outcomes = await Promise.all([1, 2].map(() => accessReviewJob(ports).run(item, later)));
    // One reminds; the other either lost the ETag race (retry, which then finds it reminded) or found it reminded.
    expect(outcomes.filter((o) => o.kind === "done")).to.have.length(1);
    expect(outcomes.filter((o) => o.kind !== "done").map((o) => o.kind)).to.satisfy((kinds: string[]) =>
      ["retry", "skipped"].includes(kinds[0]!),
    );
    expect((await accessReviewJob(ports).run(item, later)).kind).to.equal("skipped");
    expect(await outboxOfType("accessReviewReminder")).to.have.length(1);
    expect((await storage.accessReviews.get(TENANT, "review-2027-01"))?.value.remindedAt).to.equal(later.toISOString());
  });
});
