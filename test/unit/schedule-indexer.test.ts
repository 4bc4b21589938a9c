import { expect } from "chai";
import { pino } from "pino";
import { loadConfig } from "../../src/config.js";
import { write } from "../../src/domain/decision.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import type { DueItem } from "../../src/jobs/scheduledJob.js";
import { expiryIndexer } from "../../src/jobsWiring.js";

/*
 * What a stored relationship makes due is indexed in one place, after the commit: its expiry warnings and, while a
 * partner holds admin roles, the tenant's next access review, at the configured cadence. A failing index write is
 * logged and never becomes the decision's error (an accepted invitation must not answer "something went wrong").
 */
const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const NOW = new Date("2027-02-20T09:00:00.000Z");
const relationship = (roles: Relationship["roles"], status: Relationship["status"] = "active"): Relationship => ({
  tenantId: TENANT,
  partnerId: "northwind",
  partnerName: "Northwind",
  types: roles.length > 0 ? ["resellerAndDelegatedAdministrator"] : ["reseller"],
  roles,
  agreement: { status: "accepted", version: "2024-06" },
  status,
  since: "2026-06-01T00:00:00.000Z",
  endsAt: "2027-06-01T00:00:00.000Z",
});
const withRoles = relationship([{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-06-01T00:00:00.000Z" }]);

function indexer(env: Record<string, string>, at: (item: DueItem) => Promise<void>) {
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent", ...env });
  return expiryIndexer(config, { storage: { schedule: { at } } as never, clock: { now: () => NOW }, logger: pino({ level: "silent" }) });
}

describe("the schedule index written after a commit", () => {
  it("schedules the tenant's next access review with a relationship that holds admin roles, at the configured cadence", async () => {
    const items: DueItem[] = [];
    await indexer({ ACCESS_REVIEW_MONTHS: "6" }, async (item) => void items.push(item)).afterCommit({
      tenantId: TENANT,
      writes: [write.relationship(withRoles)],
    });
    const reviews = items.filter((i) => i.job === "accessReview");
    expect(reviews).to.deep.equal([{ job: "accessReview", tenantId: TENANT, key: "review|2027-07", dueAt: "2027-07-01T00:00:00.000Z" }]);
    expect(
      items.some((i) => i.job !== "accessReview"),
      "its expiry warnings too",
    ).to.be.true;
  });

  it("schedules no review for a relationship without admin roles, or one that ended", async () => {
    const items: DueItem[] = [];
    const index = indexer({}, async (item) => void items.push(item));
    await index.afterCommit({ tenantId: TENANT, writes: [write.relationship(relationship([]))] });
    await index.afterCommit({ tenantId: TENANT, writes: [write.relationship({ ...withRoles, status: "terminated" })] });
    expect(items.filter((i) => i.job === "accessReview")).to.deep.equal([]);
  });
});
