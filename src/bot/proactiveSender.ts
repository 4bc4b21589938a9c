import type { CloudAdapter, ConversationReference } from "botbuilder";
import type { AdaptiveCardJson } from "../cards/render.js";
import type { ProactiveSender } from "../notifications/dispatcher.js";
import type { Reference } from "../notifications/conversationBook.js";
import { cardMessage } from "./responses.js";

interface PipelineLike {
  removePolicy(options: { phase?: string; name?: string }): unknown;
}

/**
 * Sends a notification card into a stored conversation with continueConversationAsync. The SDK's own HTTP
 * retry policy is removed from the connector client: the dispatcher owns retries and the rate limiter must
 * see every request, so a hidden retry must not send past it.
 */
export class BotProactiveSender implements ProactiveSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: Reference, card: AdaptiveCardJson, idempotencyKey: string): Promise<{ activityId: string }> {
    let activityId = "";
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference as unknown as ConversationReference, async (context) => {
      try {
        const connector = context.turnState.get(this.adapter.ConnectorClientKey) as { client?: { pipeline?: PipelineLike } } | undefined;
        connector?.client?.pipeline?.removePolicy({ phase: "Retry" });
        const response = await context.sendActivity({ ...cardMessage(card), channelData: { partnerDesk: { idempotencyKey } } });
        activityId = response?.id ?? "";
      } catch (error) {
        // Caught here: an error thrown inside the callback would go to onTurnError and never reach the dispatcher.
        failure = error;
      }
    });
    if (failure) throw failure;
    return { activityId };
  }

  async update(reference: Reference, activityId: string, card: AdaptiveCardJson): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference as unknown as ConversationReference, async (context) => {
      try {
        const connector = context.turnState.get(this.adapter.ConnectorClientKey) as { client?: { pipeline?: PipelineLike } } | undefined;
        connector?.client?.pipeline?.removePolicy({ phase: "Retry" });
        await context.updateActivity({ ...cardMessage(card), id: activityId, type: "message" });
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw failure;
  }
}
