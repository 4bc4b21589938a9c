import { ConfidentialClientApplication } from "@azure/msal-node";
import { MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from "botframework-connector";
import type { BotAuthConfig } from "../config.js";
import { isMicrosoftLoginHost } from "../microsoft/credentials.js";

/**
 * Outbound tokens (the bot calling the Bot Connector) for a login endpoint MSAL does not know.
 *
 * botbuilder hands a custom `ToChannelFromBotLoginUrl` to MSAL as a plain authority, and MSAL then asks
 * login.microsoftonline.com whether that host is a trusted authority (instance discovery): a private cloud, or an
 * isolated network, never gets a token. Naming the configured host as a known authority skips that question, and
 * the token still comes from the configured endpoint by the client-credentials grant. Public and sovereign Microsoft
 * clouds, and managed identities, keep botbuilder's default (undefined here). Graph tokens follow the same rule with
 * @azure/identity's options (src/microsoft/credentials.ts).
 */
export function credentialsFactoryFor(auth: BotAuthConfig): ServiceClientCredentialsFactory | undefined {
  const { MicrosoftAppId: appId, MicrosoftAppPassword: secret, ToChannelFromBotLoginUrl: loginUrl } = auth;
  if (!appId || !secret || !loginUrl || auth.MicrosoftAppType === "UserAssignedMSI") return undefined;
  const host = new URL(loginUrl).host.toLowerCase();
  if (isMicrosoftLoginHost(host)) return undefined;
  const client = new ConfidentialClientApplication({
    auth: { clientId: appId, clientSecret: secret, authority: loginUrl, knownAuthorities: [host] },
  });
  return new MsalServiceClientCredentialsFactory(
    appId,
    client as unknown as ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1],
  );
}
