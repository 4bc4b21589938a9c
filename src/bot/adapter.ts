import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  StatusCodes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from "botbuilder";
import { AuthenticationError, type AuthenticateRequestResult } from "botframework-connector";
import type restify from "restify";
import type { Logger } from "pino";
import type { BotAuthConfig } from "../config.js";
import type { MessageEndpoint } from "../server.js";
import { credentialsFactoryFor } from "./credentials.js";
import { createTurnErrorHandler } from "./errorHandler.js";
import { StrictTokenAuthentication } from "./tokenAuthentication.js";
import type { PartnerDeskBot } from "./partnerDeskBot.js";

/**
 * CloudAdapter with the authentication step reachable on its own: the message endpoint authenticates first and
 * logs a refusal itself, as one line, instead of letting CloudAdapter.process console.error its stack trace.
 */
export class PartnerDeskAdapter extends CloudAdapter {
  constructor(
    authentication: StrictTokenAuthentication,
    readonly logger: Logger,
  ) {
    super(authentication);
  }

  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** One turn for an activity whose request was authenticated by `authenticate`. */
  turn(authenticated: AuthenticateRequestResult, activity: Activity, bot: PartnerDeskBot) {
    return this.processActivity(authenticated, activity, (context) => bot.run(context));
  }
}

/**
 * The door. With MicrosoftAppId set, CloudAdapter validates every request's JWT (issuer, audience, signature,
 * expiry, serviceUrl claim) against the configured OpenID metadata; without it requests are anonymous, which
 * config.ts allows only in local mode on loopback.
 */
export function createAdapter(auth: BotAuthConfig, logger: Logger): PartnerDeskAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = { ...auth };
  const adapter = new PartnerDeskAdapter(
    new StrictTokenAuthentication(new ConfigurationBotFrameworkAuthentication(options, credentialsFactoryFor(auth))),
    logger,
  );
  adapter.onTurnError = createTurnErrorHandler(logger);
  return adapter;
}

/**
 * What CloudAdapter.process does for a POST (the body is already parsed and checked by src/server.ts), with the
 * token checked first: a refused token is the caller's problem, answered 401 and logged as one structured line
 * with the reason, never a stack trace a client could flood the log with. Other errors go to the server's handler.
 */
export function messageEndpoint(adapter: PartnerDeskAdapter, bot: PartnerDeskBot): MessageEndpoint {
  return {
    process: async (req: restify.Request, res: restify.Response) => {
      const activity = withDates(req.body as Activity);
      const header = req.headers.authorization;
      let authenticated: AuthenticateRequestResult;
      try {
        authenticated = await adapter.authenticate(activity, typeof header === "string" ? header : "");
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        adapter.logger.warn(
          {
            reason: firstLine(error.message),
            channelId: String(activity.channelId ?? "").slice(0, 100),
            remote: req.socket?.remoteAddress,
          },
          "request refused: the token is not valid for this bot",
        );
        res.send(StatusCodes.UNAUTHORIZED, { error: { code: "Unauthorized", message: "The request's token is not valid for this bot." } });
        return;
      }
      const invokeResponse = await adapter.turn(authenticated, activity, bot);
      res.status(invokeResponse?.status ?? StatusCodes.OK);
      if (invokeResponse?.body !== undefined && invokeResponse.body !== null) res.send(invokeResponse.body);
      res.end();
    },
  };
}

/** The timestamps as Dates, as botbuilder's own request handling leaves them (validateAndFixActivity). */
function withDates(activity: Activity): Activity {
  const raw = activity as unknown as Record<string, unknown>;
  for (const [field, rawField] of [
    ["timestamp", "rawTimestamp"],
    ["expiration", "rawExpiration"],
    ["localTimestamp", "rawLocalTimestamp"],
  ] as const) {
    if (typeof raw[field] === "string") {
      raw[rawField] = raw[field];
      raw[field] = new Date(raw[field]);
    }
  }
  return activity;
}

const firstLine = (message: string) => (message.split("\n", 1)[0] ?? "").slice(0, 300);
