import { z } from "zod";
import { GUID, isHttpsUrl, optionalString, setting } from "./settings.js";

/** The Azure Bot registration and the Bot Framework endpoints; names as botbuilder's ConfigurationBotFrameworkAuthentication reads them. */
export const botAuthSettings = {
  MicrosoftAppId: setting(z.string().regex(GUID, "MicrosoftAppId must be the GUID of your Azure Bot's Microsoft App ID").optional()),
  MicrosoftAppType: setting(
    z
      .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
        message: "MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI (as in your Azure Bot resource)",
      })
      .default("MultiTenant"),
  ),
  MicrosoftAppTenantId: setting(
    z.string().regex(GUID, "MicrosoftAppTenantId must be the GUID of the tenant that owns the app registration").optional(),
  ),
  MicrosoftAppPassword: optionalString,
  // Bot Framework endpoint overrides: for sovereign clouds, and how the tests point token validation at their own OpenID server.
  ToBotFromChannelOpenIdMetadataUrl: optionalString,
  ToBotFromChannelTokenIssuer: optionalString,
  // MSAL only takes an https authority: say so at startup rather than on the first reply.
  ToChannelFromBotLoginUrl: setting(
    z
      .string()
      .trim()
      .refine(
        isHttpsUrl,
        "ToChannelFromBotLoginUrl must be the https URL of the login endpoint with its tenant, e.g. https://login.microsoftonline.com/botframework.com",
      )
      .optional(),
  ),
  ToChannelFromBotOAuthScope: optionalString,
};

type BotAuthSettings = z.output<z.ZodObject<typeof botAuthSettings>>;

const OPTIONAL_AUTH_SETTINGS = [
  "MicrosoftAppId",
  "MicrosoftAppPassword",
  "MicrosoftAppTenantId",
  "ToBotFromChannelOpenIdMetadataUrl",
  "ToBotFromChannelTokenIssuer",
  "ToChannelFromBotLoginUrl",
  "ToChannelFromBotOAuthScope",
] as const;

/**
 * The settings botbuilder reads, under botbuilder's own names. Unset ones are left out rather than set to
 * undefined, because botbuilder's configuration reads a present key as "configured".
 */
export function botAuthFrom(e: BotAuthSettings) {
  const auth: Partial<Pick<BotAuthSettings, (typeof OPTIONAL_AUTH_SETTINGS)[number]>> = {};
  for (const key of OPTIONAL_AUTH_SETTINGS) if (e[key] !== undefined) auth[key] = e[key];
  return { MicrosoftAppType: e.MicrosoftAppType, ...auth };
}
