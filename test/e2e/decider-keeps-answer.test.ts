import { createOutboxIndexer } from "../../src/outboxWiring.js";
import { pino } from "pino";
import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { write } from "../../src/domain/decision.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { personalChat } from "../helpers/activities.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator, cardOf } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, json, partitionRows, rowsOfKind, type TestUser } from "../helpers/journey.js";
import { until } from "../helpers/until.js";

/**
 * Issue 11, finding 1: the admin who decides an invitation keeps their own answer on the card the bot sent them,
 * after the outbox updates every admin's copy and after Teams refreshes it; the other admins see a neutral
 * decided state; "Nothing was changed" is only for someone pressing a button of an invitation already decided.
 */
const CUSTOMER = DEMO.customerTenantId;
const decider: TestUser = { id: "29:decider", name: "Demo Admin", aadObjectId: DEMO.admin.userId };
const otherAdmin: TestUser = { id: "29:other-admin", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b2" };

/** The action a card offers for a verb (Action.Execute in Teams, Action.Submit with the verb in its data elsewhere). */
function actionFor(card: any, verb: string): Record<string, unknown> {
  const found: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (node.type === "Action.Execute" && node.verb === verb) found.push(node.data ?? {});
    if (node.type === "Action.Submit" && node.data?.verb === verb) {
      const { verb: _verb, ...data } = node.data;
      found.push(data);
    }
    Object.values(node).forEach(walk);
  };
  walk(card);
  if (!found[0]) throw new Error(`no ${verb} action on the card: ${JSON.stringify(card).slice(0, 300)}`);
  return found[0];
}

for (const channelId of ["msteams", "emulator"] as const) {
  describe(`end to end: the decider keeps their answer (${channelId} path)`, function () {
    this.timeout(60_000);
    let app: RunningApp;
    let channel: ChannelEmulator;

    /**
     * A press as the channel sends it: Teams invokes adaptiveCard/action (with `trigger: "automatic"` for the card's
     * refresh) and reads the card from the response; the Emulator posts a message with `value`, replying to the card.
     */
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
        return result.body.value;
      }
      const before = channel.recorded.length;
      await channel.post({ type: "message", ...chat, value: { ...data, verb }, replyToId: onCard });
      const [update] = await until(
        () =>
          channel.recorded.slice(before).filter((r) => r.kind === "update" && r.activityId === onCard).length > 0 &&
          channel.recorded.slice(before).filter((r) => r.kind === "update" && r.activityId === onCard),
        `the answer to ${verb}`,
      );
      return cardOf(update!.activity);
    };

    /** The activity id of the invitation card the outbox sent each admin (the card the refresh replaces). */
    const cardIdOf = async (user: TestUser, invitationId: string): Promise<string> => {
      return until(async () => {
        const rows = rowsOfKind(await partitionRows(app.storage.tables.client("tenant"), CUSTOMER), "outbox");
        const received = rows.find((r) => r["type"] === "invitationReceived" && json(r, "payload").invitationId === invitationId);
        return received && (json(received, "deliveries")[user.aadObjectId!]?.activityId as string | undefined);
      }, `${user.name}'s invitation card`);
    };

    /** The latest outbox update of one card that shows the invitation again (not the answer to a press). */
    const refreshedCard = (activityId: string, partner: string) =>
      until(() => {
        const updates = channel.recorded.filter(
          (r) =>
            r.kind === "update" && r.activityId === activityId && JSON.stringify(cardOf(r.activity)).includes(`Invitation from ${partner}`),
        );
        return updates.length > 0 && JSON.stringify(cardOf(updates[updates.length - 1]!.activity));
      }, `the refreshed card of ${partner}`);

    const announce = async (invitationId: string, partnerName: string) => {
      const now = new Date().toISOString();
      await app.storage.seed.createAll([
        write.invitation({
          id: invitationId,
          tenantId: CUSTOMER,
          partnerId: `${invitationId}-partner`,
          partnerName,
          relationshipTypes: ["resellerAndDelegatedAdministrator"],
          roles: [ROLE.helpdeskAdministrator],
          durationDays: 90,
          message: "",
          status: "pending",
          createdAt: now,
          expiresAt: addDays(now, 30),
          announced: true,
        }),
        write.notification({
          id: `${invitationId}-received`,
          tenantId: CUSTOMER,
          recipient: { kind: "tenantAdmins", tenantId: CUSTOMER },
          type: "invitationReceived",
          payload: { invitationId },
          status: "pending",
          attempts: 0,
          createdAt: now,
          correlationId: `${invitationId}-seed`,
          deliveries: {},
        }),
      ]);
      // Queued outside a decision: indexed as a commit would index it, or only the sweep would find it.
      const [received] = (await app.storage.outbox.listForTenant(CUSTOMER)).filter((r) => r.value.id === `${invitationId}-received`);
      await createOutboxIndexer(app.storage, app.directory, pino({ level: "silent" })).indexNotifications([received!.value]);
      return { deciderCard: await cardIdOf(decider, invitationId), otherCard: await cardIdOf(otherAdmin, invitationId) };
    };

    before(async () => {
      app = await startBotUnderTest({ NOTIFY_POLL_MS: "100", NOTIFY_BASE_DELAY_MS: "50" });
      channel = await new ChannelEmulator(app.url, { channelId }).start();
      await app.storage.roleAssignments.upsert({
        tenantId: CUSTOMER,
        userId: otherAdmin.aadObjectId!,
        roleId: ROLE.billingAdministrator,
        userName: otherAdmin.name,
        assignedAt: new Date().toISOString(),
      });
      // Both admins install the bot (Teams) or open a chat with it (Emulator), so it knows where to reach them.
      const installed =
        channelId === "msteams"
          ? { type: "installationUpdate", action: "add" }
          : { type: "conversationUpdate", membersAdded: [{ id: "bot-id" }] };
      for (const admin of [decider, otherAdmin]) await channel.post({ ...installed, ...personalChat(admin, CUSTOMER) });
      await until(async () => (await app.storage.conversations.listForTenant(CUSTOMER)).length === 2, "both admins' conversations");
    });
    after(async () => {
      await channel?.stop();
      await app?.stop();
    });

    it("Accept & authorize: the decider's card keeps 'You accepted', the other admin's shows who accepted, a stale press changes nothing", async () => {
      const { deciderCard, otherCard } = await announce("keep-accept", "Keep Accept Ltd");
      const review = await press(decider, "invitations.review", { invitationId: "keep-accept" }, deciderCard);
      const accept = actionFor(review, "invitations.accept");
      const accepted = await press(decider, "invitations.accept", { ...accept, agreed: "true", ...ACCEPTING_CONTACT }, deciderCard);
      expect(JSON.stringify(accepted)).to.include("You accepted Keep Accept Ltd's invitation");

      // The outbox updates every admin's copy of the invitation card.
      const mine = await refreshedCard(deciderCard, "Keep Accept Ltd");
      expect(mine).to.include("You accepted this invitation on").and.not.include("Nothing was changed");
      const theirs = await refreshedCard(otherCard, "Keep Accept Ltd");
      expect(theirs).to.match(/Accepted by Demo Admin on \d{1,2} \w{3} \d{4}|Accepted by Demo Admin on \w{3} \d{1,2}, \d{4}/);
      expect(theirs).to.not.include("Nothing was changed").and.not.include("You accepted");

      // Teams refreshes the card for whoever views it (the Emulator opens it): still each one's own view.
      const viewedByDecider = JSON.stringify(
        await press(decider, "invitations.show", { invitationId: "keep-accept" }, deciderCard, "automatic"),
      );
      expect(viewedByDecider).to.include("You accepted this invitation on").and.not.include("Nothing was changed");
      const viewedByOther = JSON.stringify(
        await press(otherAdmin, "invitations.show", { invitationId: "keep-accept" }, otherCard, "automatic"),
      );
      expect(viewedByOther).to.include("Accepted by Demo Admin on").and.not.include("Nothing was changed");

      // The other admin presses the button still on their card: their own stale press is told nothing changed.
      const stale = JSON.stringify(await press(otherAdmin, "invitations.review", { invitationId: "keep-accept" }, otherCard));
      expect(stale).to.include("This invitation was already accepted by Demo Admin").and.include("Nothing was changed");
      const ownStale = JSON.stringify(await press(decider, "invitations.declineForm", { invitationId: "keep-accept" }, deciderCard));
      expect(ownStale).to.include("You already accepted this invitation").and.include("Nothing was changed");
    });

    it("Decline: the decider's card keeps 'You declined', the other admin's shows who declined", async () => {
      const { deciderCard, otherCard } = await announce("keep-decline", "Keep Decline Ltd");
      const form = await press(decider, "invitations.declineForm", { invitationId: "keep-decline" }, deciderCard);
      const decline = actionFor(form, "invitations.decline");
      const declined = await press(decider, "invitations.decline", { ...decline, reason: "Not now" }, deciderCard);
      expect(JSON.stringify(declined)).to.include("You declined the invitation from Keep Decline Ltd");

      expect(await refreshedCard(deciderCard, "Keep Decline Ltd"))
        .to.include("You declined this invitation on")
        .and.not.include("Nothing was changed");
      expect(await refreshedCard(otherCard, "Keep Decline Ltd"))
        .to.include("Declined by Demo Admin on")
        .and.not.include("Nothing was changed");
      const refreshed = JSON.stringify(
        await press(decider, "invitations.show", { invitationId: "keep-decline" }, deciderCard, "automatic"),
      );
      expect(refreshed).to.include("You declined this invitation on").and.not.include("Nothing was changed");
    });
  });
}
