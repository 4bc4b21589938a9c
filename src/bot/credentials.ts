import { ConfidentialClientApplication } from "@azure/msal-node";
import { MsalServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from "botframework-connector";
import type { BotAuthConfig } from "../config.js";

/** Login hosts MSAL already knows (public, US Government, China clouds): botbuilder's own credentials handle them. */
const MICROSOFT_LOGIN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

/**
 * Outbound tokens (the bot calling the Bot Connector) for a login endpoint MSAL does not know.
 *
 * botbuilder hands a custom `ToChannelFromBotLoginUrl` to MSAL as a plain authority, and MSAL then asks
 * login.microsoftonline.com whether that host is a trusted authority (instance discovery): a private cloud, or an
 * isolated network, never gets a token. Naming the configured host as a known authority skips that question, and
 * the token still comes from the configured endpoint by the client-credentials grant. Public and sovereign Microsoft
 * clouds, and managed identities, keep botbuilder's default (undefined here).
 */
export function credentialsFactoryFor(auth: BotAuthConfig): ServiceClientCredentialsFactory | undefined {
  const { MicrosoftAppId: appId, MicrosoftAppPassword: secret, ToChannelFromBotLoginUrl: loginUrl } = auth;
  if (!appId || !secret || !loginUrl || auth.MicrosoftAppType === "UserAssignedMSI") return undefined;
  const host = new URL(loginUrl).host.toLowerCase();
  if (MICROSOFT_LOGIN_HOSTS.has(host)) return undefined;
  const client = new ConfidentialClientApplication({
    auth: { clientId: appId, clientSecret: secret, authority: loginUrl, knownAuthorities: [host] },
  });
  return new MsalServiceClientCredentialsFactory(
    appId,
    client as unknown as ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1],
  );
}
