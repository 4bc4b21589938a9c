import { z } from "zod";
import { isLoopbackHost, setting } from "./settings.js";

/**
 * Where Partner Desk reaches Microsoft Graph and the login endpoint its app-only Graph tokens come from. Both are
 * shared by every Graph caller (directory roles today, the partners' GDAP relationships next), so a sovereign
 * cloud, or a test's loopback stand-ins, is set once for all of them.
 */

export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
export const DEFAULT_GRAPH_AUTHORITY_HOST = "https://login.microsoftonline.com";

const GRAPH_BASE_URL_MESSAGE = `GRAPH_BASE_URL must be an https URL of Microsoft Graph with its version, e.g. ${DEFAULT_GRAPH_BASE_URL} (http only on loopback, for tests)`;
// MSAL, under @azure/identity, refuses an authority that is not https, loopback included: say so at startup.
const GRAPH_AUTHORITY_HOST_MESSAGE = `GRAPH_AUTHORITY_HOST must be the https origin of the Microsoft identity platform's login endpoint, without a tenant or path, e.g. ${DEFAULT_GRAPH_AUTHORITY_HOST} (https://login.microsoftonline.us for US Government); tests use a loopback https server`;

function parsedUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** https, or http on loopback (a test's fake Graph); a version path (/v1.0); no query or fragment, since paths are appended to it. */
function isGraphBaseUrl(raw: string): boolean {
  const url = parsedUrl(raw);
  if (!url || url.search || url.hash || url.username || url.password || url.pathname.replace(/\/+$/, "") === "") return false;
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, "")));
}

/** An https origin and nothing else: @azure/identity appends the tenant to it ("{host}/{tenantId}"). */
function isAuthorityHost(raw: string): boolean {
  const url = parsedUrl(raw);
  if (!url || url.protocol !== "https:" || raw.includes("?") || raw.includes("#") || url.username || url.password) return false;
  return url.pathname.replace(/\/+$/, "") === "";
}

export const graphSettings = {
  GRAPH_BASE_URL: setting(
    z
      .string()
      .trim()
      .refine(isGraphBaseUrl, GRAPH_BASE_URL_MESSAGE)
      .transform((url) => url.replace(/\/+$/, ""))
      .default(DEFAULT_GRAPH_BASE_URL),
  ),
  GRAPH_AUTHORITY_HOST: setting(
    z
      .string()
      .trim()
      .refine(isAuthorityHost, GRAPH_AUTHORITY_HOST_MESSAGE)
      .transform((url) => new URL(url).origin)
      .default(DEFAULT_GRAPH_AUTHORITY_HOST),
  ),
};

type GraphSettings = z.output<z.ZodObject<typeof graphSettings>>;

export function graphFrom(e: GraphSettings) {
  return {
    /** Microsoft Graph root with its version, no trailing slash. */
    baseUrl: e.GRAPH_BASE_URL,
    /** The login endpoint's origin (no tenant, no trailing slash) every app-only Graph token is asked from. */
    authorityHost: e.GRAPH_AUTHORITY_HOST,
  };
}
