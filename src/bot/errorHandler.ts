import { randomUUID } from "node:crypto";
import type { TurnContext } from "botbuilder";
import type { Logger } from "pino";
import { actionStyleFor, renderCard } from "../cards/render.js";
import { stringsFor } from "../cards/strings.js";
import { cardMessage } from "./responses.js";

/**
 * The last safety net (CloudAdapter.onTurnError): log everything with a reference, tell the user only
 * that something went wrong and the reference. Never the stack trace.
 */
export function createTurnErrorHandler(logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const reference = randomUUID();
    logger.error(
      { err: error, correlationId: reference, activityType: context.activity.type, channelId: context.activity.channelId },
      "unhandled error in turn",
    );
    if (context.activity.type === "invoke") return; // the adapter answers the invoke with an error status
    try {
      const strings = stringsFor(context.activity.locale);
      const card = renderCard(
        "error",
        { message: strings.errors.unexpected, reference },
        { strings, actionStyle: actionStyleFor(context.activity.channelId) },
      );
      await context.sendActivity(cardMessage(card));
    } catch (sendError) {
      logger.error({ err: sendError, correlationId: reference }, "could not tell the user about the error");
    }
  };
}
