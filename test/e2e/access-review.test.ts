import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { personalChat } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";
import { json, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";
import { until } from "../helpers/until.js";

/**
 * Issue 13, item 3: a complete access review by two admins, on the Teams and the Emulator paths. `review access`
 * starts it; the outbox brings the card to both admins; one keeps a partner (with a reason), the other removes
 * the Global administrator role from another, the first contacts the third; completing is refused while a partner
 * is undecided; every decision replaces both admins' cards, and the completed review is in the history.
 */
const CUSTOMER = DEMO.customerTenantId;
const ada: TestUser = { id: "29:review-ada", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
const bea: TestUser = { id: "29:review-bea", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b3" };
const NORTHWIND = DEMO.activePartnerId;

for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: the quarterly access review (${channelId} path)`, function () {
    this.timeout(90_000);
    let app: RunningApp;
    let channel: ChannelEmulator;

    const press = async (user: TestUser, verb: string, data: Record<string, unknown>, onCard: string, trigger = "manual") => {
      const chat = personalChat(user, CUSTOMER);
      if (channelId === "msteams") {
        const result = await channel.post({
          type: "invoke",
          name: "adaptiveCard/action",
          ...chat,
          value: { action: { type: "Action.Execute", verb, data }, trigger },
        });
        expect(result.body.statusCode, JSON.stringify(result.body)).to.equal(200);
        return JSON.stringify(result.body.value);
      }
      await settled();
      const before = channel.recorded.length;
      await channel.post({ type: "message", ...chat, value: { ...data, verb }, replyToId: onCard });
      const update = await until(
        () =>
          channel.recorded
            .slice(before)
            .find((r) => r.kind === "update" && r.activityId === onCard && !r.activity?.channelData?.partnerDesk),
        `the answer to ${verb}`,
      );
      return JSON.stringify(cardOf(update.activity));
    };

    const outboxRows = async () => rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "outbox");
    /** The activity id of the review card the outbox sent an admin: the card every later refresh replaces. */
    const reviewCardOf = (user: TestUser, reviewId: string) =>
      until(async () => {
        const sent = (await outboxRows()).find((r) => r["type"] === "accessReview" && json(r, "payload").reviewId === reviewId);
        return sent && (json(sent, "deliveries")[user.aadObjectId!]?.activityId as string | undefined);
      }, `${user.name}'s review card`);
    /** The outbox has replaced this admin's card with one that shows `text`. */
    const refreshedTo = (activityId: string, text: string) =>
      until(
        () =>
          channel.recorded.some(
            (r) => r.kind === "update" && r.activityId === activityId && JSON.stringify(cardOf(r.activity)).includes(text),
          ),
        `the card ${activityId} showing "${text}"`,
      );
    /** Every card refresh is delivered: on the Emulator path a press's answer and a refresh update the same card. */
    const settled = () =>
      until(async () => (await outboxRows()).every((r) => r["type"] !== "cardRefresh" || r["status"] !== "pending"), "the refreshes");

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      const now = new Date().toISOString();
      await app.storage.roleAssignments.upsert({
        tenantId: CUSTOMER,
        userId: bea.aadObjectId!,
        roleId: ROLE.billingAdministrator,
        userName: bea.name,
        assignedAt: now,
      });
      for (const [partnerId, partnerName, roleId] of [
        ["contoso-review", "Contoso Review Ltd", ROLE.licenseAdministrator],
        ["tailspin-review", "Tailspin Review Ltd", ROLE.helpdeskAdministrator],
      ] as const)
        await app.storage.seed.create(
          write.relationship({
            tenantId: CUSTOMER,
            partnerId,
            partnerName,
            types: ["resellerAndDelegatedAdministrator"],
            roles: [{ roleId, expiresAt: addDays(now, 200) }],
            agreement: { status: "accepted" },
            status: "active",
            since: addDays(now, -60),
            endsAt: addDays(now, 200),
          }),
        );
      const installed =
        channelId === "msteams"
          ? { type: "installationUpdate", action: "add" }
          : { type: "conversationUpdate", membersAdded: [{ id: "bot-id" }] };
      for (const admin of [ada, bea]) await channel.post({ ...installed, ...personalChat(admin, CUSTOMER) });
      await until(async () => (await app.storage.conversations.listForTenant(CUSTOMER)).length === 2, "both admins' conversations");
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("runs a complete review: Keep, Remove roles, Contact partner by two admins, both cards kept up to date", async () => {
      // `review access`, typed: the review starts, and the outbox brings its card to both admins.
      const before = channel.recorded.length;
      await channel.post({ type: "message", text: "review access", ...personalChat(ada, CUSTOMER) });
      const reply = await until(() => channel.recorded.slice(before).find((r) => r.kind === "reply"), "the answer to review access");
      expect(JSON.stringify(cardOf(reply.activity))).to.include("Access review started");
      const [review] = await app.storage.accessReviews.listForTenant(CUSTOMER);
      const reviewId = review!.value.id;
      expect(review!.value.items.map((i) => i.partnerName)).to.deep.equal([
        "Contoso Review Ltd",
        "Northwind Managed Services",
        "Tailspin Review Ltd",
      ]);
      const adaCard = await reviewCardOf(ada, reviewId);
      const beaCard = await reviewCardOf(bea, reviewId);
      const first = channel.recorded.find((r) => r.conversationId === `a:${bea.id}` && JSON.stringify(r.activity).includes("decided"));
      const shown = JSON.stringify(cardOf(first!.activity));
      expect(shown).to.include("0 of 3 decided").and.include("Holds Global administrator");
      // The reminder after 14 days is on the schedule (the scheduler runs it; its job is tested on its own).
      const scheduled = [];
      for await (const row of app.storage.tables.client("schedule").listEntities()) scheduled.push(row.rowKey);
      expect(scheduled).to.include(`accessReview|${CUSTOMER}|remind|${reviewId}`);

      // Ada keeps Contoso: without a reason she is asked for one, and nothing is decided.
      const keepForm = await press(ada, "accessReview.decisionForm", { reviewId, partnerId: "contoso-review", choice: "keep" }, adaCard);
      expect(keepForm).to.include("Why does Contoso Review Ltd still need these roles?");
      const noReason = await press(
        ada,
        "accessReview.decide",
        { reviewId, partnerId: "contoso-review", choice: "keep", justification: " " },
        adaCard,
      );
      expect(noReason).to.include("Say why the partner keeps its roles");
      expect((await app.storage.accessReviews.get(CUSTOMER, reviewId))!.value.items.every((i) => !i.decision)).to.equal(true);
      const kept = await press(
        ada,
        "accessReview.decide",
        { reviewId, partnerId: "contoso-review", choice: "keep", justification: "Licensing contract until June" },
        adaCard,
      );
      expect(kept).to.include("1 of 3 decided").and.include("Kept by Demo Admin").and.include("Licensing contract until June");
      await refreshedTo(beaCard, "1 of 3 decided");

      // Bea tries to complete: refused, naming who is undecided; nothing changes.
      const refused = await press(bea, "accessReview.complete", { reviewId }, beaCard);
      expect(refused)
        .to.include("can't be completed yet: 2 partners are still undecided")
        .and.include("Northwind Managed Services, Tailspin Review Ltd");
      expect((await app.storage.accessReviews.get(CUSTOMER, reviewId))!.value.status).to.equal("open");

      // Bea removes Global administrator from Northwind, through the same path as the partner card's removal.
      const removeForm = await press(bea, "accessReview.decisionForm", { reviewId, partnerId: NORTHWIND, choice: "remove" }, beaCard);
      expect(removeForm).to.include("Remove roles from Northwind Managed Services?").and.include("admin center");
      const removed = await press(
        bea,
        "accessReview.decide",
        { reviewId, partnerId: NORTHWIND, choice: "remove", roleIds: ROLE.globalAdministrator },
        beaCard,
      );
      expect(removed).to.include("2 of 3 decided").and.include("Bea Billing removed Global administrator");
      const northwind = (await app.storage.relationships.get(CUSTOMER, NORTHWIND))!.value;
      expect(northwind.roles.map((r) => r.roleId)).to.deep.equal([ROLE.helpdeskAdministrator]);
      await refreshedTo(adaCard, "2 of 3 decided");

      // Ada contacts Tailspin with a message: the partner's card is queued with it.
      const contacted = await press(
        ada,
        "accessReview.decide",
        { reviewId, partnerId: "tailspin-review", choice: "contact", message: "Which of these roles do you still use?" },
        adaCard,
      );
      expect(contacted).to.include("3 of 3 decided").and.include("Demo Admin asked the partner to get in touch");
      const toPartner = (await outboxRows()).find((r) => r["type"] === "accessReviewContact");
      expect(json(toPartner, "recipient")).to.deep.equal({ kind: "partner", partnerId: "tailspin-review" });
      expect(json(toPartner, "payload").message).to.equal("Which of these roles do you still use?");

      // A press left on a card for a partner already decided changes nothing, and says who decided.
      const stale = await press(
        bea,
        "accessReview.decide",
        { reviewId, partnerId: "contoso-review", choice: "keep", justification: "x" },
        beaCard,
      );
      expect(stale).to.include("Demo Admin already decided for this partner. Nothing was changed.");

      // Bea completes it: both cards show who completed it; the history says who decided what and why.
      const completed = await press(bea, "accessReview.complete", { reviewId }, beaCard);
      expect(completed).to.include("Completed by Bea Billing");
      await refreshedTo(adaCard, "Completed by Bea Billing");
      await refreshedTo(beaCard, "Completed by Bea Billing");
      if (channelId === "msteams") {
        const viewed = await press(ada, "accessReview.show", { reviewId }, adaCard, "automatic");
        expect(viewed).to.include("Completed by Bea Billing").and.include("3 of 3 decided");
      }
      const audit = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "audit");
      const done = audit.find((r) => r["action"] === "review.complete");
      const decisions = json(done, "after").decisions as Array<Record<string, any>>;
      expect(decisions.map((d) => [d["partnerName"], d["kind"], d["by"].name])).to.deep.equal([
        ["Contoso Review Ltd", "keep", "Demo Admin"],
        ["Northwind Managed Services", "remove", "Bea Billing"],
        ["Tailspin Review Ltd", "contact", "Demo Admin"],
      ]);
      expect(decisions[0]!["justification"]).to.equal("Licensing contract until June");
      expect(audit.filter((r) => r["action"] === "review.decide")).to.have.length(3);
      expect(audit.filter((r) => r["action"] === "relationship.removeRoles")).to.have.length(1);

      // Asked again, `review access` starts a new review (the last one is complete).
      await channel.post({ type: "message", text: "granska åtkomst", ...personalChat(ada, CUSTOMER) });
      await until(async () => (await app.storage.accessReviews.listForTenant(CUSTOMER)).length === 2, "a second review");
    });
  });
}
