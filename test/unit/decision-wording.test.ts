import { expect } from "chai";
import en from "../../src/cards/strings/en.json" with { type: "json" };
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Notification } from "../../src/domain/notification.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";

/** Issue 11, findings 9 and 11: the words of decisions, the same everywhere and naming the right organization. */
const NOW = "2026-11-29T14:02:00.000Z";
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";

const admin = (channelId: string): ConversationRecord => ({
  tenantId: CUSTOMER,
  userId: "admin-1",
  name: "Ada Admin",
  reachableAs: "customerAdmin",
  locale: "en-US",
  reference: { channelId, serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
  stale: false,
  updatedAt: NOW,
});

const ended: Notification = {
  id: "n-1",
  tenantId: CUSTOMER,
  recipient: { kind: "tenantAdmins", tenantId: CUSTOMER },
  type: "relationshipEnded",
  payload: { partnerName: "Northwind Managed Services" },
  status: "pending",
  attempts: 0,
  createdAt: NOW,
  correlationId: "c",
  deliveries: {},
};

const sources = { tenantNames: { displayName: async () => "Fabrikam Demo" } } as unknown as NotificationSources;

describe("decision wording", () => {
  for (const channelId of ["msteams", "emulator"]) {
    it(`names the partner, not the customer's own organization, on the "ended" notice to its admins (${channelId})`, async () => {
      const text = JSON.stringify(await renderNotification(ended, admin(channelId), sources, new Date(NOW)));
      expect(text).to.include("Your relationship with Northwind Managed Services has ended");
      expect(text).to.not.include("Fabrikam Demo");
    });
  }

  it('says "Nothing was changed." everywhere, never "Nothing was saved"', () => {
    const all = JSON.stringify(en);
    expect(all).to.not.match(/nothing was saved/i);
    expect(all).to.include("Nothing was changed.");
  });
});
