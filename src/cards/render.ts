import * as ACData from "adaptivecards-templating";
import acceptAgreement from "./templates/acceptAgreement.json" with { type: "json" };
import accessReview from "./templates/accessReview.json" with { type: "json" };
import accessReviewDecision from "./templates/accessReviewDecision.json" with { type: "json" };
import contactForm from "./templates/contactForm.json" with { type: "json" };
import declineForm from "./templates/declineForm.json" with { type: "json" };
import endRelationshipForm from "./templates/endRelationshipForm.json" with { type: "json" };
import error from "./templates/error.json" with { type: "json" };
import extensionRequest from "./templates/extensionRequest.json" with { type: "json" };
import expiryWarning from "./templates/expiryWarning.json" with { type: "json" };
import findPartnerForm from "./templates/findPartnerForm.json" with { type: "json" };
import findPartnerResults from "./templates/findPartnerResults.json" with { type: "json" };
import invitation from "./templates/invitation.json" with { type: "json" };
import invitationList from "./templates/invitationList.json" with { type: "json" };
import menu from "./templates/menu.json" with { type: "json" };
import notice from "./templates/notice.json" with { type: "json" };
import partnerConnection from "./templates/partnerConnection.json" with { type: "json" };
import partnerInvitationForm from "./templates/partnerInvitationForm.json" with { type: "json" };
import partnerDetails from "./templates/partnerDetails.json" with { type: "json" };
import partnerHome from "./templates/partnerHome.json" with { type: "json" };
import partnerWork from "./templates/partnerWork.json" with { type: "json" };
import partnerList from "./templates/partnerList.json" with { type: "json" };
import partnerTypes from "./templates/partnerTypes.json" with { type: "json" };
import removeRolesConfirm from "./templates/removeRolesConfirm.json" with { type: "json" };
import welcome from "./templates/welcome.json" with { type: "json" };
import { VERBS } from "../features/verbs.js";
import { LINKS } from "./links.js";
import type { CardData } from "./models.js";
import { stringsFor, type Strings } from "./strings.js";

export const TEMPLATES = {
  acceptAgreement,
  accessReview,
  accessReviewDecision,
  contactForm,
  declineForm,
  endRelationshipForm,
  error,
  extensionRequest,
  expiryWarning,
  findPartnerForm,
  findPartnerResults,
  invitation,
  invitationList,
  menu,
  notice,
  partnerConnection,
  partnerDetails,
  partnerHome,
  partnerInvitationForm,
  partnerList,
  partnerTypes,
  partnerWork,
  removeRolesConfirm,
  welcome,
} as const;
export type TemplateName = keyof typeof TEMPLATES;

/** A rendered Adaptive Card (plain JSON, ready for an attachment or an invoke response). */
export type AdaptiveCardJson = { type: "AdaptiveCard"; version: string; body?: unknown[]; actions?: unknown[]; [key: string]: unknown };

/**
 * Where the card is shown decides how its buttons work: Teams runs Action.Execute (an invoke the bot answers
 * with the next card); the Bot Framework Emulator and other channels only know Action.Submit.
 */
export type ActionStyle = "execute" | "submit";
export const actionStyleFor = (channelId: string): ActionStyle => (channelId === "msteams" ? "execute" : "submit");

/** Templates are compiled once; expanding one is pure and safe to share between concurrent turns. */
const compiled = new Map<TemplateName, ACData.Template>();
const templateOf = (name: TemplateName): ACData.Template => {
  let template = compiled.get(name);
  if (!template) {
    template = new ACData.Template(TEMPLATES[name]);
    compiled.set(name, template);
  }
  return template;
};

export function renderCard<N extends TemplateName>(
  name: N,
  data: CardData[N],
  options: { strings?: Strings; locale?: string; actionStyle: ActionStyle },
): AdaptiveCardJson {
  const s = options.strings ?? stringsFor(options.locale);
  // Templates name their verbs as `${$root.verbs.<feature>.<step>}`, so a renamed verb changes in one file.
  const card = templateOf(name).expand({ $root: { ...data, s, verbs: VERBS, links: LINKS } }) as AdaptiveCardJson;
  // A `refresh` whose $when was false expands to null; a card without one is the valid form.
  if (card["refresh"] === null) delete card["refresh"];
  return options.actionStyle === "execute" ? card : toSubmitActions(card);
}

/**
 * Rewrites every Action.Execute into an Action.Submit whose data carries the verb, by walking the card's tree
 * (never by position), and drops the card's `refresh`, which only Teams understands.
 */
export function toSubmitActions<T>(node: T): T {
  if (Array.isArray(node)) return node.map((child: unknown) => toSubmitActions(child)) as T;
  if (node === null || typeof node !== "object") return node;
  const isCard = (node as Record<string, unknown>)["type"] === "AdaptiveCard";
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (isCard && key === "refresh") continue;
    out[key] = toSubmitActions(value);
  }
  if (out["type"] === "Action.Execute") {
    const { verb, data, ...rest } = out;
    return { ...rest, type: "Action.Submit", data: { ...(isObject(data) ? data : {}), verb } } as T;
  }
  return out as T;
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
