import { isExpired } from "../../domain/transitions.js";
import { rangeFromText } from "../audit-export/range.js";
import { formatMessage } from "../../cards/messages.js";

import type { Ports } from "../ports.js";
import type { FeatureContext } from "../types.js";
import { VERBS, type Verb } from "../verbs.js";
import type { IntentRow } from "./intents.js";
import { findName, findPlace, IntentRecogniser, wordsOf, type NamedThing } from "./recognise.js";

/** Typed requests read the names a sentence may hold: the tenant's partners and invitations, the directory's places. */
export type TypedContext = FeatureContext<Pick<Ports, "relationships" | "invitations" | "partners">>;

/** What a typed sentence asks for: the verb to run (through the one router, as a card press would), and what to say first. */
export interface TypedAnswer {
  verb: Verb;
  data: Record<string, unknown>;
  /** A sentence shown above the card: what was not understood, or what is still needed. */
  say?: string;
}

const recogniser = new IntentRecogniser();

/**
 * Understands a typed request: the intent from the table (typos forgiven, words in any position), then the names
 * it needs, read through ports. No language model: what is understood is what the table and the names say.
 */
export async function understandTyped(text: string, ctx: TypedContext): Promise<TypedAnswer> {
  if (text.trim() === "") return { verb: VERBS.menu.show, data: {} };
  const { row, rest, meaningful } = recogniser.recognise(text);
  if (!row) return nothingRecognised(rest, ctx);
  switch (row.intent) {
    case "cancel":
      // Every step is a card that waits for a press: there is never a half-done conversation to cancel.
      return { verb: row.verb, data: {}, say: ctx.strings.typed.nothingInProgress };
    case "findPartner":
      return findPartner(rest, meaningful, ctx);
    case "auditExport":
      // The dates are read from the text as typed: folding would split "2026-01-31" into three words.
      return { verb: row.verb, data: rangeFromText(text) };
    case "fourEyes":
      return fourEyesSwitch(text);
  }
  if (row.entity === "relationshipPartner") return aboutRelationship(row, rest, ctx);
  if (row.entity === "invitingPartner") return aboutInvitation(row, rest, ctx);
  return { verb: row.verb, data: {} };
}

/** A sentence with no request in it may still be a partner's name ("Northwind"): its card; otherwise the menu, saying so. */
async function nothingRecognised(rest: string[], ctx: TypedContext): Promise<TypedAnswer> {
  const partner = rest.length > 0 ? findName(rest, await relationshipPartners(ctx)) : undefined;
  if (partner) return { verb: VERBS.relationships.show, data: { partnerId: partner.id } };
  return { verb: VERBS.menu.show, data: {}, say: ctx.strings.typed.notUnderstood };
}

/** "find a partner in Stockholm for security": the search with the place as location and the other words as keywords. */
async function findPartner(rest: string[], meaningful: string[], ctx: TypedContext): Promise<TypedAnswer> {
  if (rest.length === 0) return { verb: VERBS.findPartner.start, data: {} };
  const found = findPlace(meaningful, await ctx.ports.partners.places());
  const keywords = rest.filter((w) => !found?.words.includes(w)).join(" ");
  return { verb: VERBS.findPartner.search, data: { ...(found ? { location: found.place } : {}), ...(keywords ? { keywords } : {}) } };
}

async function aboutRelationship(row: IntentRow, rest: string[], ctx: TypedContext): Promise<TypedAnswer> {
  const partners = rest.length > 0 ? await relationshipPartners(ctx) : [];
  const partner = findName(rest, partners);
  if (partner)
    return { verb: row.verb === VERBS.relationships.list ? VERBS.relationships.show : row.verb, data: { partnerId: partner.id } };
  if (row.verb === VERBS.relationships.list) return { verb: row.verb, data: {} };
  // Removing roles or ending needs a partner: the list, to choose one from.
  // The example is written in the reader's language, so it is one they can type back.
  const request = row.intent === "endRelationship" ? "endRelationship" : "removeRoles";
  return { verb: VERBS.relationships.list, data: {}, say: formatMessage(ctx.strings, ctx.strings.typed.whichPartner, { request }) };
}

/** "accept": the pending invitation, when there is exactly one (or the one of the partner named); otherwise the list. */
async function aboutInvitation(row: IntentRow, rest: string[], ctx: TypedContext): Promise<TypedAnswer> {
  // Listing with no name to look for: the list handler reads the invitations itself, so don't read them twice.
  if (row.verb === VERBS.invitations.list && rest.length === 0) return { verb: row.verb, data: {} };
  const pending = (await ctx.ports.invitations.listPending(ctx.identity.tenantId))
    .map((read) => read.value)
    .filter((invitation) => !isExpired(invitation, ctx.now.toISOString()));
  const named = findName(
    rest,
    pending.map((i) => ({ id: i.id, name: i.partnerName })),
  );
  if (named) return { verb: VERBS.invitations.show, data: { invitationId: named.id } };
  const [only] = pending;
  if (row.verb === VERBS.invitations.show && only && pending.length === 1)
    return { verb: VERBS.invitations.show, data: { invitationId: only.id } };
  if (row.verb === VERBS.invitations.show && pending.length > 1)
    return {
      verb: VERBS.invitations.list,
      data: {},
      say: formatMessage(ctx.strings, ctx.strings.typed.whichInvitation, {
        count: pending.length,
        partner: only!.partnerName.split(" ")[0] ?? "",
      }),
    };
  return { verb: VERBS.invitations.list, data: {} };
}

/** Words that turn four-eyes on or off (folded: "kräv" is "krav", "på" is "pa"); without one, the settings card. */
const SWITCH_ON = new Set(["on", "require", "enable", "pa", "krav", "aktivera", "sla"]);
const SWITCH_OFF = new Set(["off", "disable", "av", "stang", "inaktivera"]);

function fourEyesSwitch(text: string): TypedAnswer {
  const words = wordsOf(text);
  if (words.some((w) => SWITCH_OFF.has(w))) return { verb: VERBS.settings.fourEyesConfirm, data: { on: "false" } };
  if (words.some((w) => SWITCH_ON.has(w))) return { verb: VERBS.settings.fourEyesConfirm, data: { on: "true" } };
  return { verb: VERBS.settings.show, data: {} };
}

async function relationshipPartners(ctx: TypedContext): Promise<NamedThing[]> {
  const relationships = await ctx.ports.relationships.listForTenant(ctx.identity.tenantId);
  return relationships.map((read) => ({ id: read.value.partnerId, name: read.value.partnerName }));
}
