import { formatMessage, type MessageValues } from "../../src/cards/messages.js";
import type { CardData, RoleModel } from "../../src/cards/models.js";
import type { TemplateName } from "../../src/cards/render.js";
import { languageOf, type Strings } from "../../src/cards/strings.js";
import type { PartnerType } from "../../src/domain/partnerTypes.js";
import { formatDate, formatDateTime, formatMoment, typeNames } from "../../src/features/cardText.js";
import { ADMIN_PARTNER_TYPES, PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { menuItems } from "../../src/features/menu/entries.js";
import { PARTNER_MENU } from "../../src/features/partner-side/home.js";
import { reviewCardSamples } from "./reviewCardSamples.js";

/** What people typed and names in the samples: data, shown as written whatever the reader's language. */
export const SAMPLE_DATA_PHRASES = [
  "We're moving 300 mailboxes to Microsoft 365 and need help with licensing and Intune.",
  "We don't give Global administrator; please ask for Helpdesk administrator only.",
  "Ended Partner AB",
  "Bartholomew Longname-Administrator",
] as const;

/** Realistic data for every template (typed per template, so a new template without samples does not compile). */
export function cardSamples(s: Strings): { [N in TemplateName]: Array<CardData[N]> } {
  // Everything a reader reads is written in the samples' language, as the views write it: the gallery and the
  // English-words scan see each card as its readers do.
  const locale = languageOf(s);
  const t = (message: string, values: MessageValues = {}) => formatMessage(s, message, values);
  const day = (iso: string) => formatDate(iso, locale);
  const moment = (iso: string) => formatMoment(iso, { locale }, s);
  const types = (...ids: PartnerType[]) => typeNames(ids, s);
  const gaName = s.roles.globalAdministrator.name;
  const helpdeskName = s.roles.helpdeskAdministrator.name;
  const ga: RoleModel = {
    name: s.roles.globalAdministrator.name,
    description: s.roles.globalAdministrator.description,
    broadest: true,
    color: "Attention",
  };
  const helpdesk: RoleModel = {
    name: s.roles.helpdeskAdministrator.name,
    description: s.roles.helpdeskAdministrator.description,
    broadest: false,
    color: "Default",
  };
  /** A GDAP relationship locked for approval: its approval link in the admin center (the GDAP API overview's template). */
  const approvalUrl = "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/5d027261-gdap-sample";
  const recordedOnly = {
    text: s.partners.recordedOnly,
    linkTitle: s.partners.openAdminCenter,
    url: "https://admin.microsoft.com/AdminPortal/Home#/partners",
  };
  const query = { location: "Sweden", size: "51-250", keywords: "security" };
  const hits = Array.from({ length: 10 }, (_, i) => ({
    rank: 10 + i + 1,
    id: `partner-${i}`,
    name: i === 3 ? "Nordic Cloud & Security Consulting Partners International AB" : `Partner ${i} AB`,
    summaryText: `${types("reseller", "advisor")} · Stockholm, SE`,
    typesText: types("reseller", "advisor"),
    locationText: "Stockholm, SE; Malmö, SE",
    servicesText: "Security and compliance, Microsoft 365 migration, Intune device management",
    selected: i === 1 || i === 3,
  }));
  const longName = "Nordic Cloud & Security Consulting Partners International AB";
  const WHEN5 = formatMessage(s.expiry, s.expiry.when, { kind: "endsIn", days: 5, daysAgo: 0 });
  const WHEN5_ROLES = formatMessage(s.expiry, s.expiry.whenRoles, { kind: "endsIn", days: 5, daysAgo: 0 });
  const ENDED = formatMessage(s.expiry, s.expiry.when, { kind: "ended", days: 0, daysAgo: 1 });
  const partnerHomeItems = PARTNER_MENU.map((entry) => ({
    verb: entry.verb,
    command: entry.command(s),
    title: entry.title(s),
    description: entry.description(s),
  }));
  return {
    ...reviewCardSamples(s),
    error: [
      { message: s.errors.unexpected, reference: "7f3c2a9e-41b0-4c55-9a0e-3d2f8b1c6e10" },
      { message: s.errors.conflict, reference: "" },
    ],
    menu: [
      { items: menuItems(s), note: "" },
      {
        items: menuItems(s).filter((i) => i.verb === "findPartner.start" || i.verb === "partnerTypes.show"),
        note: `${s.errors.menuOnlyAdmins} Ask Demo Admin.`,
      },
    ],
    welcome: [
      { items: menuItems(s), note: "" },
      {
        items: menuItems(s).filter((i) => i.verb === "findPartner.start" || i.verb === "partnerTypes.show"),
        note: `${s.errors.menuOnlyAdmins} Ask Demo Admin.`,
      },
    ],
    partnerHome: [
      {
        title: s.partnerHome.welcomeTitle,
        intro: t(s.partnerHome.welcomeIntro, { partner: "Contoso Cloud Partners" }),
        items: partnerHomeItems,
      },
      { title: s.menu.title, intro: s.partnerHome.menuIntro, items: partnerHomeItems },
    ],
    partnerWork: [
      {
        title: s.partnerHome.requestsTitle,
        intro: t(s.partnerHome.requestsIntro, { partner: "Contoso Cloud Partners" }),
        noneText: "",
        note: "",
        rows: [
          {
            title: "Fabrikam Demo",
            facts: [
              { title: s.partnerHome.organization, value: "Fabrikam Demo" },
              { title: s.partnerSide.contactPerson, value: "Demo Admin" },
              { title: s.partnerSide.email, value: "demo.admin@fabrikam.example" },
              { title: s.partnerHome.received, value: moment("2026-11-29T14:02:00Z") },
            ],
            details: SAMPLE_DATA_PHRASES[0],
            actions: [
              {
                title: s.partnerSide.sendInvitation,
                verb: "partnerSide.invitationForm",
                data: { customerTenantId: "c0ffee00-0000-4000-8000-000000000001", contactRequestId: "CR-1" },
              },
            ],
          },
        ],
      },
      {
        title: s.partnerHome.invitationsTitle,
        intro: t(s.partnerHome.invitationsIntro, { partner: "Contoso Cloud Partners" }),
        noneText: "",
        note: t(s.partnerHome.latestOnly, { count: 15 }),
        rows: [
          {
            title: "Fabrikam Demo",
            facts: [
              { title: s.partnerHome.status, value: s.invitations.statuses.declined },
              { title: s.partnerHome.types, value: types("resellerAndDelegatedAdministrator") },
              { title: s.partnerHome.roles, value: gaName },
              { title: s.partnerHome.sent, value: moment("2026-11-20T09:15:00Z") },
              {
                title: s.partnerHome.decided,
                value: t(s.partnerHome.decidedValue, { date: moment("2026-11-29T14:02:00Z"), by: "Demo Admin" }),
              },
            ],
            details: SAMPLE_DATA_PHRASES[1],
            actions: [],
          },
        ],
      },
      {
        title: s.partnerHome.customersTitle,
        intro: t(s.partnerHome.customersIntro, { partner: "Contoso Cloud Partners" }),
        noneText: t(s.partnerHome.customersNone, { partner: "Contoso Cloud Partners" }),
        note: "",
        rows: [],
      },
    ],
    partnerTypes: [
      {
        types: PARTNER_TYPES.map((type) => ({
          type,
          name: s.partnerTypes.types[type].name,
          description: s.partnerTypes.types[type].description,
          adminRoles: ADMIN_PARTNER_TYPES.has(type),
        })),
      },
    ],
    notice: [
      {
        // The settings card (four-eyes), in the notice template: the rule, its state, who changed it, the switch.
        title: s.settings.title,
        message: s.settings.fourEyesExplain,
        facts: [{ title: s.settings.fourEyesHeading, value: s.settings.off }],
        detailsTitle: "",
        details: formatMessage(s, s.settings.changedBy, {
          by: "Bartholomew Longname-Administrator",
          date: formatDateTime("2026-11-29T14:02:00Z", locale),
        }),
        actions: [
          { title: s.settings.turnOn, verb: "settings.fourEyesConfirm", data: { on: "true" } },
          { title: s.common.menu, verb: "menu.show", data: {} },
        ],
        banner: { text: s.settings.turnedOff, style: "good" },
        simulationLabel: "",
      },
      {
        title: s.findPartner.sentTitle,
        message: t(s.findPartner.sent, { count: 2 }),
        facts: [{ title: s.findPartner.reference, value: "CR-0A1B2C3D4E" }],
        detailsTitle: "",
        details: "",
        actions: [{ title: s.common.menu, verb: "menu.show", data: {} }],
        simulationLabel: "",
        banner: null,
      },
      {
        title: "t",
        message: "m",
        facts: [],
        detailsTitle: s.partnerSide.businessNeeds,
        details: "Move 200 mailboxes",
        actions: [],
        simulationLabel: s.simulation.label,
        banner: { text: "b", style: "warning" },
      },
    ],
    // Expiry warnings (src/features/lifecycle/expiryCard.ts): the admins' card late with its three buttons, after the
    // end, and the partner's card about some roles; with the longest partner name.
    expiryWarning: [
      {
        title: formatMessage(s.expiry.admin, s.expiry.admin.titleRelationship, { partner: longName, when: WHEN5 }),
        message: formatMessage(s.expiry.admin, s.expiry.admin.relationshipComing, {
          partner: longName,
          when: WHEN5,
          endDate: day("2027-03-31T00:00:00Z"),
          roles: `${s.roles.globalAdministrator.name}, ${s.roles.helpdeskAdministrator.name}, ${s.roles.licenseAdministrator.name}`,
        }),
        facts: [
          { title: s.expiry.roles, value: `${s.roles.globalAdministrator.name}, ${s.roles.helpdeskAdministrator.name}` },
          { title: s.expiry.ends, value: day("2027-03-31T00:00:00Z") },
        ],
        late: s.expiry.late,
        partnerId: "nordic",
        endsAt: "2027-03-31T14:00:00.000Z",
        adminActions: true,
        ended: false,
      },
      {
        title: formatMessage(s.expiry.admin, s.expiry.admin.titleRelationship, { partner: longName, when: ENDED }),
        message: formatMessage(s.expiry.admin, s.expiry.admin.relationshipEnded, {
          partner: longName,
          when: ENDED,
          endDate: day("2027-03-31T00:00:00Z"),
          roles: s.roles.helpdeskAdministrator.name,
        }),
        facts: [{ title: s.expiry.ended, value: day("2027-03-31T00:00:00Z") }],
        late: s.expiry.late,
        partnerId: "nordic",
        endsAt: "2027-03-31T14:00:00.000Z",
        adminActions: true,
        ended: true,
      },
      {
        title: formatMessage(s.expiry.partner, s.expiry.partner.titleRoles, { customer: "Fabrikam Demo", when: WHEN5_ROLES }),
        message: formatMessage(s.expiry.partner, s.expiry.partner.rolesComing, {
          customer: "Fabrikam Demo",
          when: WHEN5_ROLES,
          endDate: day("2027-03-31T00:00:00Z"),
          roles: s.roles.globalAdministrator.name,
        }),
        facts: [{ title: s.expiry.roles, value: s.roles.globalAdministrator.name }],
        late: "",
        partnerId: "nordic",
        endsAt: "2027-03-31T14:00:00.000Z",
        adminActions: false,
        ended: false,
      },
    ],
    findPartnerForm: [
      {
        location: "",
        size: "any",
        keywords: "",
        sizes: [
          { title: s.findPartner.sizeAny, value: "any" },
          { title: s.findPartner.sizes["51-250"], value: "51-250" },
        ],
        banner: null,
      },
      { ...query, sizes: [{ title: s.findPartner.sizeAny, value: "any" }], banner: { text: s.findPartner.noResults, style: "warning" } },
    ],
    findPartnerResults: [
      {
        summary: t(s.findPartner.resultsSummary, { count: 38, page: 2, pageCount: 4 }),
        criteria: t(s.findPartner.criteria, { criteria: "security · Sweden" }),
        hits,
        carriedCount: 2,
        carriedText: t(s.findPartner.carried, { count: 2 }),
        carry: { ...query, page: 1, carried: "x,y" },
        previousPage: { ...query, page: 0, carried: "x,y" },
        nextPage: { ...query, page: 2, carried: "x,y" },
        hasPrevious: true,
        hasNext: true,
        query,
        banner: null,
      },
      {
        summary: t(s.findPartner.resultsSummary, { count: 1, page: 1, pageCount: 1 }),
        criteria: "c",
        hits: hits.slice(0, 1).map((hit) => ({ ...hit, rank: 1, selected: false })),
        carriedCount: 0,
        carriedText: "",
        carry: {},
        previousPage: {},
        nextPage: {},
        hasPrevious: false,
        hasNext: false,
        query,
        banner: { text: s.findPartner.selectAtLeastOne, style: "attention" },
      },
    ],
    contactForm: [
      {
        partners: [{ name: "Contoso Cloud Partners" }, { name: "Fjord IT AB" }],
        partnerIds: "contoso-cloud-partners,fjord-it-ab",
        businessNeeds: "",
        organization: "Fabrikam",
        contactName: "Ada Admin",
        contactEmail: "",
        contactPhone: "",
        backToResults: { ...query, page: 0, carried: "" },
        banner: null,
      },
    ],
    invitationList: [
      {
        invitations: [
          {
            id: "inv-1",
            partnerName: "Contoso Cloud Partners",
            typesText: types("resellerAndDelegatedAdministrator"),
            rolesText: `${s.invitations.asksFor}: ${gaName}, ${helpdeskName}`,
            rolesColor: "Attention",
            expiresText: `${s.invitations.expires}: ${day("2027-02-22T00:00:00Z")}`,
          },
        ],
        banner: null,
      },
      { invitations: [], banner: { text: s.invitations.declined, style: "good" } },
    ],
    invitation: [
      {
        id: "inv-1",
        title: t(s.invitations.detailsTitle, { partner: "Contoso" }),
        typesText: types("resellerAndDelegatedAdministrator"),
        durationText: t(s.invitations.durationValue, { days: 180, endDate: day("2027-05-23T00:00:00Z") }),
        expiresText: day("2027-02-22T00:00:00Z"),
        agreementText: `${s.common.agreementName} (${t(s.invitations.agreementVersion, { version: "2024-06" })})`,
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [ga, helpdesk],
        hasGlobalAdmin: true,
        message: "Hello",
        actionable: true,
        gdapText: "",
        approvalUrl: "",
        approvalText: "",
        approvable: false,
        refreshUserIds: ["29:admin-1", "29:admin-2"],
        simulationLabel: "",
        banner: null,
      },
      {
        id: "inv-2",
        title: t(s.invitations.detailsTitle, { partner: "Alpine" }),
        typesText: types("reseller"),
        durationText: t(s.invitations.durationValue, { days: 30, endDate: day("2027-01-01T00:00:00Z") }),
        expiresText: day("2027-01-01T00:00:00Z"),
        agreementText: "—",
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [],
        hasGlobalAdmin: false,
        message: "",
        actionable: false,
        gdapText: "",
        approvalUrl: "",
        approvalText: "",
        approvable: false,
        refreshUserIds: [],
        simulationLabel: "",
        banner: {
          text: t(s.invitations.decidedByOther.accepted, { by: "Demo Admin", date: moment("2026-11-29T14:02:00Z") }),
          style: "warning",
        },
      },
      {
        id: "inv-gdap-1",
        title: t(s.invitations.detailsTitle, { partner: "Contoso" }),
        typesText: types("resellerAndDelegatedAdministrator"),
        durationText: t(s.invitations.durationValue, { days: 180, endDate: day("2027-05-23T00:00:00Z") }),
        expiresText: day("2027-02-22T00:00:00Z"),
        agreementText: `${s.common.agreementName} (${t(s.invitations.agreementVersion, { version: "2024-06" })})`,
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [helpdesk],
        hasGlobalAdmin: false,
        message: "",
        actionable: false,
        gdapText: s.invitations.waitingForApproval,
        approvalUrl,
        approvalText: "",
        approvable: false,
        refreshUserIds: ["29:admin-1"],
        simulationLabel: "",
        banner: { text: t(s.invitations.decidedByYou.accepted, { date: day("2026-11-29T14:02:00Z") }), style: "accent" },
      },
      {
        // A pending GDAP request in the simulated Partner Center: decisions, the request's note and the demo label.
        id: "inv-gdap-2",
        title: t(s.invitations.detailsTitle, { partner: "Contoso Cloud Partners" }),
        typesText: types("resellerAndDelegatedAdministrator"),
        durationText: t(s.invitations.durationValue, { days: 180, endDate: day("2027-05-23T00:00:00Z") }),
        expiresText: day("2027-02-22T00:00:00Z"),
        agreementText: `${s.common.agreementName} (${t(s.invitations.agreementVersion, { version: "2024-06" })})`,
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [helpdesk],
        hasGlobalAdmin: false,
        message: "",
        actionable: true,
        gdapText: s.invitations.gdapRequest,
        approvalUrl: "",
        approvalText: "",
        approvable: false,
        refreshUserIds: [],
        simulationLabel: s.simulation.label,
        banner: null,
      },
      {
        // Four-eyes: accepted by one admin, waiting for a second one's approval (Approve and Decline).
        id: "inv-four-eyes",
        title: t(s.invitations.detailsTitle, { partner: "Contoso Cloud Partners" }),
        typesText: types("resellerAndDelegatedAdministrator"),
        durationText: t(s.invitations.durationValue, { days: 180, endDate: day("2027-05-23T00:00:00Z") }),
        expiresText: day("2027-02-22T00:00:00Z"),
        agreementText: `${s.common.agreementName} (${t(s.invitations.agreementVersion, { version: "2024-06" })})`,
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [ga, helpdesk],
        hasGlobalAdmin: true,
        message: "",
        actionable: true,
        gdapText: "",
        approvalUrl: "",
        approvalText: t(s.invitations.awaitingSecond, { by: SAMPLE_DATA_PHRASES[3], date: formatDateTime("2026-11-29T14:02:00Z", locale) }),
        approvable: true,
        refreshUserIds: ["29:admin-1", "29:admin-2"],
        simulationLabel: "",
        banner: null,
      },
    ],
    acceptAgreement: [
      {
        title: s.invitations.acceptTitle,
        intro: t(s.invitations.acceptIntro, {
          partner: "Contoso",
          types: types("resellerAndDelegatedAdministrator"),
          endDate: day("2027-05-28T00:00:00Z"),
        }),
        agreementTitle: s.common.agreementName,
        agreementVersionText: t(s.invitations.agreementVersion, { version: "2024-06" }),
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        contact: { firstName: "Ada", lastName: "Lovelace", email: "", phoneNumber: "" },
        submitTitle: s.invitations.acceptAndAuthorize,
        verb: "invitations.accept",
        data: { invitationId: "inv-1", agreementVersion: "2024-06" },
        backVerb: "invitations.show",
        backData: { invitationId: "inv-1" },
        simulationLabel: "",
        banner: { text: s.invitations.mustConfirm, style: "attention" },
        grant: {
          heading: s.invitations.grantHeading,
          facts: [
            { title: s.invitations.from, value: "Contoso" },
            { title: s.invitations.types, value: types("resellerAndDelegatedAdministrator") },
            { title: s.invitations.grantUntil, value: day("2027-05-28T00:00:00Z") },
          ],
          rolesHeading: s.invitations.asksFor,
          roles: [
            { text: `${gaName} ${s.invitations.highestPrivilege}`, color: "Attention" },
            { text: helpdeskName, color: "Default" },
          ],
        },
      },
    ],
    declineForm: [{ title: t(s.invitations.declineTitle, { partner: "Contoso" }), invitationId: "inv-1" }],
    partnerList: [
      {
        partners: [
          {
            partnerId: "northwind",
            name: "Northwind",
            typesText: types("resellerAndDelegatedAdministrator"),
            rolesText: gaName,
            agreementText: s.partners.agreementMissing,
            agreementMissing: true,
            statusText: s.partners.statuses.active,
            sinceText: day("2026-01-01T00:00:00Z"),
            endsText: day("2027-01-01T00:00:00Z"),
            approvalUrl: "",
            riskText: [s.partners.riskGlobalAdmin, s.partners.riskAgreement].join(" · "),
          },
          {
            partnerId: "alpine",
            name: "Alpine Cloud AB",
            typesText: types("reseller"),
            rolesText: s.invitations.noRoles,
            agreementText: t(s.partners.agreementAccepted, { version: "2024-06" }),
            agreementMissing: false,
            statusText: s.partners.statuses.active,
            sinceText: day("2026-01-01T00:00:00Z"),
            endsText: day("2026-12-12T00:00:00Z"),
            approvalUrl: "",
            riskText: t(s.partners.riskEnding, { date: day("2026-12-12T00:00:00Z") }),
          },
        ],
        simulationLabel: "",
        banner: null,
        noneText: "",
        showingText: t(s.partners.showing, { from: 11, to: 20, total: 35 }),
        previous: { page: 0, showEnded: false },
        next: { page: 2, showEnded: false },
        endedToggle: { title: t(s.partners.showEnded, { count: 4 }), page: 0, showEnded: true },
        menuMode: "secondary",
      },
      {
        partners: [],
        banner: null,
        simulationLabel: "",
        noneText: s.partners.none,
        showingText: "",
        previous: null,
        next: null,
        endedToggle: null,
        menuMode: "primary",
      },
      {
        partners: [
          {
            partnerId: "contoso",
            name: "Contoso",
            typesText: types("resellerAndDelegatedAdministrator"),
            rolesText: t(s.partners.rolesWaiting, { roles: helpdeskName }),
            agreementText: t(s.partners.agreementAccepted, { version: "2024-06" }),
            agreementMissing: false,
            statusText: s.partners.waitingForApproval,
            sinceText: day("2026-12-01T00:00:00Z"),
            endsText: day("2027-05-30T00:00:00Z"),
            approvalUrl,
            riskText: "",
          },
        ],
        noneText: "",
        showingText: "",
        previous: null,
        next: null,
        endedToggle: null,
        menuMode: "primary",
        simulationLabel: "",
        banner: { text: t(s.invitations.acceptedGdap, { partner: "Contoso" }), style: "accent" },
      },
    ],
    partnerDetails: [
      {
        partnerId: "northwind",
        name: "Northwind",
        facts: [{ title: s.partners.types, value: "Reseller" }],
        roles: [{ ...ga, expiresText: `${s.common.until} ${day("2027-01-01T00:00:00Z")}` }],
        history: [
          {
            text: t(s.history.line, {
              sentence: t(s.audit["agreement.accept"], { actor: "Ada Admin" }),
              time: moment("2026-11-24T14:02:00Z"),
            }),
          },
        ],
        canRemoveRoles: true,
        canAcceptAgreement: true,
        canEnd: true,
        canAskExtension: true,
        inMicrosoft: recordedOnly,
        simulationLabel: "",
        banner: {
          text: t(s.partners.rolesRemoved, { partner: "Northwind", roles: helpdeskName }),
          style: "good",
        },
      },
      {
        partnerId: "n2",
        name: "N2",
        facts: [],
        roles: [],
        history: [],
        canRemoveRoles: false,
        canAcceptAgreement: false,
        canEnd: false,
        canAskExtension: false,
        inMicrosoft: recordedOnly,
        simulationLabel: "",
        banner: null,
      },
      {
        partnerId: "contoso",
        name: "Contoso",
        facts: [{ title: s.partners.status, value: s.partners.waitingForApproval }],
        roles: [{ ...helpdesk, expiresText: s.partners.waitingForApproval.toLowerCase() }],
        history: [],
        canRemoveRoles: true,
        canAcceptAgreement: false,
        canEnd: true,
        canAskExtension: true,
        inMicrosoft: { text: s.partners.gdapWaiting, linkTitle: s.partners.approveInAdminCenter, url: approvalUrl },
        simulationLabel: "",
        banner: null,
      },
      {
        // Agreement missing, no admin roles: the agreement is the only decision; Back stays a button.
        partnerId: "fabrikam-reseller",
        name: "Fabrikam Reseller",
        facts: [{ title: s.partners.agreement, value: s.partners.agreementMissing }],
        roles: [],
        history: [
          {
            text: t(s.history.line, {
              sentence: t(s.audit["contactRequest.send"], { actor: "Demo Admin" }),
              time: moment("2026-12-02T09:15:00Z"),
            }),
          },
        ],
        canRemoveRoles: false,
        canAcceptAgreement: true,
        canEnd: true,
        canAskExtension: true,
        inMicrosoft: recordedOnly,
        simulationLabel: "",
        banner: null,
      },
      {
        // Nothing left to decide (an ended relationship): Back is the only button, not hidden behind "...".
        partnerId: "ended",
        name: SAMPLE_DATA_PHRASES[2],
        facts: [{ title: s.partners.status, value: s.partners.statuses.terminated }],
        roles: [],
        history: [],
        canRemoveRoles: false,
        canAcceptAgreement: false,
        canEnd: false,
        canAskExtension: false,
        inMicrosoft: recordedOnly,
        simulationLabel: "",
        banner: null,
      },
    ],
    removeRolesConfirm: [
      {
        partnerId: "northwind",
        what: t(s.partners.removeWhat, { partner: "Northwind" }),
        roleChoices: [
          { title: `${s.roles.globalAdministrator.name} (${s.common.broadestRole})`, value: "62e90394-69f5-4237-9190-012177145e10" },
          { title: s.roles.helpdeskAdministrator.name, value: "729827e3-9c14-49f7-bb1b-9608f156bbb8" },
        ],
        chosen: "62e90394-69f5-4237-9190-012177145e10,729827e3-9c14-49f7-bb1b-9608f156bbb8",
        globalAdmin: true,
        keeps: t(s.partners.removeKeeps, { types: types("reseller") }),
        carriedOut: "",
        simulationLabel: "",
      },
      {
        partnerId: "contoso",
        what: t(s.partners.removeWhat, { partner: "Contoso" }),
        roleChoices: [{ title: s.roles.helpdeskAdministrator.name, value: "729827e3-9c14-49f7-bb1b-9608f156bbb8" }],
        chosen: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        globalAdmin: false,
        keeps: t(s.partners.removeKeeps, { types: types("reseller") }),
        carriedOut: t(s.partners.removeCarriedOut, { partner: "Contoso" }),
        simulationLabel: s.simulation.label,
      },
    ],
    endRelationshipForm: [{ partnerId: "northwind", title: t(s.partners.endTitle, { partner: "Northwind" }) }],
    partnerInvitationForm: [
      {
        title: t(s.partnerSide.formTitle, { customer: "Fabrikam" }),
        typeChoices: [{ title: s.partnerTypes.types.reseller.name, value: "reseller" }],
        roleChoices: [
          {
            title: `${s.roles.helpdeskAdministrator.name}: ${s.roles.helpdeskAdministrator.description}`,
            value: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
          },
        ],
        types: "reseller",
        roles: "",
        durationDays: 180,
        message: "",
        data: { customerTenantId: "c0ffee00-0000-4000-8000-000000000001", contactRequestId: "CR-0A1B2C3D4E" },
        simulationLabel: "",
        banner: { text: s.partnerSide.globalAdminPicked, style: "warning" },
      },
    ],
    partnerConnection: [
      {
        title: "Connect Contoso Cloud Partners to Microsoft",
        statusText: formatMessage(s, s.partnerSide.connection.connected, { count: 12 }),
        statusColor: "Good",
        points: [s.partnerSide.connection.pointCreate, s.partnerSide.connection.pointRead].map((text) => ({ text })),
        facts: [{ title: s.partnerSide.connection.permission, value: s.partnerSide.connection.permissionValue }],
        consentUrl:
          "https://login.microsoftonline.com/d0d0d0d0-0000-4000-8000-000000000001/v2.0/adminconsent?client_id=0a0a0a0a-1111-4222-8333-555555555555&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
        consentHint: s.partnerSide.connection.consentHint,
        connected: true,
        simulationLabel: "",
        banner: { text: s.partnerSide.connection.disconnectedBanner, style: "good" },
      },
      {
        title: "Connect N2 to Microsoft",
        statusText: s.partnerSide.connection.notConnected,
        statusColor: "Default",
        points: [],
        facts: [],
        consentUrl: "",
        consentHint: s.partnerSide.connection.consentHintLocal,
        connected: false,
        simulationLabel: "",
        banner: null,
      },
      {
        title: "Connect Contoso Cloud Partners to Microsoft",
        statusText: formatMessage(s, s.partnerSide.connection.connected, { count: 1 }),
        statusColor: "Good",
        points: [s.partnerSide.connection.pointCreate].map((text) => ({ text })),
        facts: [],
        consentUrl: "http://127.0.0.1:10010/admin-consent/c0ffee00-0000-4000-8000-0000000000b0",
        consentHint: s.partnerSide.connection.consentHint,
        connected: true,
        simulationLabel: s.simulation.label,
        banner: null,
      },
    ],
  };
}
