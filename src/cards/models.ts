/**
 * The data each template binds to. Handlers build these; the templates stay free of logic beyond
 * `$when`/`$data`. Every field a template reads must be present (an unbound `${x}` would show literally).
 */
import type { Verb } from "../features/verbs.js";
import type { AccessReviewCard, AccessReviewDecisionCard, ExtensionRequestCard } from "./lifecycleModels.js";

/** At the moment of consent: to whom, as what, until when, and every role (the broadest flagged). */
export interface ConsentGrant {
  heading: string;
  facts: Fact[];
  rolesHeading: string;
  roles: Array<{ text: string; color: "Attention" | "Default" }>;
}

export type BannerStyle = "good" | "warning" | "attention" | "accent";
export interface Banner {
  text: string;
  style: BannerStyle;
}
/**
 * What every card that can show something from Microsoft carries: the simulated Partner Center's label while the
 * demo runs one (cardText.ts simulationLabel), "" otherwise. Its template shows it first.
 */
export interface SimulationLabelled {
  simulationLabel: string;
}

/** TextBlock colours used to flag risky roles. */
export type TextColor = "Default" | "Attention" | "Warning" | "Good";

export interface ActionModel {
  title: string;
  verb: Verb;
  data: Record<string, unknown>;
}
export interface Fact {
  title: string;
  value: string;
}
export interface MenuItemModel {
  verb: Verb;
  command: string;
  title: string;
  description: string;
}
export interface RoleModel {
  name: string;
  description: string;
  broadest: boolean;
  color: TextColor;
}
export interface FindQuery {
  location: string;
  size: string;
  keywords: string;
}

export interface CardData {
  /** Like the menu: only the entries the user may open, and a note (empty unless some were left out). */
  welcome: { items: MenuItemModel[]; note: string };
  /** `note`: why some entries are not offered (the user lacks the role), or "". */
  menu: { items: MenuItemModel[]; note: string };
  /** A partner contact's welcome and menu: a row per view, with its own button and the command to type. */
  partnerHome: { title: string; intro: string; items: MenuItemModel[] };
  /** One of a partner contact's views (contact requests, invitations sent, customers): a row per record. */
  partnerWork: {
    title: string;
    intro: string;
    /** Why there is no row; "" when there are rows. */
    noneText: string;
    /** "Showing the latest 15." when older records are left out; "" otherwise. */
    note: string;
    rows: Array<{ title: string; facts: Fact[]; details: string; actions: ActionModel[] }>;
  };
  partnerTypes: { types: Array<{ type: string; name: string; description: string; adminRoles: boolean }> };
  error: { message: string; reference: string };
  /** A message with facts, an optional quoted text (business needs, a reason) and follow-up buttons. */
  notice: {
    title: string;
    message: string;
    facts: Fact[];
    detailsTitle: string;
    details: string;
    actions: ActionModel[];
    banner: Banner | null;
  } & SimulationLabelled;
  /** An expiry warning (src/features/lifecycle/expiryCard.ts): to admins with what they can do, to partners without. */
  expiryWarning: {
    title: string;
    message: string;
    facts: Fact[];
    /** Why it comes late ("" when on time). */
    late: string;
    partnerId: string;
    endsAt: string;
    /** The admins' card: extend / remove now / let it end before the end, the partner's details after it. */
    adminActions: boolean;
    ended: boolean;
  };
  findPartnerForm: FindQuery & { sizes: Array<{ title: string; value: string }>; banner: Banner | null };
  findPartnerResults: {
    summary: string;
    criteria: string;
    /** One row per partner: its toggle (`pick.<id>`, ticked when `selected`), a summary line, details on demand. */
    hits: Array<{
      rank: number;
      id: string;
      name: string;
      summaryText: string;
      typesText: string;
      locationText: string;
      servicesText: string;
      selected: boolean;
    }>;
    carriedCount: number;
    carriedText: string;
    carry: Record<string, unknown>;
    previousPage: Record<string, unknown>;
    nextPage: Record<string, unknown>;
    hasPrevious: boolean;
    hasNext: boolean;
    query: FindQuery;
    banner: Banner | null;
  };
  contactForm: {
    partners: Array<{ name: string }>;
    partnerIds: string;
    businessNeeds: string;
    organization: string;
    contactName: string;
    contactEmail: string;
    contactPhone: string;
    backToResults: Record<string, unknown>;
    banner: Banner | null;
  };
  invitationList: {
    invitations: Array<{
      id: string;
      partnerName: string;
      typesText: string;
      rolesText: string;
      rolesColor: TextColor;
      expiresText: string;
    }>;
    banner: Banner | null;
  };
  invitation: {
    id: string;
    title: string;
    typesText: string;
    durationText: string;
    expiresText: string;
    agreementText: string;
    agreementUrl: string;
    roles: RoleModel[];
    hasGlobalAdmin: boolean;
    message: string;
    actionable: boolean;
    /** What a GDAP request is (a real request, approved in the admin center) or that it waits for that; "" when standalone. */
    gdapText: string;
    /** The admin center's approval link once the GDAP request is accepted in chat and still waits; "" otherwise. */
    approvalUrl: string;
    /** Four-eyes: who accepted first and that a second admin must approve (or, once approved, both); "" otherwise. */
    approvalText: string;
    /** Four-eyes: this reader may give the second approval ("Approve" instead of "Accept agreement & authorize partner"). */
    approvable: boolean;
    /** Teams user ids (MRIs, at most 60) whose client refreshes this card to its current state. */
    refreshUserIds: string[];
    banner: Banner | null;
  } & SimulationLabelled;
  acceptAgreement: {
    title: string;
    intro: string;
    agreementTitle: string;
    agreementVersionText: string;
    agreementUrl: string;
    /** The accepting admin as Partner Center's Agreement record names them; prefilled where Teams tells. */
    contact: { firstName: string; lastName: string; email: string; phoneNumber: string };
    submitTitle: string;
    verb: Verb;
    data: Record<string, unknown>;
    backVerb: Verb;
    backData: Record<string, unknown>;
    banner: Banner | null;
    /** What accepting grants, shown above the tick box (an invitation's consent); null for the agreement alone. */
    grant: ConsentGrant | null;
  } & SimulationLabelled;
  declineForm: { title: string; invitationId: string };
  partnerList: {
    partners: Array<{
      partnerId: string;
      name: string;
      typesText: string;
      rolesText: string;
      agreementText: string;
      agreementMissing: boolean;
      statusText: string;
      sinceText: string;
      endsText: string;
      /** The admin center's approval link while the partner's GDAP request waits for approval; "" otherwise. */
      approvalUrl: string;
      /** What to look at first (Global administrator, agreement not accepted, ending soon), "" when nothing. */
      riskText: string;
    }>;
    banner: Banner | null;
    /** Why the list is empty (no partner at all, or only ended ones hidden); "" when it lists someone. */
    noneText: string;
    /** "Showing 11–20 of 35" when the list has more than one page; "" otherwise. */
    showingText: string;
    /** The page a button opens, null when there is none that way. */
    previous: PartnerListPage | null;
    next: PartnerListPage | null;
    /** "Show ended (3)" / "Hide ended", null when the tenant has no ended relationship. */
    endedToggle: (PartnerListPage & { title: string }) | null;
    /** Menu is a primary button unless Previous and Next take the row (at most two primary buttons at chat width). */
    menuMode: "primary" | "secondary";
  } & SimulationLabelled;
  partnerDetails: {
    partnerId: string;
    name: string;
    facts: Fact[];
    roles: Array<RoleModel & { expiresText: string }>;
    /** Each a sentence with its moment ("Ada Admin accepted the agreement · 24 Nov 2026, 14:02 UTC"). */
    history: Array<{ text: string }>;
    canRemoveRoles: boolean;
    canAcceptAgreement: boolean;
    canEnd: boolean;
    /** "Ask the partner to extend" (in the overflow): for a relationship that has not ended. */
    canAskExtension: boolean;
    /** Where the partner's roles really stand in Microsoft 365, and the admin center page to act on them. */
    inMicrosoft: { text: string; linkTitle: string; url: string };
    banner: Banner | null;
  } & SimulationLabelled;
  removeRolesConfirm: {
    partnerId: string;
    what: string;
    /** Every role the partner holds, broadest first, Global administrator flagged in its title. */
    roleChoices: Array<{ title: string; value: string }>;
    /** The roles ticked when the card opens, comma-separated: all of them (the admin unticks the ones that stay). */
    chosen: string;
    globalAdmin: boolean;
    keeps: string;
    /** The partner's connection carries the removal out in Microsoft 365 (and says how); "" when it is recorded only. */
    carriedOut: string;
  } & SimulationLabelled;
  accessReview: AccessReviewCard;
  accessReviewDecision: AccessReviewDecisionCard;
  endRelationshipForm: { partnerId: string; title: string };
  extensionRequest: ExtensionRequestCard;
  partnerInvitationForm: {
    title: string;
    typeChoices: Array<{ title: string; value: string }>;
    roleChoices: Array<{ title: string; value: string }>;
    types: string;
    roles: string;
    durationDays: number;
    message: string;
    data: Record<string, unknown>;
    banner: Banner | null;
  } & SimulationLabelled;
  /** A partner contact's connection to Microsoft: what it means, what it needs, consent link, check, disconnect. */
  partnerConnection: {
    title: string;
    statusText: string;
    statusColor: TextColor;
    /** What Partner Desk does for a connected partner, one line each. */
    points: Array<{ text: string }>;
    facts: Fact[];
    /** The admin-consent link for the partner's tenant; "" when there is none (local mode). */
    consentUrl: string;
    consentHint: string;
    connected: boolean;
    banner: Banner | null;
  } & SimulationLabelled;
}

/** One page of the partner list, as its paging buttons send it back (relationships.list). */
export interface PartnerListPage {
  page: number;
  showEnded: boolean;
}
