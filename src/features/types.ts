import type { z } from "zod";
import type { CardData } from "../cards/models.js";
import type { AdaptiveCardJson, TemplateName } from "../cards/render.js";
import type { Strings } from "../cards/strings.js";
import type { Result } from "../domain/result.js";
import type { RoleTemplateId } from "../domain/roles.js";
import type { Ports } from "./ports.js";
import type { Verb } from "./verbs.js";

/** The person acting, as the channel vouched for them. */
export interface Identity {
  tenantId: string;
  userId: string;
  name: string;
  locale: string;
  /**
   * The reader's IANA time zone, when their client says (Teams: `localTimezone`, or a clientInfo entity); absent,
   * times are shown in UTC and labelled so.
   */
  timeZone?: string;
}

/** What a view needs to render a card for the person on the turn. */
export interface ViewContext {
  identity: Identity;
  strings: Strings;
  card<N extends TemplateName>(name: N, data: CardData[N]): AdaptiveCardJson;
  now: Date;
  /**
   * Microsoft is local mode's simulated Partner Center (MICROSOFT_SIMULATION): every card that shows anything from
   * Microsoft says so (cardText.ts simulationLabel). Unset is Microsoft itself.
   */
  microsoftSimulated?: boolean;
}

/**
 * What a feature handler may use: no botbuilder, so the core could move to another bot SDK unchanged. `P` is
 * the set of ports the handler reads and writes through (a `Pick` of `Ports`).
 */
export interface FeatureContext<P extends Partial<Ports> = Ports> extends ViewContext {
  /** The actor's directory roles, read at most once per turn and only when a handler asks. */
  roles(): Promise<readonly RoleTemplateId[]>;
  correlationId: string;
  ports: P;
}

export interface Reply {
  card: AdaptiveCardJson;
  /**
   * Post the card as a new message and leave the pressed card as it was (a customer's request keeps its details
   * while the partner fills in the form below it). Teams' invoke is answered with this short note instead of a card.
   */
  asNewCard?: { note: string };
  /** A sentence sent with the card when it answers a typed message (a card press just replaces the card). */
  say?: string;
  /** A file to hand over after the card (the audit export). */
  file?: FileToSend;
}

/** A file for the bot to hand over: in Teams' personal chat through the file consent flow, elsewhere as an attachment. */
export interface FileToSend {
  name: string;
  bytes: Uint8Array;
  contentType: "text/csv";
  /** One line for Teams' file consent card. */
  description: string;
  /**
   * What the consent card carries, so the file can be built again (roles checked again) when the user allows it:
   * the request (a date range), never the file's content.
   */
  rebuild: Record<string, string>;
}
export type Outcome = Result<Reply>;

/**
 * One card verb: its payload schema, and its handler with the ports it uses. The router parses with the schema
 * before calling, and hands every port; the handler's context type names the ones it may touch.
 */
export interface Route<S extends z.ZodType = z.ZodType, P extends Partial<Ports> = Ports> {
  verb: Verb;
  schema: S;
  handle(input: z.infer<S>, ctx: FeatureContext<P>): Promise<Outcome>;
}

/** `P` is inferred from the handler's context annotation, and must be ports that exist (with their types). */
export const defineRoute = <S extends z.ZodType, P extends Partial<Ports>>(route: Route<S, P>): Route<S, P> => route;

/** A feature's place in the main menu and the text command that reaches it, in the reader's language. */
export interface MenuEntry {
  verb: Verb;
  command(s: Strings): string;
  title(s: Strings): string;
  description(s: Strings): string;
}
