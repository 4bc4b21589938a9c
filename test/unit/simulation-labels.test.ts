import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { AgreementSchema, type Agreement } from "../../src/domain/agreement.js";
import type { ConversationRecord } from "../../src/domain/conversation.js";
import type { Invitation } from "../../src/domain/invitation.js";
import type { MicrosoftSide } from "../../src/domain/microsoftSide.js";
import { NotificationSchema, type Notification } from "../../src/domain/notification.js";
import type { Partner } from "../../src/domain/partner.js";
import { fail, ok } from "../../src/domain/result.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { authorizeCard, invitationCard } from "../../src/features/invitations/views.js";
import { connectionCard } from "../../src/features/partner-side/connectionView.js";
import { renderNotification, type NotificationSources } from "../../src/features/partner-side/notificationCards.js";
import { partnerSendInvitation } from "../../src/features/partner-side/sendInvitation.js";
import type { Ports } from "../../src/features/ports.js";
import { partnerDetailsCard } from "../../src/features/relationships/views.js";
import { partnerListCard } from "../../src/features/relationships/partnerList.js";
import type { FeatureContext, ViewContext } from "../../src/features/types.js";
import { GDAP_ERROR } from "../../src/microsoft/gdap/errors.js";
import { openUrls } from "../helpers/journey.js";

/**
 * While the demo's Microsoft is the simulated Partner Center, every card that shows something from it (the
 * connection, a GDAP request, its status and approval link, the partner's notifications about it) says so first;
 * with Microsoft itself, no card does. One flag in the view context decides it.
 */
const s = stringsFor("en");
const LABEL = s.simulation.label;
const NOW = "2026-12-01T10:00:00.000Z";
const CUSTOMER = "c0ffee00-0000-4000-8000-000000000001";
const PARTNER_TENANT = "c0ffee00-0000-4000-8000-0000000000b0";
const SIMULATED_APPROVAL = "http://127.0.0.1:10010/admin-center/relationships/rel-1";

const view = (microsoftSimulated: boolean): ViewContext => ({
  identity: { tenantId: CUSTOMER, userId: "u", name: "Ada", locale: "en" },
  strings: s,
  card: (name, data) => renderCard(name, data, { strings: s, actionStyle: "execute" }),
  now: new Date(NOW),
  microsoftSimulated,
});
const labelled = (card: unknown): boolean => JSON.stringify(card).includes(JSON.stringify(LABEL).slice(1, -1));

const side = (status: MicrosoftSide["status"] = "approvalPending"): MicrosoftSide => ({
  relationshipId: "rel-1",
  displayName: "PD-0123456789abcdef0123456789abcdef",
  partnerTenantId: PARTNER_TENANT,
  status,
  approvalLink: SIMULATED_APPROVAL,
  syncedAt: NOW,
});
const PARTNER: Partner = {
  id: "contoso-cloud-partners",
  name: "Contoso Cloud Partners",
  tenantId: PARTNER_TENANT,
  locations: [{ country: "SE", city: "Stockholm" }],
  sizes: ["51-250"],
  services: ["Licensing"],
  industries: [],
  types: ["resellerAndDelegatedAdministrator"],
  contacts: [{ tenantId: PARTNER_TENANT, userId: "pc", name: "Pat" }],
};
const AGREEMENT: Agreement = AgreementSchema.parse({
  version: "2024-06",
  title: "Microsoft Customer Agreement",
  url: "https://www.microsoft.com/licensing/docs/customeragreement",
  contentHash: "c".repeat(64),
  effectiveFrom: "2024-06-01T00:00:00.000Z",
});
const invitation = (microsoft: MicrosoftSide | undefined, status: Invitation["status"] = "pending"): Invitation => ({
  id: "inv-1",
  tenantId: CUSTOMER,
  partnerId: PARTNER.id,
  partnerName: PARTNER.name,
  relationshipTypes: ["resellerAndDelegatedAdministrator"],
  roles: [ROLE.helpdeskAdministrator],
  durationDays: 180,
  message: "",
  status,
  createdAt: NOW,
  expiresAt: "2027-03-01T10:00:00.000Z",
  ...(microsoft ? { microsoft } : {}),
});
const relationship = (microsoft: MicrosoftSide | undefined): Relationship => ({
  tenantId: CUSTOMER,
  partnerId: PARTNER.id,
  partnerName: PARTNER.name,
  types: ["resellerAndDelegatedAdministrator"],
  roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-05-30T10:00:00.000Z" }],
  agreement: { status: "accepted", version: "2024-06" },
  status: "active",
  since: NOW,
  ...(microsoft ? { microsoft } : {}),
});

/** Every card that shows something from Microsoft, rendered in a view context with the flag on or off. */
const MICROSOFT_CARDS: Array<[string, (ctx: ViewContext) => unknown]> = [
  [
    "the connection card",
    (ctx) =>
      connectionCard(ctx, {
        partner: PARTNER,
        partnerTenantId: PARTNER_TENANT,
        connection: undefined,
        consentUrl: "http://127.0.0.1:10010/admin-consent/x",
        banner: null,
      }),
  ],
  ["a GDAP invitation (its GDAP text)", (ctx) => invitationCard(ctx, invitation(side()), AGREEMENT)],
  ["an accepted GDAP invitation (its approval button)", (ctx) => invitationCard(ctx, invitation(side(), "accepted"), AGREEMENT)],
  ["the accept step of a GDAP invitation", (ctx) => authorizeCard(ctx, invitation(side()), AGREEMENT)],
  ["the partner list with a GDAP relationship", (ctx) => partnerListCard(ctx, [relationship(undefined), relationship(side())])],
  ["a partner's details, in Microsoft", (ctx) => partnerDetailsCard(ctx, relationship(side("active")), [])],
];

describe("cards say when Microsoft is the simulated Partner Center", () => {
  for (const [name, render] of MICROSOFT_CARDS) {
    it(`${name}: carries the label while the simulation is on, and not with Microsoft itself`, () => {
      expect(labelled(render(view(true))), "simulated").to.equal(true);
      expect(labelled(render(view(false))), "Microsoft").to.equal(false);
    });
  }

  it("shows the label first, before any banner or title", () => {
    const card = invitationCard(view(true), invitation(side()), AGREEMENT, { text: "a banner", style: "good" }) as { body: unknown[] };
    expect(JSON.stringify(card.body[0])).to.include(JSON.stringify(LABEL).slice(1, -1));
  });

  it("leaves cards that show nothing from Microsoft unlabelled, even in the simulation", () => {
    expect(labelled(invitationCard(view(true), invitation(undefined), AGREEMENT))).to.equal(false);
    expect(labelled(authorizeCard(view(true), invitation(undefined), AGREEMENT))).to.equal(false);
    expect(labelled(partnerListCard(view(true), [relationship(undefined)]))).to.equal(false);
    expect(labelled(partnerDetailsCard(view(true), relationship(undefined), []))).to.equal(false);
  });

  it("sends an active simulated relationship's details to its page in the simulated admin center, not to Microsoft's", () => {
    expect(openUrls(partnerDetailsCard(view(true), relationship(side("active")), []))).to.include(SIMULATED_APPROVAL);
    expect(openUrls(partnerDetailsCard(view(false), relationship(side("active")), []))).to.not.include(SIMULATED_APPROVAL);
  });
});

describe("the partner's cards about a GDAP request, while Microsoft is simulated", () => {
  type SendPorts = Pick<
    Ports,
    "partners" | "contactRequests" | "relationships" | "tenantNames" | "decisions" | "connections" | "microsoft"
  >;
  const nothing = () => Promise.reject(new Error("not read by this test"));
  const ports = (requested: ReturnType<Ports["microsoft"]["requestRelationship"]>): SendPorts => ({
    partners: { search: nothing, get: nothing, partnerOfContact: () => Promise.resolve(PARTNER), places: nothing },
    contactRequests: { get: () => Promise.resolve(undefined) },
    relationships: { get: () => Promise.resolve({ value: relationship(undefined), etag: "W/1" }), listForTenant: nothing },
    tenantNames: { displayName: () => Promise.resolve("Fabrikam Demo") },
    decisions: { commit: () => Promise.resolve(ok({ etags: [] })) },
    connections: {
      get: () =>
        Promise.resolve({
          value: {
            partnerId: PARTNER.id,
            partnerTenantId: PARTNER_TENANT,
            status: "connected",
            checkedAt: NOW,
            checkedBy: { userId: "pc", name: "Pat" },
            lastCheck: "CONNECTION.OK",
          },
          etag: "W/1",
        }),
    },
    microsoft: {
      checkConnection: nothing,
      adminConsentLink: () => undefined,
      requestRelationship: () => requested,
      carryOutRemoval: nothing,
      turnOnAutoExtend: nothing,
      listRelationships: nothing,
    },
  });
  const send = async (microsoftSimulated: boolean, requested: ReturnType<Ports["microsoft"]["requestRelationship"]>) => {
    const ctx: FeatureContext<SendPorts> = {
      ...view(microsoftSimulated),
      identity: { tenantId: PARTNER_TENANT, userId: "pc", name: "Pat", locale: "en" },
      roles: () => Promise.resolve([]),
      correlationId: "c",
      ports: ports(requested),
    };
    const input = partnerSendInvitation.schema.parse({
      customerTenantId: CUSTOMER,
      types: "resellerAndDelegatedAdministrator",
      roles: ROLE.helpdeskAdministrator,
      durationDays: "180",
    });
    const outcome = await partnerSendInvitation.handle(input, ctx);
    if (!outcome.ok) throw new Error(outcome.code);
    return outcome.value.card;
  };

  it("labels the sent card with the GDAP request's facts, and not with Microsoft itself", async () => {
    const sent = await send(true, Promise.resolve(ok(side())));
    expect(JSON.stringify(sent)).to.include(side().displayName);
    expect(labelled(sent)).to.equal(true);
    expect(labelled(await send(false, Promise.resolve(ok(side()))))).to.equal(false);
  });

  it("labels the form that tells what the simulated Graph refused", async () => {
    const refused = await send(true, Promise.resolve(fail(GDAP_ERROR.UNAVAILABLE, "down")));
    expect(JSON.stringify(refused)).to.include(s.partnerSide.gdapNothingSent);
    expect(labelled(refused)).to.equal(true);
  });

  const RECIPIENT: ConversationRecord = {
    tenantId: PARTNER_TENANT,
    userId: "pc",
    name: "Pat",
    reachableAs: "partnerContact",
    partnerId: PARTNER.id,
    locale: "en-US",
    reference: { channelId: "msteams", serviceUrl: "https://smba.example", conversation: { id: "c" }, bot: { id: "b" }, user: { id: "u" } },
    stale: false,
    updatedAt: NOW,
  };
  const notification = (type: Notification["type"]): Notification =>
    NotificationSchema.parse({
      id: "n-1",
      tenantId: CUSTOMER,
      type,
      recipient: { kind: "partner", partnerId: PARTNER.id },
      payload: { invitationId: "inv-1", roles: [ROLE.helpdeskAdministrator] },
      status: "pending",
      attempts: 0,
      createdAt: NOW,
      correlationId: "c",
    });
  const sources = (held: Invitation): NotificationSources => ({
    invitations: { get: () => Promise.resolve({ value: held, etag: "W/1" }), listPending: nothing },
    acceptances: { get: nothing },
    agreements: { current: () => Promise.resolve(AGREEMENT) },
    contactRequests: { get: nothing },
    adminAudience: { teamsAdminIds: () => Promise.resolve([]) },
    tenantNames: { displayName: () => Promise.resolve("Fabrikam Demo") },
  });

  for (const [type, status] of [
    ["invitationAccepted", "accepted"],
    ["invitationReceived", "pending"],
  ] as const) {
    it(`labels the ${type} notification of a GDAP request while simulated, and not otherwise`, async () => {
      const render = (held: Invitation, microsoftSimulated: boolean) =>
        renderNotification(notification(type), RECIPIENT, sources(held), new Date(NOW), { microsoftSimulated });
      expect(labelled(await render(invitation(side(), status), true))).to.equal(true);
      expect(labelled(await render(invitation(side(), status), false))).to.equal(false);
      expect(labelled(await render(invitation(undefined, status), true)), "standalone").to.equal(false);
    });
  }

  it("labels a partner's notice of roles removed by its simulated connection, and not a removal recorded only", async () => {
    const removal = (inMicrosoft: string | undefined) =>
      NotificationSchema.parse({
        ...notification("rolesRemoved"),
        payload: { removedRoles: [ROLE.helpdeskAdministrator], ...(inMicrosoft ? { inMicrosoft } : {}) },
      });
    const render = (n: Notification, microsoftSimulated: boolean) =>
      renderNotification(n, RECIPIENT, sources(invitation(undefined)), new Date(NOW), { microsoftSimulated });
    expect(labelled(await render(removal("removed"), true))).to.equal(true);
    expect(labelled(await render(removal("removed"), false))).to.equal(false);
    expect(labelled(await render(removal(undefined), true)), "recorded only").to.equal(false);
  });
});
