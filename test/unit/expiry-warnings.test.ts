import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import { expiryWarningDecision, PARTNER_DESK_SCHEDULER } from "../../src/domain/expiryDecisions.js";
import {
  DEFAULT_WARNING_DAYS,
  daysBetween,
  endMoments,
  expiryKey,
  expiryWording,
  mostUrgentDue,
  parseExpiryKey,
  warningDueAt,
} from "../../src/domain/expiryWarning.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { expiryItems, nextThresholdAfter } from "../../src/jobs/expiry/expiryIndex.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { VERBS } from "../../src/features/verbs.js";
import { actionsOf } from "../helpers/channelEmulator.js";

/*
 * Expiry warnings, the pure parts: which ends a relationship has, when each threshold is due, which one a (late) run
 * sends, how it is worded on the day it is sent, and the cards both sides get.
 */
const TENANT = "c0ffee00-0000-4000-8000-000000000001";
const ENDS = "2027-01-31T14:00:00.000Z";
const relationship = (over: Partial<Relationship> = {}): Relationship => ({
  tenantId: TENANT,
  partnerId: "northwind",
  partnerName: "Northwind Managed Services",
  types: ["resellerAndDelegatedAdministrator"],
  roles: [
    { roleId: ROLE.helpdeskAdministrator, expiresAt: ENDS },
    { roleId: ROLE.userAdministrator, expiresAt: ENDS },
  ],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: "2026-01-01T00:00:00.000Z",
  endsAt: ENDS,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe("expiry warnings: when and how", () => {
  it("is due at the start (UTC) of the day 30, 7, 1 and 0 days before the end", () => {
    expect(DEFAULT_WARNING_DAYS).to.deep.equal([30, 7, 1, 0]);
    expect(warningDueAt(ENDS, 30).toISOString()).to.equal("2027-01-01T00:00:00.000Z");
    expect(warningDueAt(ENDS, 7).toISOString()).to.equal("2027-01-24T00:00:00.000Z");
    expect(warningDueAt(ENDS, 1).toISOString()).to.equal("2027-01-30T00:00:00.000Z");
    expect(warningDueAt(ENDS, 0).toISOString()).to.equal("2027-01-31T00:00:00.000Z");
    expect(daysBetween("2027-01-01T23:59:00.000Z", ENDS)).to.equal(30);
  });

  it("sends the most urgent warning already due: one card after a long downtime, none before the first or past the late limit", () => {
    const t = DEFAULT_WARNING_DAYS;
    expect(mostUrgentDue(ENDS, t, at("2026-12-31T23:59:59.000Z"))).to.equal(undefined);
    expect(mostUrgentDue(ENDS, t, at("2027-01-01T00:00:00.000Z"))).to.equal(30);
    expect(mostUrgentDue(ENDS, t, at("2027-01-26T09:00:00.000Z"))).to.equal(7);
    expect(mostUrgentDue(ENDS, t, at("2027-01-31T20:00:00.000Z"))).to.equal(0);
    expect(mostUrgentDue(ENDS, t, at("2027-02-07T20:00:00.000Z"))).to.equal(0);
    expect(mostUrgentDue(ENDS, t, at("2027-02-08T00:00:00.000Z"))).to.equal(undefined);
  });

  it("words a warning from the day it is sent, so a late one never says 30 days", () => {
    expect(expiryWording(ENDS, at("2027-01-01T08:00:00.000Z"))).to.deep.equal({ kind: "endsIn", days: 30 });
    expect(expiryWording(ENDS, at("2027-01-26T08:00:00.000Z"))).to.deep.equal({ kind: "endsIn", days: 5 });
    expect(expiryWording(ENDS, at("2027-01-31T08:00:00.000Z"))).to.deep.equal({ kind: "endsToday" });
    expect(expiryWording(ENDS, at("2027-01-31T15:00:00.000Z"))).to.deep.equal({ kind: "endedToday" });
    expect(expiryWording(ENDS, at("2027-02-01T08:00:00.000Z"))).to.deep.equal({ kind: "ended", daysAgo: 1 });
  });

  it("knows a relationship's own end and roles ending earlier; nothing for one no longer in force", () => {
    const earlier = "2026-12-15T00:00:00.000Z";
    const r = relationship({
      roles: [
        { roleId: ROLE.globalAdministrator, expiresAt: earlier },
        { roleId: ROLE.helpdeskAdministrator, expiresAt: ENDS },
      ],
    });
    expect(endMoments(r)).to.deep.equal([
      { endsAt: ENDS, roles: [ROLE.globalAdministrator, ROLE.helpdeskAdministrator], whole: true },
      { endsAt: earlier, roles: [ROLE.globalAdministrator], whole: false },
    ]);
    expect(endMoments(relationship({ status: "terminated" }))).to.deep.equal([]);
    expect(endMoments(relationship({ status: "terminationRequested" }))).to.deep.equal([]);
  });

  it("indexes one entry per end, the head of its chain, keyed so that a renewed end is a different warning", () => {
    const t = [30, 7, 1, 0];
    // Long before: the first warning to come.
    expect(expiryItems(relationship(), t, at("2026-06-01T00:00:00.000Z"))).to.deep.equal([
      { job: "expiryWarning", tenantId: TENANT, key: `northwind|${ENDS}|30`, dueAt: warningDueAt(ENDS, 30).toISOString() },
    ]);
    // Between two thresholds: the one already due (sent late if it was not; its marker stops a second card).
    expect(expiryItems(relationship(), t, at("2027-01-26T09:00:00.000Z")).map((i) => i.key)).to.deep.equal([`northwind|${ENDS}|7`]);
    // Roles ending earlier are an end of their own, with a chain of their own.
    const earlier = "2026-12-15T00:00:00.000Z";
    const twoEnds = relationship({
      roles: [
        { roleId: ROLE.globalAdministrator, expiresAt: earlier },
        { roleId: ROLE.helpdeskAdministrator, expiresAt: ENDS },
      ],
    });
    expect(expiryItems(twoEnds, t, at("2026-12-10T12:00:00.000Z")).map((i) => i.key)).to.deep.equal([
      `northwind|${ENDS}|30`,
      `northwind|${earlier}|7`,
    ]);
    expect(parseExpiryKey(expiryKey({ partnerId: "northwind", endsAt: ENDS, daysBefore: 7 }))).to.deep.equal({
      partnerId: "northwind",
      endsAt: ENDS,
      daysBefore: 7,
    });
    expect(parseExpiryKey("northwind|not-a-date|7")).to.equal(undefined);
    // An end long past gets no entries (nothing would be sent).
    expect(expiryItems(relationship(), t, at("2027-03-01T00:00:00.000Z"))).to.deep.equal([]);
  });

  it("chains the next warning of an end from the moment one ran: the largest threshold not yet due", () => {
    const t = [30, 7, 1, 0];
    expect(nextThresholdAfter(ENDS, t, at("2026-06-01T00:00:00.000Z"))).to.equal(30);
    expect(nextThresholdAfter(ENDS, t, at("2027-01-01T06:00:00.000Z"))).to.equal(7);
    expect(nextThresholdAfter(ENDS, t, at("2027-01-26T09:00:00.000Z"))).to.equal(1);
    expect(nextThresholdAfter(ENDS, t, at("2027-01-31T00:00:00.000Z")), "the day itself was the last").to.equal(undefined);
  });
});

describe("expiry warnings: settings", () => {
  const env = { TABLES_CONNECTION_STRING: "UseDevelopmentStorage=true" };
  it("takes the thresholds from EXPIRY_WARNING_DAYS, largest first, each once; 30,7,1,0 by default", () => {
    expect(loadConfig(env).schedule.expiryWarningDays).to.deep.equal([30, 7, 1, 0]);
    expect(loadConfig({ ...env, EXPIRY_WARNING_DAYS: "7, 60,0,7" }).schedule.expiryWarningDays).to.deep.equal([60, 7, 0]);
  });

  it("refuses thresholds that are not whole days up to 365, naming the setting", () => {
    for (const bad of ["30,x", "-1", "400", "30;7"])
      expect(() => loadConfig({ ...env, EXPIRY_WARNING_DAYS: bad }), bad).to.throw(ConfigError, "EXPIRY_WARNING_DAYS");
  });
});

describe("expiry warnings: the cards", () => {
  let n = 0;
  const ctx = { tenantId: TENANT, actor: PARTNER_DESK_SCHEDULER, now: "x", correlationId: "c", newId: () => `id-${++n}` };
  const notifications = (late: boolean, whole = true): { admins: Notification; partner: Notification } => {
    const r = relationship();
    const moment = whole ? endMoments(r)[0]! : { endsAt: ENDS, roles: [ROLE.userAdministrator], whole: false };
    const decision = expiryWarningDecision(r, moment, { daysBefore: 7, late }, { ...ctx, now: "2027-01-24T00:00:00.000Z" });
    const rows = decision.writes.flatMap((w) => (w.kind === "notification" ? [w.value] : []));
    expect(decision.writes.map((w) => w.kind)).to.deep.equal(["expiryWarning", "notification", "notification", "audit"]);
    return { admins: rows.find((x) => x.recipient.kind === "tenantAdmins")!, partner: rows.find((x) => x.recipient.kind === "partner")! };
  };
  const reader = (locale: string, reachableAs: ConversationRecord["reachableAs"]): ConversationRecord => ({
    tenantId: TENANT,
    userId: "u",
    name: "Someone",
    reachableAs,
    locale,
    reference: { channelId: "msteams", serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
    stale: false,
    updatedAt: "2027-01-01T00:00:00.000Z",
  });
  const nothingRead = () => {
    throw new Error("an expiry card reads no record");
  };
  const sources: NotificationSources = {
    invitations: { get: nothingRead, listPending: nothingRead },
    acceptances: { get: nothingRead },
    agreements: { current: nothingRead },
    contactRequests: { get: nothingRead },
    adminAudience: { teamsAdminIds: nothingRead },
    tenantNames: { displayName: () => Promise.resolve("Fabrikam") },
  };
  const render = (x: Notification, locale: string, now: string, as: ConversationRecord["reachableAs"] = "customerAdmin") =>
    renderNotification(x, reader(locale, as), sources, at(now)).then((card) => JSON.stringify(card));

  it("tells the admins what ends, when and which roles, with extend / remove now / let it end", async () => {
    const { admins } = notifications(false);
    const card = await renderNotification(admins, reader("en-US", "customerAdmin"), sources, at("2027-01-24T06:00:00.000Z"));
    const text = JSON.stringify(card);
    expect(text).to.include("Northwind Managed Services's relationship ends in 7 days");
    expect(text).to.include("Helpdesk");
    expect(text).to.include("Jan");
    expect(text).not.to.include("Sent late");
    const actions = actionsOf(card).map((a: any) => a.verb ?? a.data?.verb);
    expect(actions).to.deep.equal([VERBS.lifecycle.askExtension, VERBS.relationships.removeRolesConfirm, VERBS.lifecycle.letItEnd]);
  });

  it("words a late one for the day it is shown and says it is late", async () => {
    const { admins, partner } = notifications(true);
    expect(await render(admins, "en", "2027-01-26T06:00:00.000Z"))
      .to.include("ends in 5 days")
      .and.include("Sent late");
    expect(await render(admins, "en", "2027-02-01T06:00:00.000Z"))
      .to.include("ended yesterday")
      .and.not.include("Remove roles now");
    expect(await render(partner, "en", "2027-01-30T06:00:00.000Z", "partnerContact")).to.include(
      "Your relationship with Fabrikam ends tomorrow",
    );
    expect(await render(admins, "sv-SE", "2027-01-26T06:00:00.000Z"))
      .to.include("upphör om 5 dagar")
      .and.include("Skickad sent");
    expect(await render(admins, "sv-SE", "2027-02-01T06:00:00.000Z")).to.include("upphörde i går");
  });

  it("says when only some roles end and the relationship continues", async () => {
    const { admins } = notifications(false, false);
    const text = await render(admins, "en", "2027-01-24T06:00:00.000Z");
    expect(text).to.include("Some of Northwind Managed Services's roles end in 7 days").and.include("The relationship itself continues");
  });
});
