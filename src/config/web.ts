import { z } from "zod";
import { isLoopbackHost, setting } from "./settings.js";

/**
 * The bot's own public address, where people's browsers (not the Bot Connector) reach it. Microsoft's admin consent
 * endpoint requires a `redirect_uri` that exactly matches a reply URL of the app registration and sends the partner's
 * administrator there after consenting; Partner Desk answers it with a small page (src/http/consentLanding.ts).
 */

/** Where the admin consent endpoint returns to; register `${PUBLIC_BASE_URL}${CONSENT_LANDING_PATH}` as a Web reply URL. */
export const CONSENT_LANDING_PATH = "/connect/consented";

const PUBLIC_BASE_URL_MESSAGE =
  "PUBLIC_BASE_URL must be the https origin the bot is reached at from a browser, e.g. https://partner-desk.azurewebsites.net (no path; http only on loopback)";

function isPublicOrigin(raw: string): boolean {
  try {
    const url = new URL(raw);
    if (url.search || url.hash || url.username || url.password || url.pathname.replace(/\/+$/, "") !== "") return false;
    return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, "")));
  } catch {
    return false;
  }
}

export const webSettings = {
  PUBLIC_BASE_URL: setting(
    z
      .string()
      .trim()
      .refine(isPublicOrigin, PUBLIC_BASE_URL_MESSAGE)
      .transform((url) => new URL(url).origin)
      .optional(),
  ),
};

type WebSettings = z.output<z.ZodObject<typeof webSettings>>;

export function webFrom(e: WebSettings) {
  return {
    /** The bot's public origin, if the operator set one. */
    publicBaseUrl: e.PUBLIC_BASE_URL,
    /** The admin consent link's redirect_uri; undefined without PUBLIC_BASE_URL (Entra ID then names the problem itself). */
    consentRedirectUri: e.PUBLIC_BASE_URL === undefined ? undefined : `${e.PUBLIC_BASE_URL}${CONSENT_LANDING_PATH}`,
  };
}
