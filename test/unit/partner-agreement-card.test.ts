import { expect } from "chai";
import type { AdaptiveCardJson } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { AgreementSchema, type Acceptance, type PrimaryContact } from "../../src/domain/agreement.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import type { Notification } from "../../src/domain/notification.js";
import { RelationshipSchema } from "../../src/domain/relationship.js";
import { acceptAgreement } from "../../src/domain/transitions.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { NotificationSourceMissing } from "../../src/outbox/ports.js";

/**
 * When a customer accepts the MCA, the partner gets Partner Center's Agreement record of it, field for field, and
 * is told where to confirm it. Partner Desk has not confirmed it in Partner Center, so no card may say so.
 */
const s = stringsFor("en");
const TENANT = "11111111-2222-3333-4444-555555555555";
const NOW = "2026-03-10T09:00:00.000Z";
const AGREEMENT = AgreementSchema.parse({
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "b".repeat(64),
  effectiveFrom: "2024-06-01T00:00:00.000Z",
});
const RECIPIENT: ConversationRecord = {
  tenantId: "partner-tenant",
  userId: "partner-user",
  name: "Pat Partner",
  reachableAs: "partnerContact",
  partnerId: "contoso",
  locale: "en-US",
  reference: { channelId: "msteams", serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
  stale: false,
  updatedAt: NOW,
};
const ctx = (): DecisionContext => {
  let n = 0;
  return { tenantId: TENANT, actor: { userId: "u-1", name: "Ada Lovelace" }, now: NOW, correlationId: "c-1", newId: () => `id-${++n}` };
};

function accepted(contact: PrimaryContact): { acceptance: Acceptance; notification: Notification } {
  const relationship = RelationshipSchema.parse({
    tenantId: TENANT,
    partnerId: "contoso",
    partnerName: "Contoso",
    types: ["reseller"],
    roles: [],
    agreement: { status: "notAccepted" },
    status: "active",
    since: "2025-06-01T12:00:00.000Z",
  });
  const result = acceptAgreement(relationship, AGREEMENT, contact, ctx());
  if (!result.ok) throw new Error(result.code);
  return result.value;
}

/** The ports a notification card reads, holding just the acceptance (and the customer's name). */
function sources(acceptances: Acceptance[]): NotificationSources {
  const unused = () => {
    throw new Error("this card reads no such record");
  };
  return {
    acceptances: {
      get: (tenantId, id) => {
        const found = acceptances.find((a) => a.tenantId === tenantId && a.id === id);
        return Promise.resolve(found ? { value: found, etag: "W/1" } : undefined);
      },
    },
    invitations: { get: () => Promise.resolve(undefined), listPending: unused },
    agreements: { current: () => Promise.resolve(AGREEMENT) },
    contactRequests: { get: unused },
    adminAudience: { teamsAdminIds: unused },
    tenantNames: { displayName: () => Promise.resolve("Fabrikam") },
  };
}

function facts(card: AdaptiveCardJson): Array<{ title: string; value: string }> {
  const body = (card as { body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }> }).body;
  return body.filter((b) => b.type === "FactSet").flatMap((b) => b.facts ?? []);
}

describe("the partner's card of an accepted agreement", () => {
  const withPhone: PrimaryContact = { firstName: "Ada", lastName: "Lovelace", email: "ada@fabrikam.example", phoneNumber: "+46 8 123 45" };

  for (const type of ["agreementAccepted", "invitationAccepted"] as const) {
    it(`${type}: shows exactly Partner Center's Agreement fields, dateAgreed in UTC ISO form, and where to confirm it`, async () => {
      const { acceptance, notification } = accepted(withPhone);
      const n: Notification = { ...notification, type, payload: { ...notification.payload, invitationId: "INV-1", endsAt: NOW } };
      const card = await renderNotification(n, RECIPIENT, sources([acceptance]), new Date(NOW));
      expect(facts(card)).to.deep.equal([
        { title: "First name", value: "Ada" },
        { title: "Last name", value: "Lovelace" },
        { title: "Email", value: "ada@fabrikam.example" },
        { title: "Phone number", value: "+46 8 123 45" },
        { title: "Date agreed (UTC)", value: "2026-03-10T09:00:00.000Z" },
        { title: "Template id", value: "117a77b0-9360-443b-8795-c6dedc750cf9" },
        { title: "Type", value: "MicrosoftCustomerAgreement" },
        { title: "Agreement link", value: "https://www.microsoft.com/licensing/docs/customeragreement" },
      ]);
      const text = JSON.stringify(card);
      expect(text).to.include(
        "Confirm this acceptance in Partner Center (Customers › the customer › Account › Confirm Microsoft Customer Agreement), or through the Partner Center API",
      );
      expect(text.toLowerCase()).to.not.include("confirmed");
    });
  }

  it("leaves the phone number out when the admin gave none (Partner Center has it optional)", async () => {
    const { acceptance, notification } = accepted({ firstName: "Ada", lastName: "Lovelace", email: "ada@fabrikam.example" });
    const card = await renderNotification(notification, RECIPIENT, sources([acceptance]), new Date(NOW));
    expect(facts(card).map((f) => f.title)).to.deep.equal([
      "First name",
      "Last name",
      "Email",
      "Date agreed (UTC)",
      "Template id",
      "Type",
      "Agreement link",
    ]);
  });

  it("shows no record for a notification queued before acceptances carried one, and still says nothing was confirmed", async () => {
    const { notification } = accepted(withPhone);
    const { acceptanceId: _none, ...payload } = notification.payload;
    const card = await renderNotification({ ...notification, payload }, RECIPIENT, sources([]), new Date(NOW));
    expect(facts(card)).to.deep.equal([]);
    expect(JSON.stringify(card)).to.include("Fabrikam accepted the Microsoft Customer Agreement");
    expect(JSON.stringify(card).toLowerCase()).to.not.include("confirmed");
  });

  it("dead-letters the notification when the acceptance it names is gone (its record cannot be shown)", async () => {
    const { notification } = accepted(withPhone);
    let thrown: unknown;
    await renderNotification(notification, RECIPIENT, sources([]), new Date(NOW)).catch((e: unknown) => (thrown = e));
    expect(thrown).to.be.instanceOf(NotificationSourceMissing);
  });

  it("never says the agreement was confirmed in Partner Center, in any partner-side sentence", () => {
    // Every sentence, nested groups (the connection card's) included.
    const sentences = (node: unknown, at: string): Array<[string, string]> =>
      typeof node === "string"
        ? [[at, node]]
        : node !== null && typeof node === "object"
          ? Object.entries(node).flatMap(([key, child]) => sentences(child, `${at}.${key}`))
          : [];
    const all = sentences(s.partnerSide, "partnerSide");
    expect(all.length).to.be.greaterThan(10);
    for (const [key, sentence] of all) expect(sentence.toLowerCase(), key).to.not.include("confirmed in partner center");
  });
});
