import type { AccessToken, TokenCredential } from "@azure/identity";
import { GraphConsentError, GraphUnavailableError } from "./errors.js";

/**
 * Entra ID errors that mean "this tenant has not let this app in": consent not granted (65001), the app is not
 * (or no longer) in the tenant (700016), the tenant disabled it (7000112). Anything else from the token endpoint
 * is an outage or our own misconfiguration (a wrong secret, a wrong Graph host), which must not quietly turn
 * into a fallback to the table.
 */
const CONSENT_AADSTS = new Set(["65001", "700016", "7000112"]);

/**
 * An app-only Graph token in the user's own tenant. A refusal that means "no consent" becomes GraphConsentError,
 * every other failure GraphUnavailableError; the token itself is never put in an error or a log.
 */
export async function appOnlyToken(
  credentialFor: (tenantId: string) => TokenCredential,
  tenantId: string,
  scope: string,
  budget: { signal: AbortSignal; timeoutMs: number },
): Promise<string> {
  let token: AccessToken | null;
  try {
    token = await credentialFor(tenantId).getToken(scope, { abortSignal: budget.signal });
  } catch (error) {
    if (error instanceof GraphConsentError || error instanceof GraphUnavailableError) throw error;
    const aadsts = aadstsCodeOf(error);
    if (aadsts && CONSENT_AADSTS.has(aadsts)) {
      throw new GraphConsentError(
        tenantId,
        `Entra ID refused an app-only Graph token for this tenant (AADSTS${aadsts}): the app is not consented there`,
        undefined,
        `AADSTS${aadsts}`,
        error,
      );
    }
    if (budget.signal.aborted) throw new GraphUnavailableError(`no Graph token within ${budget.timeoutMs} ms`, undefined, undefined, error);
    throw new GraphUnavailableError(`could not get a Graph token${aadsts ? ` (AADSTS${aadsts})` : ""}`, undefined, undefined, error);
  }
  if (!token?.token) throw new GraphUnavailableError("the credential returned no Graph token");
  return token.token;
}

/** The app-only scope for a Graph root: its origin + "/.default" (https://graph.microsoft.com/.default for the public cloud). */
export function graphScopeFor(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

/** Entra ID's AADSTS code, wherever @azure/identity put it (message, errorResponse, or a wrapped cause). */
function aadstsCodeOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (
    let current: unknown = error;
    current && typeof current === "object" && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    const e = current as { message?: unknown; errorResponse?: { errorDescription?: unknown } };
    for (const text of [e.message, e.errorResponse?.errorDescription]) {
      const match = typeof text === "string" ? /AADSTS(\d+)/.exec(text) : null;
      if (match) return match[1];
    }
  }
  return undefined;
}
