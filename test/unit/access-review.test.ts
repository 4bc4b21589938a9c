import { expect } from "chai";
import {
  complete,
  decide,
  progress,
  remind,
  REVIEW_ERRORS,
  startReview,
  type AccessReview,
  type ReviewChanged,
} from "../../src/domain/accessReview.js";
import type { Decision } from "../../src/domain/decision.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import type { Relationship } from "../../src/domain/relationship.js";
import type { Result } from "../../src/domain/result.js";
import { ROLE } from "../../src/domain/roles.js";
import { nextPeriodStart, periodOf, reviewItemsFor } from "../../src/features/access-review/startReview.js";
import { INTENTS } from "../../src/features/typed-requests/intents.js";
import { IntentRecogniser } from "../../src/features/typed-requests/recognise.js";

const TENANT = "c0ffee00-0000-4000-8000-0000000000a1";
const NOW = "2026-12-03T10:00:00.000Z";
let ids = 0;
const ctx = (name = "Ada Admin", now = NOW): DecisionContext => ({
  tenantId: TENANT,
  actor: { userId: name.toLowerCase().replace(/ /g, "-"), name },
  now,
  correlationId: "corr",
  newId: () => `id-${++ids}`,
});

const relationship = (partnerId: string, roles: string[], status: Relationship["status"] = "active"): Relationship => ({
  tenantId: TENANT,
  partnerId,
  partnerName: `${partnerId} Ltd`,
  types: ["resellerAndDelegatedAdministrator"],
  roles: roles.map((roleId) => ({ roleId, expiresAt: "2027-06-01T00:00:00.000Z" })),
  agreement: { status: "accepted" },
  status,
  since: "2026-03-01T00:00:00.000Z",
  endsAt: "2027-06-01T00:00:00.000Z",
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}
const kinds = (d: Decision) => d.writes.map((w) => (w.kind === "notification" ? `notification:${w.value.type}` : w.kind));

function started(): AccessReview {
  return value(
    startReview(
      [
        relationship("northwind", [ROLE.helpdeskAdministrator]),
        relationship("contoso", [ROLE.globalAdministrator, ROLE.licenseAdministrator]),
        relationship("fabrikam", [ROLE.licenseAdministrator], "terminationRequested"),
        relationship("advisor", []),
        relationship("gone", [ROLE.helpdeskAdministrator], "terminated"),
      ],
      ctx(),
      { id: "review-1", trigger: "onDemand" },
    ),
  ).review;
}

describe("the access review (domain)", () => {
  it("reviews every partner that holds admin roles, and no other, with a card for every admin", () => {
    const result = value(startReview([relationship("northwind", [ROLE.helpdeskAdministrator])], ctx(), { id: "r", trigger: "scheduled" }));
    expect(kinds(result.decision)).to.deep.equal(["accessReview", "audit", "notification:accessReview"]);
    expect(result.audit.action).to.equal("review.start");
    const review = started();
    expect(review.items.map((i) => i.partnerId)).to.deep.equal(["contoso", "fabrikam", "northwind"]);
    expect(review.items.find((i) => i.partnerId === "contoso")?.roles).to.include(ROLE.globalAdministrator);
    expect(progress(review)).to.deep.equal({ decided: 0, total: 3 });
  });

  it("has nothing to review when no partner holds admin roles", () => {
    const result = startReview([relationship("advisor", [])], ctx(), { id: "r", trigger: "onDemand" });
    expect(result.ok).to.equal(false);
    expect(!result.ok && result.code).to.equal(REVIEW_ERRORS.nothingToReview);
  });

  it("refuses Keep without a justification, blank or missing, and writes nothing", () => {
    for (const justification of [undefined, "", "   "]) {
      const result = decide(started(), "northwind", { kind: "keep", justification }, ctx());
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.code).to.equal(REVIEW_ERRORS.justificationRequired);
    }
  });

  it("records Keep with who, when and why; the cards are refreshed; progress counts it", () => {
    const kept = value(
      decide(started(), "northwind", { kind: "keep", justification: " Helpdesk contract until June " }, ctx("Bea Billing")),
    );
    const item = kept.review.items.find((i) => i.partnerId === "northwind");
    expect(item?.decision).to.deep.equal({
      kind: "keep",
      by: { userId: "bea-billing", name: "Bea Billing" },
      at: NOW,
      justification: "Helpdesk contract until June",
    });
    expect(kinds(kept.decision)).to.deep.equal(["accessReview", "audit", "notification:cardRefresh"]);
    expect(kept.audit).to.deep.include({ action: "review.decide", target: "partner:northwind/review:review-1" });
    expect(progress(kept.review)).to.deep.equal({ decided: 1, total: 3 });
  });

  it("sends the partner the admin's message on Contact partner", () => {
    const contacted = value(decide(started(), "contoso", { kind: "contact", message: "Which roles do you still use?" }, ctx()));
    expect(kinds(contacted.decision)).to.deep.equal([
      "accessReview",
      "audit",
      "notification:cardRefresh",
      "notification:accessReviewContact",
    ]);
    const toPartner = contacted.decision.writes.find((w) => w.kind === "notification" && w.value.type === "accessReviewContact");
    expect(toPartner?.value).to.deep.include({ recipient: { kind: "partner", partnerId: "contoso" } });
    expect(toPartner?.kind === "notification" && toPartner.value.payload).to.deep.equal({
      reviewId: "review-1",
      message: "Which roles do you still use?",
    });
  });

  it("keeps a decided partner decided: a second admin's decision is refused, naming who decided", () => {
    const kept = value(decide(started(), "northwind", { kind: "keep", justification: "Contract" }, ctx("Ada Admin"))).review;
    const second = decide(kept, "northwind", { kind: "remove", roles: [ROLE.helpdeskAdministrator] }, ctx("Bea Billing"));
    expect(second.ok).to.equal(false);
    expect(!second.ok && second.code).to.equal(REVIEW_ERRORS.alreadyDecided);
    expect(!second.ok && second.details).to.deep.equal({ by: "Ada Admin" });
    expect(decide(kept, "unknown", { kind: "contact", message: undefined }, ctx()).ok).to.equal(false);
  });

  it("cannot be completed with a partner undecided, and names the undecided ones", () => {
    const oneDecided = value(decide(started(), "northwind", { kind: "keep", justification: "Contract" }, ctx())).review;
    const refused = complete(oneDecided, ctx());
    expect(refused.ok).to.equal(false);
    expect(!refused.ok && refused.code).to.equal(REVIEW_ERRORS.undecided);
    expect(!refused.ok && refused.details).to.deep.equal({ partners: ["contoso Ltd", "fabrikam Ltd"] });
  });

  it("completes when every partner is decided, recording who decided what and why", () => {
    let review = started();
    const step = (r: Result<ReviewChanged>) => (review = value(r).review);
    step(decide(review, "northwind", { kind: "keep", justification: "Contract until June" }, ctx("Ada Admin")));
    step(decide(review, "contoso", { kind: "remove", roles: [ROLE.globalAdministrator] }, ctx("Bea Billing")));
    step(decide(review, "fabrikam", { kind: "contact", message: undefined }, ctx("Ada Admin")));
    expect(progress(review)).to.deep.equal({ decided: 3, total: 3 });
    const done = value(complete(review, ctx("Bea Billing")));
    expect(done.review).to.deep.include({
      status: "completed",
      completedAt: NOW,
      completedBy: { userId: "bea-billing", name: "Bea Billing" },
    });
    expect(done.audit.action).to.equal("review.complete");
    const decisions = (done.audit.after as { decisions: Array<Record<string, unknown>> }).decisions;
    expect(decisions.map((d) => [d["partnerId"], d["kind"], (d["by"] as { name: string }).name])).to.deep.equal([
      ["contoso", "remove", "Bea Billing"],
      ["fabrikam", "contact", "Ada Admin"],
      ["northwind", "keep", "Ada Admin"],
    ]);
    expect(decisions.find((d) => d["partnerId"] === "northwind")?.["justification"]).to.equal("Contract until June");
    // Completed is final: no more decisions, no second completion, no reminder.
    expect(complete(done.review, ctx()).ok).to.equal(false);
    expect(remind(done.review, ctx()).ok).to.equal(false);
  });

  it("reminds an unfinished review once", () => {
    const reminded = value(remind(started(), ctx("Partner Desk", "2026-12-17T10:00:00.000Z")));
    expect(kinds(reminded.decision)).to.deep.equal(["accessReview", "audit", "notification:accessReviewReminder"]);
    const again = remind(reminded.review, ctx());
    expect(!again.ok && again.code).to.equal(REVIEW_ERRORS.alreadyReminded);
  });
});

describe("the access review's schedule", () => {
  it("names each period by its first month, every quarter unless configured", () => {
    expect(periodOf(new Date("2026-12-03T10:00:00Z"))).to.equal("2026-10");
    expect(periodOf(new Date("2027-01-01T00:00:00Z"))).to.equal("2027-01");
    expect(periodOf(new Date("2026-12-03T10:00:00Z"), 6)).to.equal("2026-07");
    expect(nextPeriodStart(new Date("2026-12-03T10:00:00Z")).toISOString()).to.equal("2027-01-01T00:00:00.000Z");
    expect(nextPeriodStart(new Date("2026-05-31T23:59:00Z"), 1).toISOString()).to.equal("2026-06-01T00:00:00.000Z");
  });

  it("schedules next quarter's review, and the 14-day reminder when a review starts", () => {
    expect(reviewItemsFor(TENANT, new Date(NOW))).to.deep.equal([
      { job: "accessReview", tenantId: TENANT, key: "review|2027-01", dueAt: "2027-01-01T00:00:00.000Z" },
    ]);
    const items = reviewItemsFor(TENANT, new Date(NOW), started());
    expect(items[1]).to.deep.equal({ job: "accessReview", tenantId: TENANT, key: "remind|review-1", dueAt: "2026-12-17T10:00:00.000Z" });
    const reminded = value(remind(started(), ctx())).review;
    expect(reviewItemsFor(TENANT, new Date(NOW), reminded)).to.have.length(1);
  });
});

describe("typed 'review access'", () => {
  const recogniser = new IntentRecogniser(INTENTS);
  for (const text of ["review access", "access review", "please review partner access", "granska åtkomst", "åtkomstgranskning"])
    it(`reads ${JSON.stringify(text)} as the access review`, () => {
      expect(recogniser.recognise(text).row?.intent).to.equal("accessReview");
    });
  it("still reads 'review' alone as an invitation's Review", () => {
    expect(recogniser.recognise("review").row?.intent).to.equal("accept");
  });
});
