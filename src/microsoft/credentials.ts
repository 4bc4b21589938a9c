import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { LRUCache } from "lru-cache";
import type { BotAuthConfig, GraphConfig } from "../config.js";
import { GraphConsentError } from "../entra-roles/errors.js";
import { appOnlyToken } from "../entra-roles/graphToken.js";

/** An app-only credential in a given tenant: a customer's (directory roles) or a partner's (GDAP relationships). */
export type CredentialForTenant = (tenantId: string) => TokenCredential;

/** An app-only access token for `scope` (e.g. https://graph.microsoft.com/.default) in `tenantId`; the token itself. */
export type AppOnlyToken = (
  tenantId: string,
  scope: string,
  options?: { abortSignal?: AbortSignal; timeoutMs?: number },
) => Promise<string>;

/** Login hosts Microsoft's instance discovery knows (public, US Government, China clouds): their authority is validated. */
const MICROSOFT_LOGIN_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.microsoftonline.us",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
]);

export const isMicrosoftLoginHost = (host: string): boolean => MICROSOFT_LOGIN_HOSTS.has(host.toLowerCase());

const MAX_CACHED_CREDENTIALS = 1000;
const DEFAULT_TOKEN_TIMEOUT_MS = 10_000;

/**
 * App-only credentials for Microsoft Graph in any tenant, from the bot's own registration. Every one of them asks
 * `graph.authorityHost` (GRAPH_AUTHORITY_HOST) for its tokens.
 *
 * MultiTenant / SingleTenant with a client secret: one ClientSecretCredential per tenant, kept, because each holds
 * its own token cache (least recently used tenants are dropped first). A tenant where the app is not consented
 * refuses the token (AADSTS700016/65001); a SingleTenant app is refused everywhere but at home.
 *
 * A login host Microsoft does not know (a private cloud, a test's loopback server) is named as the authority with
 * instance discovery off: otherwise MSAL first asks login.microsoft.com whether the host is a valid authority and
 * gets no token at all. @azure/identity documents that this trusts the configured host completely; it is ours.
 *
 * UserAssignedMSI: a managed identity gets its tokens from the Azure host's identity endpoint, not from a login
 * host, so GRAPH_AUTHORITY_HOST does not apply; it lives in one tenant and can only get tokens there. Other tenants
 * are told "no consent" (for roles: the role assignment table answers).
 */
export function graphCredentialFactory(auth: BotAuthConfig, graph: Pick<GraphConfig, "authorityHost">): CredentialForTenant {
  const appId = auth.MicrosoftAppId;
  if (!appId) throw new TypeError("Graph credentials need MicrosoftAppId");
  if (auth.MicrosoftAppType === "UserAssignedMSI") return managedIdentityInHomeTenant(appId, auth.MicrosoftAppTenantId);

  const password = auth.MicrosoftAppPassword;
  if (!password) throw new TypeError(`Graph credentials need MicrosoftAppPassword for MicrosoftAppType ${auth.MicrosoftAppType}`);
  const authorityHost = graph.authorityHost;
  // Always passed, so AZURE_AUTHORITY_HOST in the environment cannot point Graph tokens elsewhere behind config's back.
  const options = { authorityHost, disableInstanceDiscovery: !isMicrosoftLoginHost(new URL(authorityHost).host) };
  const credentials = new LRUCache<string, TokenCredential>({
    max: MAX_CACHED_CREDENTIALS,
    memoMethod: (tenantId) => new ClientSecretCredential(tenantId, appId, password, options),
  });
  return (tenantId) => credentials.memo(tenantId.toLowerCase());
}

function managedIdentityInHomeTenant(clientId: string, homeTenantId: string | undefined): CredentialForTenant {
  const home = homeTenantId?.toLowerCase();
  const credential = new ManagedIdentityCredential({ clientId });
  return (tenantId) => {
    if (tenantId.toLowerCase() !== home) {
      throw new GraphConsentError(
        tenantId,
        "a user-assigned managed identity only gets tokens in its own tenant (MicrosoftAppTenantId)",
        undefined,
        "ManagedIdentityOtherTenant",
      );
    }
    return credential;
  };
}

/**
 * App-only tokens for any tenant and scope, for callers that are not the role directory (a partner tenant's GDAP
 * relationships). Refusals are named as for roles: GraphConsentError when Entra ID says the tenant has not let the
 * app in (AADSTS65001/700016/7000112, or a managed identity asked for another tenant), GraphUnavailableError for
 * everything else, including no answer within `timeoutMs` (10 s unless given).
 */
export function appOnlyTokens(credentialFor: CredentialForTenant): AppOnlyToken {
  return (tenantId, scope, options = {}) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
    return appOnlyToken(credentialFor, tenantId, scope, { signal, timeoutMs });
  };
}
