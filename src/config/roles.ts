import { z } from "zod";
import { isLoopbackHost, setting, wholeNumber } from "./settings.js";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
const GRAPH_BASE_URL_MESSAGE = `GRAPH_BASE_URL must be an https URL of Microsoft Graph with its version, e.g. ${DEFAULT_GRAPH_BASE_URL} (http only on loopback, for tests)`;
const ROLE_CACHE_MESSAGE =
  "ROLE_CACHE_SECONDS must be a whole number of seconds between 0 and 3600, e.g. ROLE_CACHE_SECONDS=300 (0 turns the cache off)";
const roleSources = ["table", "graph"] as const;

/** https, or http on loopback (a test's fake Graph); a version path (/v1.0); no query or fragment, since paths are appended to it. */
function isGraphBaseUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.search || url.hash || url.username || url.password || url.pathname.replace(/\/+$/, "") === "") return false;
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHost(url.hostname.replace(/^\[|\]$/g, "")));
}

/** Where admins' directory roles come from, and how long an answer is kept. */
export const rolesSettings = {
  // The default depends on MicrosoftAppId, so it is decided in rolesFrom.
  ROLE_SOURCE: setting(z.enum(roleSources, { message: "ROLE_SOURCE must be table or graph" }).optional()),
  GRAPH_BASE_URL: setting(
    z
      .string()
      .trim()
      .refine(isGraphBaseUrl, GRAPH_BASE_URL_MESSAGE)
      .transform((url) => url.replace(/\/+$/, ""))
      .default(DEFAULT_GRAPH_BASE_URL),
  ),
  ROLE_CACHE_SECONDS: wholeNumber("ROLE_CACHE_SECONDS", 300, 0, 3600, ROLE_CACHE_MESSAGE),
};

type RolesSettings = z.output<z.ZodObject<typeof rolesSettings>>;

export function rolesFrom(e: RolesSettings, localMode: boolean) {
  return {
    /** graph: Microsoft Graph, with the role assignment table for tenants that did not consent; table: the table only. */
    source: e.ROLE_SOURCE ?? (localMode ? "table" : "graph"),
    /** Microsoft Graph root with its version, no trailing slash. */
    graphBaseUrl: e.GRAPH_BASE_URL,
    /** 0 turns the cache off. */
    cacheTtlMs: e.ROLE_CACHE_SECONDS * 1000,
  };
}
