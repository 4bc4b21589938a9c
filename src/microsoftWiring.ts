import type { Config } from "./config.js";
import { isoDurationOfDays, type MicrosoftSide } from "./domain/microsoftSide.js";
import { fail, ok, type Result } from "./domain/result.js";
import { graphScopeFor } from "./entra-roles/graphToken.js";
import { MICROSOFT_ERRORS, type MicrosoftConnection, type RelationshipRequest } from "./features/ports.js";
import { adminConsentLink } from "./microsoft/adminConsent.js";
import { appOnlyTokens, graphCredentialFactory } from "./microsoft/credentials.js";
import { sideOf } from "./microsoft/gdapSide.js";
import { approvalLink, GdapClient } from "./microsoft/gdap/index.js";
import { carryOutRemoval } from "./microsoftRemoval.js";
import { turnOnAutoExtend } from "./microsoftAutoExtend.js";
import { listForSync, SYNC_BUDGETS, type ReadBudget } from "./microsoft/gdap/syncListing.js";

/**
 * A check is a button press: Teams retries an invoke after about 3 s, so the token and the listing each get a
 * short budget and one retry at most, with no long Retry-After wait. A partner with more relationships than fit
 * in that time is told "unavailable, try again" rather than left waiting; the list needs no more than the count.
 */
const CHECK_BUDGET = { tokenTimeoutMs: 2_500, graphTimeoutMs: 2_500, maxAttempts: 2, maxDelayMs: 500 } as const;

/**
 * A send is a button press too, with up to three Graph calls (look the name up, create, lock). Each gets a short
 * budget; a slow Graph may still take the whole press past Teams' 3 s, and then Teams sends the invoke again. That
 * is safe: the retry looks the same display name up, finds the relationship the first one made, and the
 * invitation id derived from it is stored once (the second commit is a conflict, answered "already sent").
 */
const SEND_BUDGET = { tokenTimeoutMs: 2_000, graphTimeoutMs: 2_000, maxAttempts: 2, maxDelayMs: 300 } as const;

type Budget = ReadBudget;

/**
 * Where the Microsoft port reaches Graph, how it gets an app-only token in a partner's tenant, and the links it
 * hands out: Microsoft's own (microsoftEndpoints), or local mode's simulated Partner Center (src/simulationWiring.ts).
 */
export interface MicrosoftEndpoints {
  graphBaseUrl: string;
  token(partnerTenantId: string, budget: { tokenTimeoutMs: number }): Promise<string>;
  /** The admin-consent link for a partner's tenant, or undefined when there is nothing to consent to. */
  adminConsentLink(partnerTenantId: string): string | undefined;
  /** Where the customer's Global administrator approves a relationship locked for approval. */
  approvalLink(relationshipId: string): string;
}

/**
 * Microsoft's own endpoints from Config: Graph's delegatedAdminRelationships in the partner's tenant, with an
 * app-only token from the bot's own registration (the same per-tenant credentials the role directory uses, from
 * GRAPH_AUTHORITY_HOST), and the admin center's documented approval link. None without an app id (local mode).
 */
export function microsoftEndpoints(
  config: Pick<Config, "auth" | "graph"> & { web?: Pick<Config["web"], "consentRedirectUri"> },
): MicrosoftEndpoints | undefined {
  const clientId = config.auth.MicrosoftAppId;
  if (!clientId) return undefined;
  const tokens = appOnlyTokens(graphCredentialFactory(config.auth, config.graph));
  const scope = graphScopeFor(config.graph.baseUrl);
  return {
    graphBaseUrl: config.graph.baseUrl,
    token: (partnerTenantId, budget) => tokens(partnerTenantId, scope, { timeoutMs: budget.tokenTimeoutMs }),
    adminConsentLink: (partnerTenantId) =>
      adminConsentLink({
        authorityHost: config.graph.authorityHost,
        tenantId: partnerTenantId,
        clientId,
        scope,
        ...(config.web?.consentRedirectUri ? { redirectUri: config.web.consentRedirectUri } : {}),
      }),
    approvalLink,
  };
}

/**
 * The Microsoft port: the partner side of GDAP through `endpoints` (Microsoft's, by default). Without endpoints
 * (local mode with the simulation off) every call is refused before any network call.
 */
export function microsoftConnection(
  config: Pick<Config, "auth" | "graph"> & { web?: Pick<Config["web"], "consentRedirectUri"> },
  fetchImpl?: typeof fetch,
  clock: () => Date = () => new Date(),
  endpoints: MicrosoftEndpoints | undefined = microsoftEndpoints(config),
): MicrosoftConnection {
  if (!endpoints) return localMode;
  const clientFor = (partnerTenantId: string, budget: Budget) =>
    new GdapClient({
      baseUrl: endpoints.graphBaseUrl,
      token: () => endpoints.token(partnerTenantId, budget),
      timeoutMs: budget.graphTimeoutMs,
      maxAttempts: budget.maxAttempts,
      maxDelayMs: budget.maxDelayMs,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  return {
    adminConsentLink: (partnerTenantId) => endpoints.adminConsentLink(partnerTenantId),
    async checkConnection(partnerTenantId) {
      const listed = await clientFor(partnerTenantId, CHECK_BUDGET).listRelationships();
      return listed.ok ? ok({ relationships: listed.value.length }) : listed;
    },
    requestRelationship: (partnerTenantId, request) =>
      requestRelationship(clientFor(partnerTenantId, SEND_BUDGET), request, clock, partnerTenantId, (id) => endpoints.approvalLink(id)),
    // A removal is a button press too, with up to four Graph calls (read, update; read again and update on a 412).
    carryOutRemoval: (partnerTenantId, request) =>
      carryOutRemoval(clientFor(partnerTenantId, SEND_BUDGET), request, clock, partnerTenantId, (id) => endpoints.approvalLink(id)),
    // Read, update with If-Match (read again and update once more on a 412), as a removal is.
    turnOnAutoExtend: (partnerTenantId, relationshipId) =>
      turnOnAutoExtend(clientFor(partnerTenantId, SEND_BUDGET), relationshipId, clock, partnerTenantId, (id) => endpoints.approvalLink(id)),
    listRelationships: (partnerTenantId, budget) =>
      listForSync(clientFor(partnerTenantId, SYNC_BUDGETS[budget]), (id) => endpoints.approvalLink(id)),
  };
}

/**
 * Ensure (look the display name up, create only if missing) and lock for approval. A relationship found already
 * locked (`approvalPending`) is the same request sent before and is used as it is; one past approval cannot be
 * sent again. `autoExtendDuration` is the client's default: PT0S with Global Administrator, else P180D.
 */
export async function requestRelationship(
  client: GdapClient,
  request: RelationshipRequest,
  clock: () => Date,
  partnerTenantId?: string,
  approvalLinkOf: (relationshipId: string) => string = approvalLink,
): Promise<Result<MicrosoftSide>> {
  const ensured = await client.ensureRelationship({
    displayName: request.displayName,
    duration: isoDurationOfDays(request.durationDays),
    customer: { tenantId: request.customerTenantId, ...(request.customerName ? { displayName: request.customerName } : {}) },
    roleDefinitionIds: request.roles,
  });
  if (!ensured.ok) return ensured;
  const relationship = ensured.value.relationship;
  if (relationship.status === "created") {
    const locked = await client.lockForApproval(relationship.id);
    if (!locked.ok) return locked;
    // lockForApproval moves a created relationship to approvalPending (the GDAP API overview's status diagram);
    // the status sync reads it back from Graph.
    return ok(sideOf({ ...relationship, status: "approvalPending" }, clock(), partnerTenantId, approvalLinkOf));
  }
  if (relationship.status === "approvalPending") return ok(sideOf(relationship, clock(), partnerTenantId, approvalLinkOf));
  return fail(
    MICROSOFT_ERRORS.requestAlreadyDecided,
    `the relationship "${relationship.displayName}" for this request is ${relationship.status} in Microsoft; it cannot be sent again`,
    { status: relationship.status },
  );
}

const localModeRefusal = () =>
  fail(
    MICROSOFT_ERRORS.localMode,
    "Partner Desk runs in local mode (no MicrosoftAppId): there is no app registration to connect to Microsoft",
  );

const localMode: MicrosoftConnection = {
  adminConsentLink: () => undefined,
  checkConnection: async () => localModeRefusal(),
  requestRelationship: async () => localModeRefusal(),
  carryOutRemoval: async () => localModeRefusal(),
  turnOnAutoExtend: async () => localModeRefusal(),
  listRelationships: async () => localModeRefusal(),
};
