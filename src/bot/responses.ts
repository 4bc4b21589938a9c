import { CardFactory, MessageFactory, type AdaptiveCardInvokeResponse } from "botbuilder";
import type { AdaptiveCardJson } from "../cards/render.js";
import type { Failure } from "../domain/result.js";

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const ERROR_CONTENT_TYPE = "application/vnd.microsoft.error";
export const MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message";

/** Teams replaces the card the user clicked with this one. */
export const cardInvokeResponse = (card: AdaptiveCardJson): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: CARD_CONTENT_TYPE,
  value: card,
});

/** Teams shows the note and leaves the card the user clicked as it is (the Universal Action Model's message response). */
export const messageInvokeResponse = (note: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: MESSAGE_CONTENT_TYPE,
  value: note as unknown as Record<string, unknown>,
});

/** Teams shows an error banner on the card; never an empty body, which makes Teams retry the action. */
export const errorInvokeResponse = (statusCode: number, failure: Pick<Failure, "code" | "message">): AdaptiveCardInvokeResponse => ({
  statusCode,
  type: ERROR_CONTENT_TYPE,
  value: { code: failure.code, message: failure.message },
});

/** A card, with a sentence above it when there is something to say first ("I didn't catch that."). */
export const cardMessage = (card: AdaptiveCardJson, text?: string) => MessageFactory.attachment(CardFactory.adaptiveCard(card), text);
