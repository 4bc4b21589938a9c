import { z } from "zod";
import { setting, wholeNumber } from "./settings.js";

const ROLE_CACHE_MESSAGE =
  "ROLE_CACHE_SECONDS must be a whole number of seconds between 0 and 3600, e.g. ROLE_CACHE_SECONDS=300 (0 turns the cache off)";
const roleSources = ["table", "graph"] as const;

/** Where admins' directory roles come from, and how long an answer is kept. */
export const rolesSettings = {
  // The default depends on MicrosoftAppId, so it is decided in rolesFrom.
  ROLE_SOURCE: setting(z.enum(roleSources, { message: "ROLE_SOURCE must be table or graph" }).optional()),
  ROLE_CACHE_SECONDS: wholeNumber("ROLE_CACHE_SECONDS", 300, 0, 3600, ROLE_CACHE_MESSAGE),
};

type RolesSettings = z.output<z.ZodObject<typeof rolesSettings>>;

export function rolesFrom(e: RolesSettings, localMode: boolean) {
  return {
    /** graph: Microsoft Graph (config.graph says where), with the role assignment table for tenants that did not consent; table: the table only. */
    source: e.ROLE_SOURCE ?? (localMode ? "table" : "graph"),
    /** 0 turns the cache off. */
    cacheTtlMs: e.ROLE_CACHE_SECONDS * 1000,
  };
}
