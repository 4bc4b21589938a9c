import { VERBS, type Verb } from "../verbs.js";

/** Which kind of name an intent looks for in the rest of the sentence. */
export type EntityKind =
  /** A partner the tenant has a relationship with ("remove roles from Northwind"). */
  | "relationshipPartner"
  /** A partner whose invitation is pending ("accept Contoso"). */
  | "invitingPartner"
  /** A city or country the partner directory holds ("find a partner in Stockholm"). */
  | "place";

/**
 * One thing a person may ask for by typing. `words` are trigger words, found in any position and forgiving typos;
 * a trigger of several words ("partner types") needs all of them, anywhere in the sentence, and outweighs each of
 * its words alone. `weight` makes an action ("remove", "find") win over a noun it comes with ("roles", "partner").
 *
 * The row names a verb, never a person's role: when an intent means something else to a partner contact than
 * to a customer's admin ("invitations": sent vs received), the verb's handler decides, so the table stays one row
 * per intent. Each row holds its English and its Swedish words: what is understood does not depend on the reader's
 * locale (a Swedish admin with an English Teams types Swedish too). Adding a typed request is adding a row here (and, if it needs one, a case in `resolve.ts`).
 */
export interface IntentRow {
  intent: string;
  verb: Verb;
  words: readonly string[];
  weight: number;
  entity?: EntityKind;
}

export const INTENTS: readonly IntentRow[] = [
  {
    intent: "menu",
    verb: VERBS.menu.show,
    weight: 1,
    words: [
      "help",
      "menu",
      "start",
      "?",
      "options",
      "commands",
      "hi",
      "hello",
      "home",
      ...["hej", "hejsan", "hallå", "hjälp", "meny", "menyn", "kommandon", "alternativ"],
    ],
  },
  {
    intent: "cancel",
    verb: VERBS.menu.show,
    weight: 2,
    words: ["cancel", "stop", "abort", "nevermind", "never mind", "quit", "exit", ...["avbryt", "stopp", "strunt samma", "glöm det"]],
  },
  {
    intent: "invitations",
    verb: VERBS.invitations.list,
    weight: 1,
    entity: "invitingPartner",
    words: [
      ...["invitations", "invitation", "invites", "invite", "pending", "pending invitations"],
      ...["inbjudningar", "inbjudningarna", "inbjudan", "inbjudningen", "väntande", "väntande inbjudningar"],
    ],
  },
  {
    intent: "accept",
    verb: VERBS.invitations.show,
    weight: 2,
    entity: "invitingPartner",
    words: ["accept", "approve", "authorize", "authorise", "review", ...["acceptera", "godkänn", "auktorisera", "granska"]],
  },
  // Declining starts from the invitation too: its card holds Decline, with the optional reason.
  {
    intent: "decline",
    verb: VERBS.invitations.show,
    weight: 2,
    entity: "invitingPartner",
    words: ["decline", "reject", "refuse", ...["avböj", "neka", "avvisa"]],
  },
  {
    intent: "partners",
    verb: VERBS.relationships.list,
    weight: 1,
    entity: "relationshipPartner",
    words: [
      ...["partners", "partner", "relationships", "relationship", "providers", "provider"],
      ...["partnern", "partnerna", "mina partner", "relationer", "relation", "partnerrelationer", "leverantörer", "leverantör"],
    ],
  },
  {
    intent: "removeRoles",
    verb: VERBS.relationships.removeRolesConfirm,
    weight: 2,
    entity: "relationshipPartner",
    words: [
      ...["remove", "revoke", "roles", "role", "remove roles", "take away", "least privilege"],
      ...["ta bort", "ta bort roller", "roller", "roll", "rollerna", "återkalla", "minsta möjliga behörighet"],
    ],
  },
  {
    intent: "endRelationship",
    verb: VERBS.relationships.endForm,
    weight: 2,
    entity: "relationshipPartner",
    words: [
      ...["end", "terminate", "end relationship", "stop working with", "offboard"],
      ...["avsluta", "avsluta relationen", "avsluta relation", "säg upp", "sluta samarbeta"],
    ],
  },
  {
    intent: "partnerTypes",
    verb: VERBS.partnerTypes.show,
    weight: 1,
    words: [
      ...["types", "type", "partner types", "partner type", "kinds of partners", "what is a reseller"],
      ...["partnertyper", "partnertyp", "typer", "typ", "återförsäljare"],
    ],
  },
  {
    intent: "findPartner",
    verb: VERBS.findPartner.start,
    weight: 2,
    entity: "place",
    words: [
      ...["find", "search", "look for", "looking for", "find partner", "find a partner", "new partner", "directory"],
      ...["hitta", "sök", "leta", "letar", "letar efter", "hitta partner", "sök partner", "ny partner", "partnerkatalog", "katalog"],
    ],
  },
  {
    intent: "connection",
    verb: VERBS.partnerSide.connection,
    weight: 2,
    words: ["connect", "connection", "connect to microsoft", "gdap connection", ...["anslut", "anslutning", "anslut till microsoft"]],
  },
  // Four-eyes for Global administrator: "on"/"off" (or a word that means it) goes straight to the confirmation.
  {
    intent: "fourEyes",
    verb: VERBS.settings.show,
    weight: 3,
    words: [
      ...["settings", "four eyes", "foureyes", "two approvals", "second approval", "require two approvals"],
      ...["inställningar", "fyra ögon", "fyraögonsprincipen", "två godkännanden", "kräv två godkännanden", "andra godkännande"],
    ],
  },
  {
    intent: "auditExport",
    verb: VERBS.auditExport.request,
    weight: 3,
    words: [
      ...["export", "export history", "export audit", "audit log", "audit trail", "download history"],
      ...["exportera", "exportera historik", "exportera historiken", "granskningslogg", "ladda ner historik"],
    ],
  },
  // "review" alone is the invitation's Review; with "access" it is the access review (the longer trigger outweighs it).
  {
    intent: "accessReview",
    verb: VERBS.accessReview.start,
    weight: 4,
    words: [
      ...["review access", "access review", "review partner access", "quarterly review"],
      ...["granska åtkomst", "granska åtkomsten", "åtkomstgranskning", "granska behörigheter"],
    ],
  },
  {
    intent: "resetDemo",
    verb: VERBS.demo.reset,
    weight: 4,
    words: ["reset demo", "restart demo", "demo reset", ...["återställ demo", "återställ demon", "starta om demon"]],
  },
  // A partner contact's views. "invitations", "partners", "menu" and "help" reach them through the rows above: those
  // handlers answer a partner's contact with the partner's own view.
  {
    intent: "contactRequests",
    verb: VERBS.partnerSide.requests,
    weight: 1,
    words: ["requests", "request", "contact requests", "leads", ...["förfrågningar", "förfrågan", "kontaktförfrågningar"]],
  },
  {
    intent: "invitationsSent",
    verb: VERBS.partnerSide.invitations,
    weight: 1,
    words: ["invitations sent", "sent invitations", ...["skickade inbjudningar", "inbjudningar skickade"]],
  },
  {
    intent: "customers",
    verb: VERBS.partnerSide.customers,
    weight: 1,
    words: ["customers", "customer", "my customers", "clients", ...["kunder", "kund", "mina kunder", "kunderna"]],
  },
];

/** Words that carry no request: never matched against triggers or names. */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the i me my we our us you your to of in at on for from with and or please pls show list see give open tell " +
    "want would like need can could let lets let's just all some any is are be do does what which who where how now " +
    "there here this that it them about " +
    // Swedish, folded as typed words are ("från" is "fran", "är" is "ar"). Not "se" (see): it is Sweden's code.
    "jag vi du mig oss min mina mitt vara var en ett den det de i pa fran till av med och eller for om som ar " +
    "efter kan vill ska skulle visa ge lista alla nagon nagra tack snalla garna nu har dar vad vilka vilken hur finns"
  ).split(" "),
);
