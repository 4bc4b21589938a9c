import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { cardOf, ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, teamsDriver } from "../helpers/journey.js";
import { ManualClock } from "../helpers/manualClock.js";
import { until } from "../helpers/until.js";

/*
 * The quarterly access review comes on its own: accepting an invitation that grants admin roles puts the next
 * quarter's review on the schedule; when the clock reaches it, the scheduler (beside the outbox, run here by the
 * test) starts it once, the admins get the review card, the next quarter's is scheduled, and 14 days later an
 * unfinished review reminds them once. The clock is moved, never slept on.
 */
const CUSTOMER = DEMO.customerTenantId;
const admin = { id: "29:quarter-admin", name: "Demo Admin", aadObjectId: DEMO.admin.userId };

describe("end to end: the quarterly access review starts on its own (Teams path, moved clock)", function () {
  this.timeout(90_000);
  const clock = new ManualClock("2027-02-20T09:00:00.000Z");
  let app: RunningApp;
  let channel: ChannelEmulator;

  const cardsToAdmin = () =>
    channel.recorded
      .filter((r) => r.conversationId === "a:journey" && r.kind !== "update" && r.activity?.channelData?.partnerDesk && r.status === 200)
      .map((r) => JSON.stringify(cardOf(r.activity)));
  const scheduled = async () => {
    const keys: string[] = [];
    for await (const e of app.storage.tables.client("schedule").listEntities()) keys.push(`${e.partitionKey}/${e.rowKey}`);
    return keys.filter((k) => k.includes("accessReview|"));
  };
  /** Runs the day's scheduler passes (two: a repeat would show) at `iso`, then waits for the outbox to deliver. */
  const day = async (iso: string) => {
    clock.set(iso);
    await app.jobs.runNow();
    await app.jobs.runNow();
  };

  before(async () => {
    app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50", SCHEDULE_INTERVAL_SECONDS: "0" }, { clock });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    const driver = teamsDriver(channel, CUSTOMER, admin);
    await driver.say("help");
    const accepted = await driver.press("invitations.accept", {
      invitationId: DEMO.invitationId,
      agreementVersion: DEMO.agreementVersion,
      agreed: "true",
      ...ACCEPTING_CONTACT,
    });
    expect(accepted.text).to.include("You accepted Contoso Cloud Partners's invitation");
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("puts the next quarter's review on the schedule when a partner gets admin roles", async () => {
    expect(await scheduled()).to.include(`2027-04-01/accessReview|${CUSTOMER}|review|2027-04`);
  });

  it("starts it once when its day comes: every admin gets the review card, and the next quarter is scheduled", async () => {
    await day("2027-03-31T12:00:00.000Z");
    expect((await app.storage.accessReviews.listForTenant(CUSTOMER)).length).to.equal(0, "not before its day");

    await day("2027-04-01T07:00:00.000Z");
    const reviews = (await app.storage.accessReviews.listForTenant(CUSTOMER)).map((r) => r.value);
    expect(reviews.map((r) => [r.trigger, r.status])).to.deep.equal([["scheduled", "open"]], "one review, from the schedule");
    const partners = reviews[0]!.items.map((i) => i.partnerId);
    expect(partners).to.include.members([DEMO.invitingPartnerId, DEMO.activePartnerId]);

    // An empty list is truthy: wait for a card, not for the list.
    const reviewCards = () => cardsToAdmin().filter((c) => c.includes("The quarterly review of who holds admin access"));
    const cards = await until(() => reviewCards().length > 0 && reviewCards(), "the review card");
    expect(cards).to.have.length(1);
    expect(cards[0]).to.include("Contoso Cloud Partners").and.include("Keep").and.include("Remove roles").and.include("Contact partner");
    expect(await scheduled()).to.include(`2027-07-01/accessReview|${CUSTOMER}|review|2027-07`);
  });

  it("reminds the admins once, 14 days later, while the review is unfinished", async () => {
    await day("2027-04-10T07:00:00.000Z");
    expect(cardsToAdmin().filter((c) => c.includes("Reminder: this review started"))).to.have.length(0, "not before 14 days");
    await day("2027-04-15T07:00:00.000Z");
    await day("2027-04-16T07:00:00.000Z");
    const reminderCards = () => cardsToAdmin().filter((c) => c.includes("Reminder: this review started"));
    const reminders = await until(() => reminderCards().length > 0 && reminderCards(), "the reminder");
    // Let any second delivery show before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders).to.have.length(1);
    expect(cardsToAdmin().filter((c) => c.includes("Reminder: this review started"))).to.have.length(1, "once");
    const [review] = await app.storage.accessReviews.listForTenant(CUSTOMER);
    expect(review?.value.remindedAt).to.be.a("string");
    expect((await app.storage.accessReviews.listForTenant(CUSTOMER)).length).to.equal(1, "still one review for the quarter");
  });
});
