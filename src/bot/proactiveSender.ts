import { randomUUID } from "node:crypto";
import { ActivityTypes, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from "botbuilder";
import { LoadingCache } from "../cache/loadingCache.js";
import type { AdaptiveCardJson } from "../cards/render.js";
import type { ProactiveSender } from "../outbox/ports.js";
import type { Reference } from "./conversationBook.js";
import { cardMessage } from "./responses.js";

interface PipelineLike {
  removePolicy(options: { phase?: string; name?: string }): unknown;
}

/** Service URLs are a handful per cloud region; this only bounds memory against a flood of odd references. */
const MAX_CLIENTS = 100;

/**
 * Sends a notification card into a stored conversation, as continueConversationAsync would: a turn context on a
 * continuation activity, whose sendActivity / updateActivity go through the adapter to the Bot Connector.
 *
 * The connector client is made once per service URL (by a continueConversationAsync turn, so with the adapter's
 * own credentials and settings) and kept: building one costs a new HTTP pipeline and credentials object, on
 * the path between the rate limiter's grant and the request leaving, for every send. Its tokens are fetched and
 * renewed by its credentials per request, as for any long-lived client.
 *
 * The SDK's own HTTP retry policy is removed from the connector client: the dispatcher owns retries and the rate
 * limiter must see every request, so a hidden retry must not send past it.
 */
export class BotProactiveSender implements ProactiveSender {
  /** Kept without expiry (the client renews its own tokens); a client that could not be made is not kept. */
  private readonly clients = new LoadingCache<NonNullable<unknown>>({ max: MAX_CLIENTS });

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: Reference, card: AdaptiveCardJson, idempotencyKey: string): Promise<{ activityId: string }> {
    const context = await this.context(reference);
    const response = await context.sendActivity({ ...cardMessage(card), channelData: { partnerDesk: { idempotencyKey } } });
    return { activityId: response?.id ?? "" };
  }

  async update(reference: Reference, activityId: string, card: AdaptiveCardJson): Promise<void> {
    const context = await this.context(reference);
    await context.updateActivity({ ...cardMessage(card), id: activityId, type: "message" });
  }

  /** A turn context for a proactive turn in this conversation, carrying the service URL's connector client. */
  private async context(reference: Reference): Promise<TurnContext> {
    const conversationReference = reference as unknown as ConversationReference;
    const client = await this.client(conversationReference);
    const context = new TurnContext(this.adapter, continuationActivity(conversationReference));
    context.turnState.set(this.adapter.ConnectorClientKey, client);
    return context;
  }

  private client(reference: ConversationReference): Promise<unknown> {
    return this.clients.get(reference.serviceUrl ?? "", () => this.makeClient(reference));
  }

  private async makeClient(reference: ConversationReference): Promise<NonNullable<unknown>> {
    let client: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, (context) => {
      client = context.turnState.get(this.adapter.ConnectorClientKey);
      return Promise.resolve();
    });
    if (!client) throw new Error("the adapter made no connector client for a proactive turn");
    (client as { client?: { pipeline?: PipelineLike } }).client?.pipeline?.removePolicy({ phase: "Retry" });
    return client;
  }
}

/** The activity continueConversationAsync starts its turn with (botframework-schema's ActivityEx.getContinuationActivity). */
function continuationActivity(reference: ConversationReference): Partial<Activity> {
  return {
    type: ActivityTypes.Event,
    name: "ContinueConversation",
    id: randomUUID(),
    channelId: reference.channelId,
    ...(reference.locale ? { locale: reference.locale } : {}),
    serviceUrl: reference.serviceUrl,
    conversation: reference.conversation,
    recipient: reference.bot,
    from: reference.user,
    relatesTo: reference,
  };
}
