import type { Config } from "./config.js";
import { fail, ok } from "./domain/result.js";
import { graphScopeFor } from "./entra-roles/graphToken.js";
import { MICROSOFT_ERRORS, type MicrosoftConnection } from "./features/ports.js";
import { adminConsentLink } from "./microsoft/adminConsent.js";
import { appOnlyTokens, graphCredentialFactory } from "./microsoft/credentials.js";
import { GdapClient } from "./microsoft/gdap/index.js";

/**
 * A check is a button press: Teams retries an invoke after about 3 s, so the token and the listing each get a
 * short budget and one retry at most, with no long Retry-After wait. A partner with more relationships than fit
 * in that time is told "unavailable, try again" rather than left waiting; the list needs no more than the count.
 */
const CHECK_BUDGET = { tokenTimeoutMs: 2_500, graphTimeoutMs: 2_500, maxAttempts: 2, maxDelayMs: 500 } as const;

/**
 * The Microsoft port from Config: Graph's delegatedAdminRelationships in the partner's tenant, with an app-only
 * token from the bot's own registration (the same per-tenant credentials the role directory uses, from
 * GRAPH_AUTHORITY_HOST). Without an app id (local mode) every check is refused before any network call.
 */
export function microsoftConnection(config: Pick<Config, "auth" | "graph">, fetchImpl?: typeof fetch): MicrosoftConnection {
  const clientId = config.auth.MicrosoftAppId;
  if (!clientId) return localMode;
  const tokens = appOnlyTokens(graphCredentialFactory(config.auth, config.graph));
  const scope = graphScopeFor(config.graph.baseUrl);
  return {
    adminConsentLink: (partnerTenantId) =>
      adminConsentLink({ authorityHost: config.graph.authorityHost, tenantId: partnerTenantId, clientId, scope }),
    async checkConnection(partnerTenantId) {
      const client = new GdapClient({
        baseUrl: config.graph.baseUrl,
        token: () => tokens(partnerTenantId, scope, { timeoutMs: CHECK_BUDGET.tokenTimeoutMs }),
        timeoutMs: CHECK_BUDGET.graphTimeoutMs,
        maxAttempts: CHECK_BUDGET.maxAttempts,
        maxDelayMs: CHECK_BUDGET.maxDelayMs,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
      const listed = await client.listRelationships();
      return listed.ok ? ok({ relationships: listed.value.length }) : listed;
    },
  };
}

const localMode: MicrosoftConnection = {
  adminConsentLink: () => undefined,
  checkConnection: async () =>
    fail(
      MICROSOFT_ERRORS.localMode,
      "Partner Desk runs in local mode (no MicrosoftAppId): there is no app registration to connect to Microsoft",
    ),
};
