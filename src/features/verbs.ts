/**
 * Every card verb the bot answers, named once. Routes, menus, text commands, view models and card templates
 * (through `${$root.verbs...}`) all take their verbs from here, so a verb cannot be misspelt in one place
 * and routed in another.
 *
 * Scheme: `<feature>.<step>`, where the stem is the feature folder that answers the verb (camelCase), so
 * the verb tells a reader where its handler lives: `relationships.removeRoles` is in features/relationships.
 * The partner's side of the procedure is `partnerSide.*`, never `partner.*` next to `partners.*`.
 */
export const VERBS = {
  menu: { show: "menu.show" },
  partnerTypes: { show: "partnerTypes.show" },
  findPartner: {
    start: "findPartner.start",
    search: "findPartner.search",
    contactForm: "findPartner.contactForm",
    send: "findPartner.send",
  },
  invitations: {
    list: "invitations.list",
    show: "invitations.show",
    review: "invitations.review",
    accept: "invitations.accept",
    declineForm: "invitations.declineForm",
    decline: "invitations.decline",
    approve: "invitations.approve",
  },
  relationships: {
    list: "relationships.list",
    show: "relationships.show",
    removeRolesConfirm: "relationships.removeRolesConfirm",
    removeRoles: "relationships.removeRoles",
    endForm: "relationships.endForm",
    requestEnd: "relationships.requestEnd",
  },
  agreements: {
    review: "agreements.review",
    accept: "agreements.accept",
  },
  partnerSide: {
    invitationForm: "partnerSide.invitationForm",
    sendInvitation: "partnerSide.sendInvitation",
    confirmEnd: "partnerSide.confirmEnd",
    connection: "partnerSide.connection",
    checkConnection: "partnerSide.checkConnection",
    disconnect: "partnerSide.disconnect",
    requests: "partnerSide.requests",
    invitations: "partnerSide.invitations",
    customers: "partnerSide.customers",
    autoExtend: "partnerSide.autoExtend",
  },
  /** The relationship's lifecycle: what an expiry warning offers (issue 13). */
  lifecycle: {
    askExtension: "lifecycle.askExtension",
    letItEnd: "lifecycle.letItEnd",
  },
  demo: { reset: "demo.reset" },
  auditExport: { request: "auditExport.request" },
  settings: { show: "settings.show", fourEyesConfirm: "settings.fourEyesConfirm", fourEyes: "settings.fourEyes" },
  accessReview: {
    start: "accessReview.start",
    show: "accessReview.show",
    decisionForm: "accessReview.decisionForm",
    decide: "accessReview.decide",
    complete: "accessReview.complete",
  },
} as const;

type VerbsOf<F extends keyof typeof VERBS> = (typeof VERBS)[F][keyof (typeof VERBS)[F]];
/** A verb the bot answers; a string literal that is not one of them does not compile where a `Verb` is asked for. */
export type Verb = { [F in keyof typeof VERBS]: VerbsOf<F> }[keyof typeof VERBS];

export const ALL_VERBS: readonly Verb[] = Object.values(VERBS).flatMap((steps) => Object.values(steps) as Verb[]);

/**
 * Verbs of an earlier release, mapped to the verb that answers them now. Teams keeps every card it was sent,
 * and a button or a `refresh` on last week's card sends its old verb back: dropping an entry here would
 * answer a real person's click with "unknown action". Add a line when a verb is renamed; never remove one.
 */
export const LEGACY_VERBS: ReadonlyMap<string, Verb> = new Map<string, Verb>([
  ["partners.list", VERBS.relationships.list],
  ["partners.show", VERBS.relationships.show],
  ["relationship.removeRolesConfirm", VERBS.relationships.removeRolesConfirm],
  ["relationship.removeRoles", VERBS.relationships.removeRoles],
  ["relationship.endForm", VERBS.relationships.endForm],
  ["relationship.requestEnd", VERBS.relationships.requestEnd],
  ["agreement.review", VERBS.agreements.review],
  ["agreement.accept", VERBS.agreements.accept],
  ["partner.invitationForm", VERBS.partnerSide.invitationForm],
  ["partner.sendInvitation", VERBS.partnerSide.sendInvitation],
  ["partner.confirmEnd", VERBS.partnerSide.confirmEnd],
]);

const CURRENT: ReadonlySet<string> = new Set(ALL_VERBS);

/** The verb a card sent back means today: itself if current, its new name if renamed, otherwise undefined. */
export function currentVerb(sent: unknown): Verb | undefined {
  if (typeof sent !== "string") return undefined;
  // A Set and a Map, not an object lookup, so "constructor" or "__proto__" never resolve to anything.
  return CURRENT.has(sent) ? (sent as Verb) : LEGACY_VERBS.get(sent);
}
