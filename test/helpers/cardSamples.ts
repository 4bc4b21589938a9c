import type { CardData, RoleModel } from "../../src/cards/models.js";
import type { TemplateName } from "../../src/cards/render.js";
import type { Strings } from "../../src/cards/strings.js";
import { ADMIN_PARTNER_TYPES, PARTNER_TYPES } from "../../src/domain/partnerTypes.js";
import { menuItems } from "../../src/features/menu/entries.js";

/** Realistic data for every template (typed per template, so a new template without samples does not compile). */
export function cardSamples(s: Strings): { [N in TemplateName]: Array<CardData[N]> } {
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
  const query = { location: "Sweden", size: "51-250", keywords: "security" };
  const hits = Array.from({ length: 10 }, (_, i) => ({
    rank: i + 1,
    id: `partner-${i}`,
    name: `Partner ${i} AB`,
    typesText: "Reseller, Advisor",
    locationText: "Stockholm, SE; Malmö, SE",
    servicesText: "Security and compliance, Microsoft 365 migration, Intune device management",
  }));
  return {
    error: [
      { message: s.errors.unexpected, reference: "7f3c2a9e-41b0-4c55-9a0e-3d2f8b1c6e10" },
      { message: s.errors.conflict, reference: "" },
    ],
    menu: [{ items: menuItems(s) }],
    welcome: [{ items: menuItems(s) }],
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
        title: s.findPartner.sentTitle,
        message: "Your request went to 2 partners.",
        facts: [{ title: s.findPartner.reference, value: "CR-0A1B2C3D4E" }],
        detailsTitle: "",
        details: "",
        actions: [{ title: s.common.menu, verb: "menu.show", data: {} }],
        banner: null,
      },
      {
        title: "t",
        message: "m",
        facts: [],
        detailsTitle: s.partnerSide.businessNeeds,
        details: "Move 200 mailboxes",
        actions: [],
        banner: { text: "b", style: "warning" },
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
        summary: "38 partners found · page 2 of 4",
        criteria: "Searching for: security · Sweden",
        hits,
        selectedOnPage: "partner-1,partner-3",
        carriedCount: 2,
        carriedText: "Also selected on other pages: 2",
        carry: { ...query, page: 1, carried: "x,y" },
        previousPage: { ...query, page: 0, carried: "x,y" },
        nextPage: { ...query, page: 2, carried: "x,y" },
        hasPrevious: true,
        hasNext: true,
        query,
        banner: null,
      },
      {
        summary: "1 partner",
        criteria: "c",
        hits: hits.slice(0, 1),
        selectedOnPage: "",
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
            typesText: "Reseller & delegated administrator",
            rolesText: "Roles asked for: Global administrator, Helpdesk administrator",
            rolesColor: "Attention",
            expiresText: "Invitation expires: 22 Feb 2027",
          },
        ],
        banner: null,
      },
      { invitations: [], banner: { text: s.invitations.declined, style: "good" } },
    ],
    invitation: [
      {
        id: "inv-1",
        title: "Invitation from Contoso",
        typesText: "Reseller & delegated administrator",
        durationText: "180 days, until 23 May 2027",
        expiresText: "22 Feb 2027",
        agreementText: "Microsoft Customer Agreement (Version 2024-06)",
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [ga, helpdesk],
        hasGlobalAdmin: true,
        message: "Hello",
        actionable: true,
        refreshUserIds: ["29:admin-1", "29:admin-2"],
        banner: null,
      },
      {
        id: "inv-2",
        title: "Invitation from Alpine",
        typesText: "Reseller",
        durationText: "30 days",
        expiresText: "1 Jan 2027",
        agreementText: "—",
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        roles: [],
        hasGlobalAdmin: false,
        message: "",
        actionable: false,
        refreshUserIds: [],
        banner: { text: "already accepted", style: "warning" },
      },
    ],
    acceptAgreement: [
      {
        title: s.invitations.acceptTitle,
        intro: "Accepting authorizes Contoso",
        agreementTitle: "Microsoft Customer Agreement",
        agreementVersionText: "Version 2024-06",
        agreementUrl: "https://www.microsoft.com/licensing/docs/customeragreement",
        contact: { firstName: "Ada", lastName: "Lovelace", email: "", phoneNumber: "" },
        submitTitle: s.invitations.acceptAndAuthorize,
        verb: "invitations.accept",
        data: { invitationId: "inv-1", agreementVersion: "2024-06" },
        backVerb: "invitations.show",
        backData: { invitationId: "inv-1" },
        banner: { text: s.invitations.mustConfirm, style: "attention" },
      },
    ],
    declineForm: [{ title: "Decline the invitation from Contoso?", invitationId: "inv-1" }],
    partnerList: [
      {
        partners: [
          {
            partnerId: "northwind",
            name: "Northwind",
            typesText: "Reseller & delegated administrator",
            rolesText: "Global administrator",
            agreementText: s.partners.agreementMissing,
            agreementMissing: true,
            statusText: "Active",
            sinceText: "1 Jan 2026",
            endsText: "1 Jan 2027",
          },
        ],
        banner: null,
      },
      { partners: [], banner: null },
    ],
    partnerDetails: [
      {
        partnerId: "northwind",
        name: "Northwind",
        facts: [{ title: s.partners.types, value: "Reseller" }],
        roles: [{ ...ga, expiresText: "1 Jan 2027" }],
        history: [{ when: "24 Nov 2026", text: "Ada accepted the agreement" }],
        canRemoveRoles: true,
        canAcceptAgreement: true,
        canEnd: true,
        banner: { text: s.partners.rolesRemoved.replace("{partner}", "Northwind Managed Services"), style: "good" },
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
        banner: null,
      },
    ],
    removeRolesConfirm: [
      {
        partnerId: "northwind",
        what: "Northwind will lose these admin roles:",
        roles: [ga, helpdesk],
        keeps: "The relationship itself stays",
      },
    ],
    endRelationshipForm: [{ partnerId: "northwind", title: "Ask Northwind to end the relationship" }],
    partnerInvitationForm: [
      {
        title: "Send an invitation to Fabrikam",
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
        banner: { text: s.partnerSide.globalAdminPicked, style: "warning" },
      },
    ],
    partnerConnection: [
      {
        title: "Connect Contoso Cloud Partners to Microsoft",
        statusText: s.partnerSide.connection.connected.replace("{count}", "12"),
        statusColor: "Good",
        points: [s.partnerSide.connection.pointCreate, s.partnerSide.connection.pointRead].map((text) => ({ text })),
        facts: [{ title: s.partnerSide.connection.permission, value: s.partnerSide.connection.permissionValue }],
        consentUrl:
          "https://login.microsoftonline.com/d0d0d0d0-0000-4000-8000-000000000001/v2.0/adminconsent?client_id=0a0a0a0a-1111-4222-8333-555555555555&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
        consentHint: s.partnerSide.connection.consentHint,
        connected: true,
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
        banner: null,
      },
    ],
  };
}
