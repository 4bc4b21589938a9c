import { randomUUID } from "node:crypto";
import { ActivityTypes, TeamsActivityHandler, TurnContext, type FileConsentCardResponse, type InvokeResponse } from "botbuilder";
import type { Logger } from "pino";
import { z } from "zod";
import { actionStyleFor, renderCard, type AdaptiveCardJson } from "../cards/render.js";
import { stringsFor, type Strings } from "../cards/strings.js";
import { parseConversationReference } from "./conversationReference.js";
import { fail, type Failure } from "../domain/result.js";
import type { RoleTemplateId } from "../domain/roles.js";
import { understandTyped, type TypedAnswer } from "../features/typed-requests/understand.js";
import type { Ports } from "../features/ports.js";
import type { FeatureContext, Identity, Outcome } from "../features/types.js";
import type { Clock } from "../domain/time.js";
import { welcomeCard } from "../features/menu/welcome.js";
import { VERBS } from "../features/verbs.js";
import type { ConversationBook, Reference } from "./conversationBook.js";
import { IDENTITY_ERRORS, identify, type IdentityRules } from "./identity.js";
import { handOverAcceptedFile, offerFile } from "./fileExport.js";
import { informationCard } from "./informationCard.js";
import { cardInvokeResponse, cardMessage, errorInvokeResponse, messageInvokeResponse } from "./responses.js";
import { ActionRouter, ROUTER_ERRORS, isPayloadFailure, splitSubmitValue } from "./router.js";

export interface BotDependencies {
  /** Which tenants may use the bot, and (local mode only) who a user without an Entra identity plays. */
  identity: IdentityRules;
  router: ActionRouter;
  /** Everything features read and write through; each route uses the ones it names. */
  ports: Ports;
  /** The acting user's roles, read once per turn when a handler asks. */
  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]>;
  clock: Clock;
  logger: Logger;
  /** Remembers where partner contacts and admins can be reached (proactive notifications). */
  book?: ConversationBook;
  /** The Microsoft port talks to the simulated Partner Center: cards label what comes from it. */
  microsoftSimulated?: boolean;
}

/** The shape Teams sends in an adaptiveCard/action invoke; anything else is answered with a 400, not a crash. */
const AdaptiveCardActionSchema = z.object({
  action: z.object({
    type: z.literal("Action.Execute"),
    verb: z.string().min(1).max(200),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  trigger: z.enum(["manual", "automatic"]).optional(),
});

const UNEXPECTED = "UNEXPECTED";

/**
 * The edge between Bot Framework and Partner Desk: works out who is acting, turns Teams' invoke and the
 * Emulator's message-with-value into one router call, and turns results into cards. It decides nothing itself.
 */
export class PartnerDeskBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDependencies) {
    super();

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });

    // Teams sends installationUpdate when the app is installed (personal chat or team) and also a
    // conversationUpdate; greeting on installationUpdate alone avoids a double welcome there.
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.sendWelcome(context);
      await next();
    });

    // The Emulator and other channels only send conversationUpdate: greet when the bot itself joins.
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botJoined = botId !== undefined && (context.activity.membersAdded ?? []).some((m) => m.id === botId);
      if (botJoined && context.activity.channelId !== "msteams") await this.sendWelcome(context);
      await next();
    });
  }

  /** Teams' message edit/delete events carry their details in channelData; without it there is nothing to do. */
  override async run(context: TurnContext): Promise<void> {
    const { type, channelId } = context.activity;
    const channelData: unknown = context.activity.channelData;
    if (channelId === "msteams" && (type === "messageUpdate" || type === "messageDelete") && !channelData) return;
    await super.run(context);
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    // The file consent flow goes to botbuilder's dispatch (handleTeamsFileConsentAccept/Decline below).
    if (context.activity.name === "fileConsent/invoke") return super.onInvokeActivity(context);
    // Only card actions are ours; any other invoke (task modules, messaging extensions...) is a clear 400, not botbuilder's 501.
    if (context.activity.name !== "adaptiveCard/action") {
      return { status: 400, body: { code: "INVOKE.UNSUPPORTED", message: "Partner Desk answers Adaptive Card actions only." } };
    }
    const response = await this.handleCardAction(context);
    return { status: 200, body: response };
  }

  private async handleCardAction(context: TurnContext) {
    const turn = this.beginTurn(context);
    const parsed = AdaptiveCardActionSchema.safeParse(context.activity.value);
    if (!parsed.success) {
      turn.log.warn({ issues: parsed.error.issues.length }, "invalid adaptiveCard/action payload");
      return errorInvokeResponse(400, { code: ROUTER_ERRORS.invalid, message: turn.strings.errors.invalidAction });
    }
    const identity = identify(context.activity, this.deps.identity);
    if (!identity.ok) {
      turn.log.warn({ code: identity.code }, "refused: no usable identity");
      const status = identity.code === IDENTITY_ERRORS.tenantNotAllowed ? 403 : 401;
      return errorInvokeResponse(status, {
        code: identity.code,
        message: this.identityMessage(identity, turn.strings, context.activity.channelId),
      });
    }
    const ctx = this.featureContext(context, identity.value, turn);
    // Off the invoke's critical path: Teams waits for this answer.
    void this.remember(context, ctx, turn);
    const outcome = await this.dispatchSafely(parsed.data.action.verb, parsed.data.action.data ?? {}, ctx, turn);
    if (outcome.ok && outcome.value.file) await offerFile(context, outcome.value.file, ctx.strings);
    if (outcome.ok && outcome.value.asNewCard) {
      await context.sendActivity(cardMessage(outcome.value.card));
      return messageInvokeResponse(outcome.value.asNewCard.note);
    }
    if (outcome.ok) return cardInvokeResponse(outcome.value.card);
    if (isPayloadFailure(outcome)) return errorInvokeResponse(400, outcome);
    return cardInvokeResponse(this.errorCard(context, outcome, turn));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const turn = this.beginTurn(context);
    const identity = await this.identifyOrExplain(context, turn);
    if (!identity) return;
    const ctx = this.featureContext(context, identity, turn);
    await this.remember(context, ctx, turn);
    const value: unknown = context.activity.value;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      // Emulator path: an Action.Submit comes back as a message whose value holds the verb and the inputs.
      const { verb, data } = splitSubmitValue(value as Record<string, unknown>);
      const outcome = await this.dispatchSafely(verb, data, ctx, turn);
      const card = outcome.ok ? outcome.value.card : this.errorCard(context, outcome, turn);
      if (outcome.ok && outcome.value.asNewCard) await context.sendActivity(cardMessage(card));
      else await this.replaceOrSend(context, card, turn);
      if (outcome.ok && outcome.value.file) await offerFile(context, outcome.value.file, ctx.strings);
      return;
    }
    // The mention is removed only when there is text and a recipient to match: botbuilder's helper calls
    // text.replace on any message with a mention, and a channel may send a mention with no text at all.
    const text = typeof context.activity.text === "string" ? context.activity.text : "";
    const raw = text && context.activity.recipient ? TurnContext.removeRecipientMention(context.activity) : text;
    const typed = await this.understandSafely(typeof raw === "string" ? raw : "", ctx, turn);
    const outcome = await this.dispatchSafely(typed.verb, typed.data, ctx, turn);
    const card = outcome.ok ? outcome.value.card : this.errorCard(context, outcome, turn);
    // What the request itself needs said comes first; the handler's own sentence (if any) after it.
    const say = [typed.say, outcome.ok ? outcome.value.say : undefined].filter(Boolean).join(" ");
    await context.sendActivity(cardMessage(card, say || undefined));
    if (outcome.ok && outcome.value.file) await offerFile(context, outcome.value.file, ctx.strings);
  }

  /** The person allowed the file Teams offered: built and checked again for them, then saved (fileExport.ts). */
  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    const turn = this.beginTurn(context);
    const identity = await this.identifyOrExplain(context, turn);
    if (!identity) return;
    const refused = await handOverAcceptedFile(context, response, this.featureContext(context, identity, turn), turn.log);
    if (refused) await context.sendActivity(cardMessage(this.errorCard(context, refused, turn)));
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext): Promise<void> {
    await context.sendActivity(this.beginTurn(context).strings.auditExport.declined);
  }

  /** A typed request that cannot be understood (a storage outage while reading names) is answered with the menu. */
  private async understandSafely(text: string, ctx: FeatureContext, turn: Turn): Promise<TypedAnswer> {
    try {
      return await understandTyped(text, ctx);
    } catch (error) {
      turn.log.warn({ err: error }, "typed request not understood: reading names failed");
      return { verb: VERBS.menu.show, data: {}, say: ctx.strings.typed.notUnderstood };
    }
  }

  /** After a card action the old card is replaced, so its buttons cannot be pressed twice. */
  private async replaceOrSend(context: TurnContext, card: AdaptiveCardJson, turn: Turn): Promise<void> {
    const replyToId = context.activity.replyToId;
    if (replyToId) {
      try {
        await context.updateActivity({ ...cardMessage(card), id: replyToId, type: ActivityTypes.Message });
        return;
      } catch (error) {
        turn.log.info({ err: error }, "channel could not update the card; sending a new one");
      }
    }
    await context.sendActivity(cardMessage(card));
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    const turn = this.beginTurn(context);
    const identity = await this.identifyOrExplain(context, turn);
    if (!identity) return;
    const ctx = this.featureContext(context, identity, turn);
    await this.remember(context, ctx, turn);
    await context.sendActivity(cardMessage(await welcomeCard(ctx)));
  }

  /** Stores where this user can be reached, if they are a partner contact or an admin; never fails the turn. */
  private async remember(context: TurnContext, ctx: FeatureContext, turn: Turn): Promise<void> {
    if (!this.deps.book) return;
    try {
      const { activityId: _activityId, ...raw } = TurnContext.getConversationReference(context.activity);
      // The channel's reference is input like any other: parsed before it is stored.
      const reference: Reference = parseConversationReference(raw);
      await this.deps.book.remember(ctx.identity, reference, () => ctx.roles());
    } catch (error) {
      turn.log.warn({ err: error }, "could not store the conversation reference");
    }
  }

  /** Who is acting; if the activity does not say (or the tenant is not allowed), the user is told and nothing else happens. */
  private async identifyOrExplain(context: TurnContext, turn: Turn): Promise<Identity | undefined> {
    const identity = identify(context.activity, this.deps.identity);
    if (identity.ok) return identity.value;
    turn.log.warn({ code: identity.code }, "refused: no usable identity");
    await context.sendActivity(
      cardMessage(this.renderError(context, this.identityMessage(identity, turn.strings, context.activity.channelId), turn.correlationId)),
    );
    return undefined;
  }

  /** Unexpected errors become a neutral card with a reference; the details go to the log, never to the user. */
  private async dispatchSafely(verb: unknown, data: unknown, ctx: FeatureContext, turn: Turn): Promise<Outcome> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await this.deps.router.dispatch(verb, data, ctx);
    } catch (error) {
      turn.log.error({ err: error, verb: typeof verb === "string" ? verb.slice(0, 100) : undefined }, "action failed unexpectedly");
      return fail(UNEXPECTED, ctx.strings.errors.unexpected);
    }
    const ms = Math.round(performance.now() - started);
    if (outcome.ok) turn.log.info({ verb, ms }, "action handled");
    else
      turn.log.warn(
        { verb: typeof verb === "string" ? verb.slice(0, 100) : undefined, code: outcome.code, details: outcome.details, ms },
        "action refused",
      );
    return outcome;
  }

  private featureContext(context: TurnContext, identity: Identity, turn: Turn): FeatureContext {
    const strings = stringsFor(identity.locale);
    const actionStyle = actionStyleFor(context.activity.channelId);
    let roles: Promise<readonly RoleTemplateId[]> | undefined;
    return {
      identity,
      roles: () => (roles ??= this.deps.rolesOf(identity.tenantId, identity.userId)),
      strings,
      card: (name, data) => renderCard(name, data, { strings, actionStyle }),
      ports: this.deps.ports,
      correlationId: turn.correlationId,
      now: this.deps.clock.now(),
      microsoftSimulated: this.deps.microsoftSimulated === true,
    };
  }

  private beginTurn(context: TurnContext): Turn {
    const correlationId = randomUUID();
    const log = this.deps.logger.child({ correlationId, activityType: context.activity.type, channelId: context.activity.channelId });
    return { correlationId, log, strings: stringsFor(context.activity.locale) };
  }

  /** Why the user can't be served, in terms of their channel: in Teams the account is the problem, not the app. */
  private identityMessage(failure: Failure, strings: Strings, channelId: string): string {
    if (failure.code === IDENTITY_ERRORS.tenantNotAllowed) return strings.errors.tenantNotAllowed;
    return channelId === "msteams" ? strings.errors.noTenantTeams : strings.errors.noTenant;
  }

  private errorCard(context: TurnContext, failure: Failure, turn: Turn): AdaptiveCardJson {
    const strings = stringsFor(context.activity.locale);
    const information = informationCard(failure, strings, actionStyleFor(context.activity.channelId));
    return information ?? this.renderError(context, failure.message, turn.correlationId);
  }

  private renderError(context: TurnContext, message: string, reference: string): AdaptiveCardJson {
    return renderCard(
      "error",
      { message, reference },
      { locale: context.activity.locale, actionStyle: actionStyleFor(context.activity.channelId) },
    );
  }
}

interface Turn {
  correlationId: string;
  log: Logger;
  strings: Strings;
}
