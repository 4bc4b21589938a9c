import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { ContactRequest } from "../../src/domain/contactRequest.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { Partner } from "../../src/domain/partner.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { PARTNER_VIEW_ROWS, partnerViewCard, type PartnerWorkContext } from "../../src/features/partner-side/work.js";
import { buttonData } from "../helpers/journey.js";
import { manyRelationships } from "../helpers/manyRelationships.js";

const NOW = new Date("2026-11-29T12:00:00.000Z");
const s = stringsFor("en");
const partner: Partner = {
  id: "contoso",
  name: "Contoso Cloud Partners",
  tenantId: "p-tenant",
  locations: [],
  sizes: [],
  services: [],
  industries: [],
  types: ["reseller"],
  contacts: [],
};
const customer = (n: number) => `c0ffee00-0000-4000-8000-${String(n).padStart(12, "0")}`;
const TEAMS_CARD_LIMIT = 28 * 1024;

function contextWith(work: {
  requests?: ContactRequest[];
  invitations?: Invitation[];
  relationships?: Relationship[];
}): PartnerWorkContext {
  return {
    identity: { tenantId: "p-tenant", userId: "pc", name: "Pat", locale: "en-GB" },
    roles: async () => [],
    strings: s,
    card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
    now: NOW,
    correlationId: "corr",
    ports: {
      partners: {
        partnerOfContact: async () => partner,
        get: async () => partner,
        search: async () => ({}) as never,
        places: async () => [],
      },
      tenantNames: { displayName: async (id) => `Customer ${id.slice(-2)}` },
      partnerWork: {
        contactRequestsFor: async (_id, max) => (work.requests ?? []).slice(0, max),
        invitationsFrom: async (_id, max) => (work.invitations ?? []).slice(0, max),
        relationshipsOf: async () => work.relationships ?? [],
      },
    },
  };
}

describe("a partner contact's views (finding 7)", () => {
  it("lists the newest contact requests, each with the customer's details and Send invitation, in a card well under Teams' limit", async () => {
    const requests: ContactRequest[] = Array.from({ length: 20 }, (_, i) => ({
      id: `CR-${i}`,
      tenantId: customer(i),
      partnerIds: ["contoso"],
      businessNeeds: `Request ${i}: ${"We need help with licensing and device management. ".repeat(80)}`,
      requester: { userId: "u", name: `Person ${i}`, organization: `Organization ${i}`, email: `p${i}@example.com`, phone: "+46 8 123 45" },
      createdAt: addDays(NOW.toISOString(), -i),
    }));
    const card = await partnerViewCard(contextWith({ requests }), partner, "requests");
    const text = JSON.stringify(card);
    expect(Buffer.byteLength(text)).to.be.below(TEAMS_CARD_LIMIT * 0.75);
    expect(text).to.include(`Showing the latest ${PARTNER_VIEW_ROWS}.`);
    expect(text).to.include("Organization 0").and.include("Person 0").and.include("p0@example.com").and.include("29 Nov 2026, 12:00 UTC");
    expect(text).to.not.include("Organization 15");
    // A long message is shortened in the list; the whole of it is on the request's own card.
    expect(text).to.include("…").and.not.include(requests[0]!.businessNeeds);
    expect(buttonData(card, "Send invitation")).to.deep.equal({
      verb: "partnerSide.invitationForm",
      data: { customerTenantId: customer(0), contactRequestId: "CR-0" },
    });
  });

  it("shows each invitation sent with where it stands: pending, expired, or decided by whom and when", async () => {
    const base: Invitation = {
      id: "inv-1",
      tenantId: customer(1),
      partnerId: "contoso",
      partnerName: "Contoso Cloud Partners",
      relationshipTypes: ["resellerAndDelegatedAdministrator"],
      roles: [ROLE.globalAdministrator],
      durationDays: 180,
      message: "Hello",
      status: "pending",
      createdAt: addDays(NOW.toISOString(), -1),
      expiresAt: addDays(NOW.toISOString(), 89),
    };
    const invitations: Invitation[] = [
      base,
      { ...base, id: "inv-2", tenantId: customer(2), expiresAt: addDays(NOW.toISOString(), -1) },
      {
        ...base,
        id: "inv-3",
        tenantId: customer(3),
        status: "declined",
        decidedAt: "2026-11-28T14:02:00.000Z",
        decidedBy: { userId: "a", name: "Ada Admin" },
        declineReason: "Too broad",
      },
    ];
    const text = JSON.stringify(await partnerViewCard(contextWith({ invitations }), partner, "invitations"));
    expect(text).to.include("Customer 01").and.include('"pending"').and.include("Global administrator");
    expect(text).to.include("Customer 02").and.include('"expired"');
    expect(text).to.include("Customer 03").and.include("28 Nov 2026, 14:02 UTC by Ada Admin").and.include("Too broad");
    expect(text).to.not.include("Showing the latest");
  });

  it("lists customers current ones first, and says how many there are when it leaves some out", async () => {
    const relationships = manyRelationships("t", 20, NOW).map((r, i) => ({ ...r, tenantId: customer(i) }));
    const text = JSON.stringify(await partnerViewCard(contextWith({ relationships }), partner, "customers"));
    expect(text).to.include(`Showing ${PARTNER_VIEW_ROWS} of 20: current ones first, by name.`);
    // The four ended relationships (customers 04, 09, 14, 19) are the ones left out.
    expect(text).to.include("Customer 00").and.not.include('"Ended"').and.not.include("Customer 19");
  });

  it("says so when the partner has nothing yet", async () => {
    const text = JSON.stringify(await partnerViewCard(contextWith({}), partner, "customers"));
    expect(text).to.include("Contoso Cloud Partners has no customer relationship in Partner Desk yet.");
  });
});
