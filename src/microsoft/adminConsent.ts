/**
 * The Microsoft identity platform's admin consent endpoint ("Admin consent on the Microsoft identity platform",
 * learn.microsoft.com/entra/identity-platform/v2-admin-consent): `{authority host}/{tenant}/v2.0/adminconsent` with
 * `client_id`, `scope` and `redirect_uri`. Scope `{Graph origin}/.default` asks for every permission the app
 * registration lists (for Partner Desk: the application permission DelegatedAdminRelationship.ReadWrite.All), as
 * the static form of the v1.0 endpoint did.
 *
 * The page marks `redirect_uri` required and it must exactly match a reply URL of the app registration: Partner
 * Desk's landing page (PUBLIC_BASE_URL + CONSENT_LANDING_PATH, src/http/consentLanding.ts), which tells the
 * administrator to go back and press "Check connection" in chat. Without PUBLIC_BASE_URL it is left out (the bot
 * warns at startup) and Entra ID names the problem on its own page.
 */
export interface AdminConsentLinkInput {
  /** The login host's origin (config.graph.authorityHost). */
  authorityHost: string;
  /** The tenant whose admin consents: the partner's. */
  tenantId: string;
  /** The bot's app registration (MicrosoftAppId). */
  clientId: string;
  /** e.g. https://graph.microsoft.com/.default (graphScopeFor(config.graph.baseUrl)). */
  scope: string;
  redirectUri?: string;
}

export function adminConsentLink(input: AdminConsentLinkInput): string {
  const url = new URL(`${input.authorityHost}/${encodeURIComponent(input.tenantId)}/v2.0/adminconsent`);
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("scope", input.scope);
  if (input.redirectUri) url.searchParams.set("redirect_uri", input.redirectUri);
  return url.href;
}
