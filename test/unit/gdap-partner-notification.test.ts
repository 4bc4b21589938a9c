import { expect } from "chai";
import { stringsFor } from "../../src/cards/strings.js";
import { AgreementSchema, type Acceptance } from "../../src/domain/agreement.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import { ROLE } from "../../src/domain/roles.js";
import { acceptInvitation, sendInvitation, type DecisionContext } from "../../src/domain/transitions.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { approvalLink } from "../../src/microsoft/gdap/index.js";

/**
 * The partner hears that the customer accepted: for a GDAP request, that the agreement was accepted in chat and
 * the roles still wait for the customer's Global administrator in the admin center; never that they were granted.
 */
const s = stringsFor("en");
const TENANT = "11111111-2222-3333-4444-555555555555";
const NOW = "2026-12-01T10:00:00.000Z";
const AGREEMENT = AgreementSchema.parse({
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "c".repeat(64),
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
const MICROSOFT: MicrosoftSide = {
  relationshipId: "rel-1",
  displayName: "PD-0123456789abcdef0123456789abcdef",
  status: "approvalPending",
  approvalLink: approvalLink("rel-1"),
  syncedAt: NOW,
};
const ctx = (): DecisionContext => ({
  tenantId: TENANT,
  actor: { userId: "a", name: "Ada" },
  now: NOW,
  correlationId: "c",
  newId: () => "id-1",
});

async function partnerCardText(microsoft: MicrosoftSide | undefined): Promise<string> {
  const sent = sendInvitation(
    {
      id: "inv-1",
      partner: { id: "contoso", name: "Contoso" },
      relationshipTypes: ["delegatedAdministrator"],
      roles: [ROLE.helpdeskAdministrator],
      durationDays: 180,
      message: "",
      ...(microsoft ? { microsoft } : {}),
    },
    ctx(),
  );
  if (!sent.ok) throw new Error(sent.message);
  const { invitation } = sent.value;
  const result = acceptInvitation(
    invitation,
    undefined,
    AGREEMENT,
    { firstName: "Ada", lastName: "A", email: "ada@fabrikam.example" },
    ctx(),
  );
  if (!result.ok) throw new Error(result.code);
  const decided: Invitation = result.value.invitation;
  const acceptance: Acceptance = result.value.acceptance;
  const unused = () => {
    throw new Error("this card reads no such record");
  };
  const sources: NotificationSources = {
    invitations: { get: () => Promise.resolve({ value: decided, etag: "W/1" }), listPending: unused },
    acceptances: { get: () => Promise.resolve({ value: acceptance, etag: "W/1" }) },
    agreements: { current: () => Promise.resolve(AGREEMENT) },
    contactRequests: { get: unused },
    adminAudience: { teamsAdminIds: unused },
    tenantNames: { displayName: () => Promise.resolve("Fabrikam") },
  };
  return JSON.stringify(await renderNotification(result.value.notification, RECIPIENT, sources, new Date(NOW)));
}

describe("the partner's card when a customer accepts a GDAP request", () => {
  it("says the agreement was accepted and the roles wait for approval in the admin center, not that they were granted", async () => {
    const text = await partnerCardText(MICROSOFT);
    expect(text).to.include("Fabrikam accepted the Microsoft Customer Agreement");
    expect(text).to.include("must approve the GDAP request in the Microsoft 365 admin center");
    expect(text).to.not.match(/\bgranted\b/);
  });

  it("keeps today's text for a standalone invitation", async () => {
    const text = await partnerCardText(undefined);
    expect(text).to.include(JSON.stringify(s.partnerSide.accepted.split("{")[0]).slice(1, -1));
    expect(text).to.not.include("must approve the GDAP request");
  });
});
