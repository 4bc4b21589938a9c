import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
import type restify from "restify";
import type { Logger } from "pino";
import type { BotAuthConfig } from "../config.js";
import type { MessageEndpoint } from "../server.js";
import { credentialsFactoryFor } from "./credentials.js";
import { createTurnErrorHandler } from "./errorHandler.js";
import { StrictTokenAuthentication } from "./tokenAuthentication.js";
import type { PartnerDeskBot } from "./partnerDeskBot.js";

/**
 * The door. With MicrosoftAppId set, CloudAdapter validates every request's JWT (issuer, audience, signature,
 * expiry, serviceUrl claim) against the configured OpenID metadata; without it requests are anonymous, which
 * config.ts allows only in local mode on loopback.
 */
export function createAdapter(auth: BotAuthConfig, logger: Logger): CloudAdapter {
  const options: ConfigurationBotFrameworkAuthenticationOptions = { ...auth };
  const adapter = new CloudAdapter(
    new StrictTokenAuthentication(new ConfigurationBotFrameworkAuthentication(options, credentialsFactoryFor(auth))),
  );
  adapter.onTurnError = createTurnErrorHandler(logger);
  return adapter;
}

export function messageEndpoint(adapter: CloudAdapter, bot: PartnerDeskBot): MessageEndpoint {
  return {
    process: (req: restify.Request, res: restify.Response) => adapter.process(req, res, (context) => bot.run(context)),
  };
}
