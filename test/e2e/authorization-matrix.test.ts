import { write } from "../../src/domain/decision.js";
import type { AccessReview } from "../../src/domain/accessReview.js";
import { expect } from "chai";
import type { RunningApp } from "../../src/app.js";
import { DEMO } from "../../src/demo/constants.js";
import { ROLE } from "../../src/domain/roles.js";
import { addDays } from "../../src/domain/time.js";
import { ROUTES } from "../../src/features/index.js";
import { sharedAzurite } from "../helpers/azurite.js";
import { startBotUnderTest } from "../helpers/botUnderTest.js";
import { ChannelEmulator } from "../helpers/channelEmulator.js";
import { ACCEPTING_CONTACT, type TestUser } from "../helpers/journey.js";
import { changedRows, expectNothingChanged, tablePrefixOf, tableSnapshotter, type TablesSnapshot } from "../helpers/tableSnapshot.js";
import { personalChat, teamsCardAction } from "../helpers/activities.js";

/*
 * Every verb of the router x every kind of person who could press it, against the policy:
 * - customer decisions and reads of invitations and relationships: a Global or Billing administrator of the
 *   customer tenant itself (policies.ts: nobody acts across tenants);
 * - partnerSide.* verbs: a contact of a partner linked to the customer (contact request or relationship);
 * - menu, partner types and the public directory search: everyone, without any of a tenant's private data.
 * A refused pair changes no row of any table (compared by ETag) and shows nothing of the customer's records.
 */

const CUSTOMER = DEMO.customerTenantId;
const PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000001";
const OTHER_PARTNER_TENANT = "d0d0d0d0-0000-4000-8000-000000000002";
const OTHER_CUSTOMER = "abcdef00-0000-4000-8000-000000000001";

/** The partner the customer's records below belong to, and another one with no link to the customer. */
const PARTNER = { id: "matrix-partner", name: "Matrix Partner Ltd" };
const OTHER_PARTNER = { id: "elsewhere-partner", name: "Elsewhere Partner GmbH" };

/** The customer's records every refused actor aims at. */
const TARGET_INVITATION = "inv-matrix-target";
const TARGET_REVIEW = "review-matrix-target";
const CONTACT_REQUEST = "CR-MATRIX00001";
/** Only in the customer's private records (an invitation's message, a contact request's needs). */
const PRIVATE = "MATRIX-PRIVATE";
const SEEDED_MESSAGE = "We asked for Global administrator for the migration weeks only";
/** Names of the partners the customer has invitations from or relationships with (private inventory). */
const RECORD_PARTNER_NAMES = [PARTNER.name, "Northwind Managed Services", "Contoso Cloud Partners"];

type ActorKey = "globalAdmin" | "billingAdmin" | "member" | "partnerContact" | "otherPartnerContact" | "otherTenantAdmin";
type Expected = "allowed" | "refused" | "open" | "own";

interface Actor {
  key: ActorKey;
  /** Short, for ids of the records an allowed decision of this actor gets for itself. */
  slug: string;
  label: string;
  user: TestUser;
  tenantId: string;
  /** The organization name the contact form would prefill. */
  organization?: string;
  /** Admins and partner contacts get their conversation reference stored (notifications). */
  reachable: boolean;
}

const ACTORS: readonly Actor[] = [
  {
    key: "globalAdmin",
    slug: "ga",
    label: "a Global administrator of the customer",
    user: { id: "29:mx-ga", name: DEMO.admin.name, aadObjectId: DEMO.admin.userId },
    tenantId: CUSTOMER,
    organization: DEMO.customerName,
    reachable: true,
  },
  {
    key: "billingAdmin",
    slug: "ba",
    label: "a Billing administrator of the customer",
    user: { id: "29:mx-ba", name: "Bea Billing", aadObjectId: "c0ffee00-0000-4000-8000-0000000000b5" },
    tenantId: CUSTOMER,
    organization: DEMO.customerName,
    reachable: true,
  },
  {
    key: "member",
    slug: "member",
    label: "a user of the customer without an admin role",
    user: { id: "29:mx-member", name: DEMO.member.name, aadObjectId: DEMO.member.userId },
    tenantId: CUSTOMER,
    organization: DEMO.customerName,
    reachable: false,
  },
  {
    key: "partnerContact",
    slug: "pc",
    label: "a contact of the customer's partner",
    user: { id: "29:mx-pc", name: "Pia Partner", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c1" },
    tenantId: PARTNER_TENANT,
    reachable: true,
  },
  {
    key: "otherPartnerContact",
    slug: "opc",
    label: "a contact of another partner",
    user: { id: "29:mx-opc", name: "Otto Other", aadObjectId: "d0d0d0d0-0000-4000-8000-0000000000c2" },
    tenantId: OTHER_PARTNER_TENANT,
    reachable: true,
  },
  {
    key: "otherTenantAdmin",
    slug: "oga",
    label: "a Global administrator of another tenant",
    user: { id: "29:mx-oga", name: "Olga Outsider", aadObjectId: "abcdef00-0000-4000-8000-0000000000ad" },
    tenantId: OTHER_CUSTOMER,
    reachable: true,
  },
];

interface Answer {
  text: string;
  /** The invoke answered with a card (not an error). */
  isCard: boolean;
}

interface VerbCase {
  /** A read answers with data and writes nothing; a decision changes state when allowed. */
  kind: "read" | "decision";
  /** `fresh`: an allowed decision acts on records of its own (made in setup), so every allowed case changes something. */
  payload(actor: Actor, target: "shared" | "fresh"): Record<string, unknown>;
  expected: Record<ActorKey, Expected>;
  /** What an allowed (or open) answer shows. */
  shows?(actor: Actor): string[];
  /** Find-partner cards list directory partners, whose names are public. */
  publicNames?: boolean;
  /** Puts the target of an allowed decision in the state it starts from. */
  arrange?(actor: Actor): Promise<void>;
  /** The state an allowed (or own-tenant) decision must have changed. */
  changed?(actor: Actor): Promise<void>;
  /** The decision also puts work on the schedule (the `schedule` table, by due day), beside the tenant's partition. */
  schedules?: boolean;
}

const EVERYONE: Record<ActorKey, Expected> = {
  globalAdmin: "open",
  billingAdmin: "open",
  member: "open",
  partnerContact: "open",
  otherPartnerContact: "open",
  otherTenantAdmin: "open",
};
/** Customer admins of this tenant only; an admin of another tenant may do the same, for their own tenant only. */
const ADMINS = (otherTenantAdmin: Expected): Record<ActorKey, Expected> => ({
  globalAdmin: "allowed",
  billingAdmin: "allowed",
  member: "refused",
  partnerContact: "refused",
  otherPartnerContact: "refused",
  otherTenantAdmin,
});
const LINKED_PARTNER: Record<ActorKey, Expected> = {
  globalAdmin: "refused",
  billingAdmin: "refused",
  member: "refused",
  partnerContact: "allowed",
  otherPartnerContact: "refused",
  otherTenantAdmin: "refused",
};

/**
 * A partner contact's own views (its requests, invitations sent, customers): the linked partner's contact sees the
 * customer's records sent to it, another partner's contact only its own (none of this customer's); admins are refused.
 */
const PARTNER_VIEW: Record<ActorKey, Expected> = {
  globalAdmin: "refused",
  billingAdmin: "refused",
  member: "refused",
  partnerContact: "allowed",
  otherPartnerContact: "own",
  otherTenantAdmin: "refused",
};
/** The customer's lists, which a partner contact's typed command reaches too: there they show the partner's view. */
const ADMINS_OR_PARTNER_VIEW: Record<ActorKey, Expected> = {
  ...ADMINS("own"),
  partnerContact: "allowed",
  otherPartnerContact: "own",
};

/** Partner contacts, each for their own partner and tenant (the connection to Microsoft); nobody else. */
const OWN_PARTNER: Record<ActorKey, Expected> = {
  globalAdmin: "refused",
  billingAdmin: "refused",
  member: "refused",
  partnerContact: "own",
  otherPartnerContact: "own",
  otherTenantAdmin: "refused",
};

describe("end to end: the authorization matrix (every verb x every actor)", function () {
  this.timeout(120_000);
  let app: RunningApp;
  let channel: ChannelEmulator;
  let snapshot: () => Promise<TablesSnapshot>;
  const repos = () => app.storage;

  const freshInvitation = (what: string, actor: Actor) => `inv-${what}-${actor.slug}`;
  const freshPartner = (what: string, actor: Actor) => `fresh-${what}-${actor.slug}`;
  const freshName = (what: string, actor: Actor) => `Fresh ${what} partner (${actor.slug})`;
  const needs = (actor: Actor) => `Licensing for 80 people (${actor.slug})`;
  const invitationMessage = (actor: Actor) => `Happy to help (${actor.slug})`;

  const relationshipOf = async (partnerId: string) => (await repos().relationships.get(CUSTOMER, partnerId))?.value;
  const invitationOf = async (id: string) => (await repos().invitations.get(CUSTOMER, id))?.value;
  const reviewOf = async (id: string) => (await repos().accessReviews.get(CUSTOMER, id))?.value;
  const freshReview = (what: string, actor: Actor) => `review-${what}-${actor.slug}`;
  /** A review of PARTNER in the customer's tenant, open and undecided unless `decided`; written as given. */
  const putReview = async (id: string, status: AccessReview["status"], decided = false) => {
    const review: AccessReview = {
      tenantId: CUSTOMER,
      id,
      trigger: "scheduled",
      status,
      startedAt: new Date().toISOString(),
      startedBy: { userId: "partner-desk", name: "Partner Desk" },
      items: [
        {
          partnerId: PARTNER.id,
          partnerName: PARTNER.name,
          roles: [ROLE.helpdeskAdministrator],
          since: addDays(new Date().toISOString(), -30),
          ...(decided
            ? {
                decision: {
                  kind: "keep" as const,
                  by: { userId: "someone", name: "Someone" },
                  at: new Date().toISOString(),
                  justification: "Needed",
                },
              }
            : {}),
        },
      ],
    };
    const read = await repos().accessReviews.get(CUSTOMER, id);
    if (read) await repos().seed.update(write.accessReview(review), read.etag);
    else await repos().seed.create(write.accessReview(review));
  };

  const CASES: Record<string, VerbCase> = {
    "menu.show": { kind: "read", payload: () => ({}), expected: EVERYONE, shows: () => ["What would you like to do?"] },
    "partnerTypes.show": { kind: "read", payload: () => ({}), expected: EVERYONE, shows: () => ["Line-of-business (LOB) partner"] },
    "findPartner.start": { kind: "read", payload: () => ({}), expected: EVERYONE, shows: () => ["Organization size"], publicNames: true },
    "findPartner.search": {
      kind: "read",
      payload: () => ({ location: "Sweden", size: "any", keywords: "licensing", page: 0 }),
      expected: EVERYONE,
      shows: () => ["Partners that match"],
      publicNames: true,
    },
    "findPartner.contactForm": {
      kind: "read",
      payload: () => ({ location: "Sweden", size: "any", keywords: "licensing", page: 0, selected: PARTNER.id }),
      expected: ADMINS("own"),
      // The form is prefilled with the organization's name: the actor's own tenant's.
      shows: (actor) => ["Business needs", PARTNER.name, ...(actor.organization ? [actor.organization] : [])],
      publicNames: true,
    },
    "findPartner.send": {
      kind: "decision",
      payload: (actor) => ({
        partnerIds: PARTNER.id,
        businessNeeds: needs(actor),
        organization: actor.organization ?? "",
        contactName: actor.user.name,
        contactEmail: "someone@example.com",
      }),
      expected: ADMINS("own"),
      shows: () => ["Request sent"],
      publicNames: true,
      async changed(actor) {
        // The request belongs to the sender's own tenant, whichever that is.
        const requests = await repos().contactRequests.listForTenant(actor.tenantId);
        expect(requests.map((r) => r.value.businessNeeds)).to.include(needs(actor));
      },
    },
    "invitations.list": {
      kind: "read",
      payload: () => ({}),
      expected: ADMINS_OR_PARTNER_VIEW,
      shows: (actor) =>
        actor.key === "partnerContact" ? ["Invitations sent", DEMO.customerName, "pending"] : [PARTNER.name, "Contoso Cloud Partners"],
    },
    "invitations.show": {
      kind: "read",
      payload: () => ({ invitationId: TARGET_INVITATION }),
      expected: ADMINS("refused"),
      shows: () => [`Invitation from ${PARTNER.name}`, PRIVATE],
    },
    "invitations.review": {
      kind: "read",
      payload: () => ({ invitationId: TARGET_INVITATION }),
      expected: ADMINS("refused"),
      shows: () => ["I have read the Microsoft Customer Agreement", PARTNER.name],
    },
    "invitations.accept": {
      kind: "decision",
      payload: (actor, target) => ({
        invitationId: target === "fresh" ? freshInvitation("accept", actor) : TARGET_INVITATION,
        agreementVersion: DEMO.agreementVersion,
        agreed: "true",
        ...ACCEPTING_CONTACT,
      }),
      expected: ADMINS("refused"),
      shows: (actor) => [`You accepted ${freshName("accept", actor)}'s invitation and the Microsoft Customer Agreement`],
      schedules: true,
      async changed(actor) {
        expect((await invitationOf(freshInvitation("accept", actor)))?.status).to.equal("accepted");
        expect((await relationshipOf(freshPartner("accept", actor)))?.status).to.equal("active");
        // A partner now holds admin roles: the tenant's next quarterly access review is on the schedule.
        const scheduled: string[] = [];
        for await (const row of repos().tables.client("schedule").listEntities()) scheduled.push(String(row.rowKey));
        expect(scheduled.some((key) => key.startsWith(`accessReview|${CUSTOMER}|review|`))).to.equal(true);
      },
    },
    "invitations.declineForm": {
      kind: "read",
      payload: () => ({ invitationId: TARGET_INVITATION }),
      expected: ADMINS("refused"),
      shows: () => [`Decline the invitation from ${PARTNER.name}?`],
    },
    "invitations.decline": {
      kind: "decision",
      payload: (actor, target) => ({
        invitationId: target === "fresh" ? freshInvitation("decline", actor) : TARGET_INVITATION,
        reason: "Global administrator is too much",
      }),
      expected: ADMINS("refused"),
      shows: (actor) => [`You declined the invitation from ${freshName("decline", actor)}`],
      async changed(actor) {
        const invitation = await invitationOf(freshInvitation("decline", actor));
        expect(invitation?.status).to.equal("declined");
        expect(invitation?.declineReason).to.equal("Global administrator is too much");
      },
    },
    // Four-eyes: a second admin's Approve completes an acceptance another admin recorded first.
    "invitations.approve": {
      kind: "decision",
      payload: (actor, target) => ({ invitationId: target === "fresh" ? freshInvitation("approve", actor) : TARGET_INVITATION }),
      expected: ADMINS("refused"),
      shows: (actor) => [`You approved ${freshName("approve", actor)}'s invitation, which Ada Earlier accepted`],
      async arrange(actor) {
        const read = (await repos().invitations.get(CUSTOMER, freshInvitation("approve", actor)))!;
        const firstApproval = {
          by: { userId: "someone-who-accepted-first", name: "Ada Earlier" },
          at: new Date().toISOString(),
          agreementVersion: DEMO.agreementVersion,
          contact: ACCEPTING_CONTACT,
        };
        await repos().seed.update(write.invitation({ ...read.value, firstApproval }), read.etag);
      },
      async changed(actor) {
        expect((await invitationOf(freshInvitation("approve", actor)))?.status).to.equal("accepted");
        expect((await relationshipOf(freshPartner("approve", actor)))?.status).to.equal("active");
      },
    },
    "relationships.list": {
      kind: "read",
      payload: () => ({}),
      expected: ADMINS_OR_PARTNER_VIEW,
      shows: (actor) =>
        actor.key === "partnerContact"
          ? ["Customers", DEMO.customerName, "Helpdesk administrator"]
          : [PARTNER.name, "Northwind Managed Services"],
    },
    "relationships.show": {
      kind: "read",
      payload: () => ({ partnerId: PARTNER.id }),
      expected: ADMINS("refused"),
      shows: () => [PARTNER.name, "Helpdesk administrator"],
    },
    "agreements.review": {
      kind: "read",
      payload: () => ({ partnerId: PARTNER.id }),
      expected: ADMINS("refused"),
      shows: () => ["Microsoft Customer Agreement", PARTNER.name],
    },
    "agreements.accept": {
      kind: "decision",
      payload: (actor, target) => ({
        partnerId: target === "fresh" ? freshPartner("agreement", actor) : PARTNER.id,
        agreementVersion: DEMO.agreementVersion,
        agreed: "true",
        ...ACCEPTING_CONTACT,
      }),
      expected: ADMINS("refused"),
      shows: (actor) => [freshName("agreement", actor)],
      async changed(actor) {
        expect((await relationshipOf(freshPartner("agreement", actor)))?.agreement).to.deep.equal({
          status: "accepted",
          version: DEMO.agreementVersion,
        });
      },
    },
    // Only recorded (an audit event), so every allowed admin can let the shared relationship end and change something.
    "lifecycle.letItEnd": {
      kind: "decision",
      payload: () => ({ partnerId: PARTNER.id, endsAt: "2027-06-30T12:00:00.000Z" }),
      expected: ADMINS("refused"),
      shows: () => [`You chose to let the relationship with ${PARTNER.name} end`],
      async changed(actor) {
        const events = await repos().audit.latest(CUSTOMER, 50);
        const mine = events.filter((e) => e.action === "expiry.letEnd" && e.actor.userId === actor.user.aadObjectId);
        expect(mine.map((e) => e.target)).to.deep.equal([`partner:${PARTNER.id}`]);
      },
    },
    "relationships.removeRolesConfirm": {
      kind: "read",
      payload: () => ({ partnerId: PARTNER.id }),
      expected: ADMINS("refused"),
      shows: () => [PARTNER.name, "Helpdesk administrator"],
    },
    "relationships.removeRoles": {
      kind: "decision",
      payload: (actor, target) => ({ partnerId: target === "fresh" ? freshPartner("roles", actor) : PARTNER.id }),
      expected: ADMINS("refused"),
      shows: (actor) => [freshName("roles", actor)],
      async changed(actor) {
        expect((await relationshipOf(freshPartner("roles", actor)))?.roles).to.deep.equal([]);
      },
    },
    "relationships.endForm": {
      kind: "read",
      payload: () => ({ partnerId: PARTNER.id }),
      expected: ADMINS("refused"),
      shows: () => [`Ask ${PARTNER.name} to end the relationship`],
    },
    "relationships.requestEnd": {
      kind: "decision",
      payload: (actor, target) => ({
        partnerId: target === "fresh" ? freshPartner("end", actor) : PARTNER.id,
        message: "We are consolidating vendors.",
      }),
      expected: ADMINS("refused"),
      shows: () => ["Termination requested"],
      async changed(actor) {
        expect((await relationshipOf(freshPartner("end", actor)))?.status).to.equal("terminationRequested");
      },
    },
    "partnerSide.invitationForm": {
      kind: "read",
      payload: () => ({ customerTenantId: CUSTOMER, contactRequestId: CONTACT_REQUEST }),
      expected: LINKED_PARTNER,
      shows: () => [`Send an invitation to ${DEMO.customerName}`],
    },
    "partnerSide.sendInvitation": {
      kind: "decision",
      payload: (actor) => ({
        customerTenantId: CUSTOMER,
        contactRequestId: CONTACT_REQUEST,
        types: "resellerAndDelegatedAdministrator",
        roles: ROLE.helpdeskAdministrator,
        durationDays: "90",
        message: invitationMessage(actor),
      }),
      expected: LINKED_PARTNER,
      shows: () => ["Invitation sent"],
      async changed(actor) {
        const pending = (await repos().invitations.listPending(CUSTOMER)).map((i) => i.value);
        expect(pending.find((i) => i.message === invitationMessage(actor))).to.deep.include({ partnerId: PARTNER.id, durationDays: 90 });
      },
    },
    "partnerSide.confirmEnd": {
      kind: "decision",
      payload: () => ({ customerTenantId: CUSTOMER }),
      expected: LINKED_PARTNER,
      shows: () => [`The relationship with ${DEMO.customerName} has ended`],
      async arrange() {
        // The customer has asked to end it (the refused pairs ran against the active relationship before this).
        const read = (await repos().relationships.get(CUSTOMER, PARTNER.id))!;
        await repos().seed.update(
          write.relationship({ ...read.value, status: "terminationRequested", terminationRequestedAt: new Date().toISOString() }),
          read.etag,
        );
      },
      async changed() {
        expect((await relationshipOf(PARTNER.id))?.status).to.equal("terminated");
      },
    },
    "partnerSide.requests": {
      kind: "read",
      payload: () => ({}),
      expected: PARTNER_VIEW,
      shows: () => ["Contact requests", DEMO.customerName, PRIVATE, "Send invitation"],
    },
    "partnerSide.invitations": {
      kind: "read",
      payload: () => ({}),
      expected: PARTNER_VIEW,
      shows: () => ["Invitations sent", DEMO.customerName, "pending"],
    },
    "partnerSide.customers": {
      kind: "read",
      payload: () => ({}),
      expected: PARTNER_VIEW,
      // Its roles may be gone by now (the allowed partnerSide.confirmEnd runs first): the customer is listed in any status.
      shows: () => ["Customers", DEMO.customerName],
    },
    // The partner's own card: its own name (public, from the directory) and nothing of any customer.
    "partnerSide.connection": {
      kind: "read",
      payload: () => ({}),
      expected: OWN_PARTNER,
      shows: () => ["to Microsoft", "DelegatedAdminRelationship.ReadWrite.All"],
      publicNames: true,
    },
    // This bot runs in local mode: a check answers "not available" before any call, and writes nothing.
    "partnerSide.checkConnection": {
      kind: "read",
      payload: () => ({}),
      expected: OWN_PARTNER,
      shows: () => ["isn't available in local mode"],
      publicNames: true,
    },
    // The tenant's settings (four-eyes): its own admins, each for their own tenant.
    "settings.show": {
      kind: "read",
      payload: () => ({}),
      expected: ADMINS("own"),
      shows: () => ["Second approval for Global administrator"],
    },
    "settings.fourEyesConfirm": {
      kind: "read",
      payload: () => ({ on: "true" }),
      expected: ADMINS("own"),
      shows: () => ["Require a second approval?"],
    },
    // The Global administrator turns it on, then the Billing administrator off again: each allowed pair changes it.
    "settings.fourEyes": {
      kind: "decision",
      payload: (actor) => ({ on: actor.key === "billingAdmin" ? "false" : "true" }),
      expected: ADMINS("own"),
      shows: (actor) => [actor.key === "billingAdmin" ? "no longer required" : "now required"],
      async changed(actor) {
        const policy = (await repos().tenantPolicies.get(actor.tenantId))?.value;
        expect(policy?.fourEyesForGlobalAdmin).to.equal(actor.key !== "billingAdmin");
      },
    },
    "accessReview.start": {
      kind: "decision",
      payload: () => ({}),
      expected: ADMINS("own"),
      shows: () => ["Access review started"],
      schedules: true,
      async arrange() {
        // One review is open at a time: the ones open now are put aside, so this press starts a new one.
        for (const r of await repos().accessReviews.listForTenant(CUSTOMER))
          if (r.value.status === "open") await repos().seed.update(write.accessReview({ ...r.value, status: "completed" }), r.etag);
      },
      async changed(actor) {
        const reviews = (await repos().accessReviews.listForTenant(actor.tenantId)).map((r) => r.value);
        expect(reviews.filter((r) => r.status === "open" && r.startedBy.userId === actor.user.aadObjectId)).to.have.length(1);
      },
    },
    "accessReview.show": {
      kind: "read",
      payload: () => ({ reviewId: TARGET_REVIEW }),
      expected: ADMINS("refused"),
      shows: () => ["Access review", PARTNER.name],
      arrange: () => putReview(TARGET_REVIEW, "open"),
    },
    "accessReview.decisionForm": {
      kind: "read",
      payload: () => ({ reviewId: TARGET_REVIEW, partnerId: PARTNER.id, choice: "keep" }),
      expected: ADMINS("refused"),
      shows: () => [`Keep ${PARTNER.name}'s roles?`],
      arrange: () => putReview(TARGET_REVIEW, "open"),
    },
    "accessReview.decide": {
      kind: "decision",
      payload: (actor, target) => ({
        reviewId: target === "fresh" ? freshReview("decide", actor) : TARGET_REVIEW,
        partnerId: PARTNER.id,
        choice: "keep",
        justification: "They run our helpdesk",
      }),
      expected: ADMINS("refused"),
      shows: () => ["Kept by", "They run our helpdesk"],
      arrange: (actor) => putReview(freshReview("decide", actor), "open"),
      async changed(actor) {
        expect((await reviewOf(freshReview("decide", actor)))?.items[0]?.decision?.kind).to.equal("keep");
      },
    },
    "accessReview.complete": {
      kind: "decision",
      payload: (actor, target) => ({ reviewId: target === "fresh" ? freshReview("complete", actor) : TARGET_REVIEW }),
      expected: ADMINS("refused"),
      shows: () => ["Completed by"],
      arrange: (actor) => putReview(freshReview("complete", actor), "open", true),
      async changed(actor) {
        expect((await reviewOf(freshReview("complete", actor)))?.status).to.equal("completed");
      },
    },
    "lifecycle.askExtension": {
      kind: "decision",
      payload: (actor, target) => ({
        partnerId: target === "fresh" ? freshPartner("extend", actor) : PARTNER.id,
        send: true,
        message: "Another year, please",
      }),
      expected: ADMINS("refused"),
      shows: () => ["Request sent"],
      // Made when its turn comes (PARTNER's relationship has ended by then): earlier, it would push the partner list's
      // first page past PARTNER.
      async arrange(actor) {
        const now = new Date().toISOString();
        await repos().seed.create(
          write.relationship({
            tenantId: CUSTOMER,
            partnerId: freshPartner("extend", actor),
            partnerName: freshName("extend", actor),
            types: ["resellerAndDelegatedAdministrator"],
            roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(now, 20) }],
            agreement: { status: "notAccepted" },
            status: "active",
            since: addDays(now, -340),
            endsAt: addDays(now, 20),
          }),
        );
      },
      async changed(actor) {
        const events = await repos().audit.latest(CUSTOMER, 50);
        expect(
          events.find((e) => e.action === "extension.request" && e.target === `partner:${freshPartner("extend", actor)}`),
        ).to.not.equal(undefined);
      },
    },
    // This bot runs in local mode and the relationship has no GDAP side: the partner is told it can't be changed in
    // Microsoft from here (a new invitation instead), and nothing is written.
    "partnerSide.autoExtend": {
      kind: "read",
      payload: () => ({ customerTenantId: CUSTOMER }),
      expected: LINKED_PARTNER,
      shows: () => ["send a new invitation instead"],
    },
    // The local demo's `reset demo` (this server runs the demo): its admins only. Its allowed pairs run last (it is
    // the last route), so putting the demo back does not disturb the other cases' records.
    "demo.reset": {
      kind: "decision",
      payload: () => ({}),
      expected: ADMINS("refused"),
      shows: () => ["The demo is back to where it started"],
      async changed() {
        const pending = await repos().invitations.listPending(CUSTOMER);
        expect(pending.map((i) => i.value.id)).to.deep.equal([DEMO.invitationId]);
      },
    },
    // The audit export: a read (the file is offered, nothing is written); an admin of another tenant gets their own.
    "auditExport.request": {
      kind: "read",
      payload: () => ({}),
      expected: ADMINS("own"),
      shows: () => ["Your organization's history", "as a CSV file for Excel"],
    },
    "partnerSide.disconnect": {
      kind: "decision",
      payload: () => ({}),
      expected: OWN_PARTNER,
      shows: () => ["Disconnected"],
      publicNames: true,
      async changed(actor) {
        const partnerId = actor.tenantId === PARTNER_TENANT ? PARTNER.id : OTHER_PARTNER.id;
        expect((await repos().connections.get(actor.tenantId, partnerId))?.value.status).to.equal("disconnected");
      },
    },
  };

  // One personal conversation per person, in their own tenant, as Teams gives them; identity comes from here.
  const press = async (actor: Actor, verb: string, data: Record<string, unknown>): Promise<Answer> => {
    const since = channel.next; // what is recorded from now on
    const chat = personalChat(actor.user, actor.tenantId);
    const result = await channel.post(teamsCardAction(verb, data, chat));
    if (result.status !== 200) throw new Error(`HTTP ${result.status}: ${JSON.stringify(result.body)}`);
    if (result.body?.statusCode === 200 && result.body?.type === "application/vnd.microsoft.activity.message") {
      // The answer is a new card in the chat (the pressed one stays): that card is what the actor sees.
      const [posted] = await channel.waitFor(
        (r) => (r.kind === "reply" || r.kind === "send") && r.conversationId === chat.conversation.id && r.seq >= since,
      );
      return { text: JSON.stringify(posted?.activity), isCard: true };
    }
    return {
      text: JSON.stringify(result.body),
      isCard: result.body?.statusCode === 200 && result.body?.type === "application/vnd.microsoft.card.adaptive",
    };
  };

  /** What this actor must not see: the customer's private records, its name unless it is their own organization. */
  const mustNotShow = (actor: Actor, c: VerbCase) => [
    PRIVATE,
    TARGET_INVITATION,
    CONTACT_REQUEST,
    SEEDED_MESSAGE,
    ...(c.publicNames ? [] : RECORD_PARTNER_NAMES),
    ...(actor.tenantId === CUSTOMER ? [] : [DEMO.customerName]),
  ];
  const expectNoLeak = (answer: Answer, actor: Actor, c: VerbCase) => {
    for (const secret of mustNotShow(actor, c)) expect(answer.text, `the answer shows "${secret}"`).to.not.include(secret);
  };
  const expectShows = (answer: Answer, actor: Actor, c: VerbCase) => {
    expect(answer.isCard, answer.text.slice(0, 300)).to.equal(true);
    for (const shown of c.shows?.(actor) ?? []) expect(answer.text).to.include(shown);
  };

  before(async () => {
    // The outbox is only written here: delivery has its own tests.
    app = await startBotUnderTest({ NOTIFY_ENABLED: "false" });
    channel = await new ChannelEmulator(app.url, { channelId: "msteams" }).start();
    snapshot = tableSnapshotter((await sharedAzurite()).connectionString, tablePrefixOf(repos().tables.client("tenant")));
    const actor = (key: ActorKey) => ACTORS.find((a) => a.key === key)!;
    const now = new Date().toISOString();

    for (const [partner, contact, tenantId] of [
      [PARTNER, actor("partnerContact"), PARTNER_TENANT],
      [OTHER_PARTNER, actor("otherPartnerContact"), OTHER_PARTNER_TENANT],
    ] as const) {
      await repos().partners.upsert({
        ...partner,
        tenantId,
        locations: [{ country: "SE", city: "Malmö" }],
        sizes: ["51-250"],
        services: ["Licensing and billing"],
        industries: [],
        types: ["reseller", "resellerAndDelegatedAdministrator"],
        contacts: [{ tenantId, userId: contact.user.aadObjectId!, name: contact.user.name }],
      });
    }
    await app.directory.reload();
    for (const [who, tenantId, roleId] of [
      [actor("billingAdmin"), CUSTOMER, ROLE.billingAdministrator],
      [actor("otherTenantAdmin"), OTHER_CUSTOMER, ROLE.globalAdministrator],
    ] as const) {
      await repos().roleAssignments.upsert({ tenantId, userId: who.user.aadObjectId!, roleId, userName: who.user.name, assignedAt: now });
    }

    // The customer's records the refused pairs aim at: all of them link the customer to PARTNER.
    await repos().seed.create(
      write.contactRequest({
        id: CONTACT_REQUEST,
        tenantId: CUSTOMER,
        partnerIds: [PARTNER.id],
        businessNeeds: `${PRIVATE}: move 300 mailboxes`,
        requester: { userId: DEMO.admin.userId, name: DEMO.admin.name },
        createdAt: now,
      }),
    );
    const invitation = (id: string, partnerId: string, partnerName: string, message: string) =>
      repos().seed.create(
        write.invitation({
          id,
          tenantId: CUSTOMER,
          partnerId,
          partnerName,
          relationshipTypes: ["resellerAndDelegatedAdministrator"],
          roles: [ROLE.helpdeskAdministrator, ROLE.licenseAdministrator],
          durationDays: 180,
          message,
          status: "pending",
          createdAt: now,
          expiresAt: addDays(now, 90),
        }),
      );
    const relationship = (partnerId: string, partnerName: string) =>
      repos().seed.create(
        write.relationship({
          tenantId: CUSTOMER,
          partnerId,
          partnerName,
          types: ["resellerAndDelegatedAdministrator"],
          roles: [
            { roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(now, 200) },
            { roleId: ROLE.licenseAdministrator, expiresAt: addDays(now, 200) },
          ],
          agreement: { status: "notAccepted" },
          status: "active",
          since: addDays(now, -30),
          endsAt: addDays(now, 200),
        }),
      );
    await invitation(TARGET_INVITATION, PARTNER.id, PARTNER.name, `${PRIVATE}: we would like to run your licensing`);
    // Both partners connected to Microsoft, in their own tenants: what a contact's Disconnect acts on.
    for (const [partner, tenantId, contact] of [
      [PARTNER, PARTNER_TENANT, actor("partnerContact")],
      [OTHER_PARTNER, OTHER_PARTNER_TENANT, actor("otherPartnerContact")],
    ] as const) {
      const by = { userId: contact.user.aadObjectId!, name: contact.user.name };
      await repos().seed.create(
        write.connection({
          partnerId: partner.id,
          partnerTenantId: tenantId,
          status: "connected",
          checkedAt: now,
          checkedBy: by,
          lastCheck: "CONNECTION.OK",
          relationshipsVisible: 1,
          connectedAt: now,
          connectedBy: by,
        }),
      );
    }
    await relationship(PARTNER.id, PARTNER.name);
    await putReview(TARGET_REVIEW, "open");
    // The other tenant's admin starts a review in their own tenant: it has a partner with admin roles of its own.
    await repos().seed.create(
      write.relationship({
        tenantId: OTHER_CUSTOMER,
        partnerId: OTHER_PARTNER.id,
        partnerName: OTHER_PARTNER.name,
        types: ["resellerAndDelegatedAdministrator"],
        roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: addDays(now, 200) }],
        agreement: { status: "notAccepted" },
        status: "active",
        since: addDays(now, -30),
      }),
    );

    // Every allowed decision gets records of its own, so each one really changes something, in any order.
    for (const admin of [actor("globalAdmin"), actor("billingAdmin")]) {
      for (const what of ["accept", "decline", "approve"])
        await invitation(freshInvitation(what, admin), freshPartner(what, admin), freshName(what, admin), "Fresh invitation");
      for (const what of ["agreement", "roles", "end"]) await relationship(freshPartner(what, admin), freshName(what, admin));
    }

    // Warm-up: each person talks to the bot once, so the conversation reference the bot keeps for admins and
    // partner contacts (legitimate bookkeeping, written off the invoke's critical path) is already stored and
    // unchanged on later turns; then every table, conversations included, can be compared.
    for (const a of ACTORS) expect((await press(a, "menu.show", {})).isCard).to.equal(true);
    const deadline = Date.now() + 10_000;
    for (const a of ACTORS.filter((x) => x.reachable)) {
      while (!(await repos().conversations.get(a.tenantId, a.user.aadObjectId!))) {
        if (Date.now() > deadline) throw new Error(`conversation reference of ${a.label} not stored`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  after(async () => {
    await channel?.stop();
    await app?.stop();
  });

  it("has an expectation for every verb of the router, and for no other", () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(ROUTES.map((r) => r.verb).sort());
  });

  const pairs = (wanted: (e: Expected) => boolean) =>
    ROUTES.flatMap((route) => {
      const c = CASES[route.verb];
      return c
        ? ACTORS.filter((a) => wanted(c.expected[a.key])).map((actor) => ({ verb: route.verb, c, actor, expected: c.expected[actor.key] }))
        : [];
    });

  // Refused, open and own-tenant pairs first, while every shared target is still in the state a decision starts from.
  describe("refused, open and own-tenant pairs", () => {
    for (const { verb, c, actor, expected } of pairs((e) => e !== "allowed")) {
      const title =
        expected === "refused"
          ? `refuses ${actor.label}: ${verb}`
          : expected === "open"
            ? `is open to ${actor.label}, showing nothing private: ${verb}`
            : `lets ${actor.label} act for their own tenant only: ${verb}`;
      it(title, async () => {
        const decides = expected === "own" && c.kind === "decision";
        const act = () => press(actor, verb, c.payload(actor, "shared"));
        const before = decides ? await snapshot() : [];
        const answer = decides ? await act() : await expectNothingChanged(snapshot, act);
        if (decides) {
          // Index rows after the commit are bookkeeping, like the due index: the work indexes' pointers (table
          // `indexes`) and the outbox's index entries (table `outboxshards`).
          const changed = changedRows(before, await snapshot()).filter(
            (r) => !(c.schedules && r.table === "schedule") && r.table !== "indexes" && r.table !== "outboxShards",
          );
          expect(changed, "the actor's own tenant changed").to.not.have.length(0);
          expect(new Set(changed.map((r) => `${r.table} ${r.partitionKey}`)), "only the actor's own partition changed").to.deep.equal(
            new Set([`tenant ${actor.tenantId}`]),
          );
          await c.changed?.(actor);
        }
        expectNoLeak(answer, actor, c);
        if (expected === "open") expectShows(answer, actor, c);
        if (expected === "own") expect(answer.isCard, answer.text.slice(0, 300)).to.equal(true);
      });
    }
  });

  describe("allowed pairs", () => {
    for (const { verb, c, actor } of pairs((e) => e === "allowed")) {
      it(`allows ${actor.label}: ${verb}`, async () => {
        await c.arrange?.(actor);
        const act = () => press(actor, verb, c.payload(actor, c.kind === "decision" ? "fresh" : "shared"));
        if (c.kind === "read") {
          expectShows(await expectNothingChanged(snapshot, act, "a read writes nothing"), actor, c);
          return;
        }
        const before = await snapshot();
        const answer = await act();
        expectShows(answer, actor, c);
        // A decision that wrote a relationship also indexes its expiry warnings (the scheduler's `schedule` table, by
        // due day), a new row its work-index pointer (`indexes`), and one that queued notifications indexes them (the
        // outbox's `outboxshards` table): bookkeeping after the commit, not part of the decision.
        const changed = changedRows(before, await snapshot()).filter(
          (r) => r.table !== "schedule" && r.table !== "indexes" && r.table !== "outboxShards",
        );
        expect(changed, "the decision changed state").to.not.have.length(0);
        expect(new Set(changed.map((r) => `${r.table} ${r.partitionKey}`)), "in the customer's partition only").to.deep.equal(
          new Set([`tenant ${CUSTOMER}`]),
        );
        await c.changed?.(actor);
      });
    }
  });
});
