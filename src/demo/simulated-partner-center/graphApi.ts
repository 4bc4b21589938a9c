import { randomUUID } from "node:crypto";
import { graphError, refusalOf, SERVICE_PRINCIPAL_APP_ID, wire } from "./graphRules.js";
import { RelationshipLedger, type SimulatedRelationship } from "./ledger.js";

/**
 * Microsoft Graph v1.0 `tenantRelationships/delegatedAdminRelationships`, the partner side, written from
 * Microsoft's pages: "List / Create / Get / Update delegatedAdminRelationship", "Create requests"
 * (delegatedAdminRelationshipRequest) and the GDAP API overview.
 *
 * Tokens are opaque strings issued per partner tenant (`tokenFor`): the simulator knows the tenant by the token it
 * issued, as Graph does by the token's tid claim. Nothing here is ever sent to Microsoft.
 */

/** One Graph request as it arrived. */
export interface GraphRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The query string as sent, to check its encoding. */
  search: string;
  ifMatch: string | undefined;
  body: unknown;
  /** The partner tenant the bearer token was issued for, when it was one of ours (or `tokensFrom` knew it). */
  tenantId: string | undefined;
  /** The Authorization header as sent, to check which token reached Graph. */
  authorization: string | undefined;
}

export interface GraphAnswer {
  status: number;
  /** JSON; "" for none. */
  body: unknown;
  headers?: Record<string, string>;
}

const COLLECTION = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const ITEM = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)(\/requests)?$/;

type RelationshipInput = Partial<{
  displayName: string;
  duration: string;
  customer: SimulatedRelationship["customer"];
  accessDetails: { unifiedRoles: Array<{ roleDefinitionId: string }> };
  autoExtendDuration: string;
}>;

const answer = (status: number, body: unknown, headers?: Record<string, string>): GraphAnswer => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

export class SimulatedGraph extends RelationshipLedger {
  /**
   * How an accessDetails update of an active relationship is answered: 202 Accepted with a Location (a long-running
   * operation, the "Update delegatedAdminRelationship" page's case for removing Global Administrator) or 200 with the
   * updated relationship (the page's documented response).
   */
  activeUpdateAnswer: 200 | 202 = 202;
  private readonly issued = new Map<string, string>();
  /** Relationships per page when the request names no `$top`. */
  pageSize = 100;
  /**
   * Tokens issued elsewhere (a loopback login server, for the real bot process): the tenant each was issued for,
   * as Graph reads a token's tid claim. Tokens of `tokenFor` are known without it.
   */
  tokensFrom: ((token: string) => string | undefined) | undefined;
  /** Where the server listens (`http://127.0.0.1:<port>`); set when it starts. */
  origin = "";
  /**
   * Microsoft carries out a terminate request on its own, soon after: with this on (the demo), whoever reads next
   * sees it terminated. Off (the tests), a termination completes only when a test says so (terminationCompletes).
   */
  completesTerminations = false;

  /** What GRAPH_BASE_URL would be set to. */
  get baseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  /**
   * The app-only token function for a partner tenant. Without consent it fails as Entra ID does for an app no
   * admin of the tenant consented to (AADSTS65001 in the description).
   */
  tokenFor(tenantId: string): () => Promise<string> {
    return async () => {
      if (this.consentOf(tenantId) === "noConsent") {
        throw Object.assign(new Error("AADSTS65001: The user or administrator has not consented to use the application."), {
          errorResponse: { error: "invalid_grant", errorDescription: "AADSTS65001: consent required" },
        });
      }
      const token = `simulated-gdap-token-${randomUUID()}`;
      this.issued.set(token, tenantId.toLowerCase());
      return token;
    };
  }

  /** Terminations requested before now have completed, when Microsoft completes them on its own (completesTerminations). */
  protected settleTerminations(): void {
    if (!this.completesTerminations) return;
    for (const { relationship } of this.allRelationships())
      if (relationship.status === "terminationRequested" || relationship.status === "terminating")
        this.terminationCompletes(relationship.id);
  }

  /** Sees every Graph request first; an answer returned here is sent instead of Graph's (the tests' scripted faults). */
  protected async interceptGraph(_request: GraphRequest): Promise<GraphAnswer | undefined> {
    return undefined;
  }

  /** One Graph request: who sent it (by its token), what its tenant allows, then the operation. */
  protected async answerGraph(method: string, url: URL, headers: Record<string, string | string[] | undefined>, raw: string) {
    const authorization = typeof headers["authorization"] === "string" ? headers["authorization"] : undefined;
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
    const tenantId = bearer === undefined ? undefined : (this.issued.get(bearer) ?? this.tokensFrom?.(bearer));
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const ifMatch = typeof headers["if-match"] === "string" ? headers["if-match"] : undefined;
    const request: GraphRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      search: url.search,
      ifMatch,
      body,
      tenantId,
      authorization,
    };
    return (await this.interceptGraph(request)) ?? this.operation(request, url);
  }

  private operation(request: GraphRequest, url: URL): GraphAnswer {
    const { tenantId, method, body } = request;
    if (!tenantId) return answer(401, graphError("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."));
    const consent = this.consentOf(tenantId);
    if (consent === "noPermission")
      return answer(403, graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    if (consent === "noServicePrincipal")
      return answer(
        403,
        graphError(
          "Forbidden",
          `The service principal for application ${SERVICE_PRINCIPAL_APP_ID} (Partner Customer Delegated Administration) is not provisioned in the tenant.`,
        ),
      );
    const own = this.ownedBy(tenantId);
    if (method === "GET") this.settleTerminations();
    if (url.pathname === COLLECTION && method === "GET") return this.list(url, own);
    if (url.pathname === COLLECTION && method === "POST") return this.createFor(tenantId, own, body);
    const item = ITEM.exec(url.pathname);
    if (!item) return answer(400, graphError("BadRequest", `Resource not found for the segment '${url.pathname}'.`));
    const relationship = own.find((r) => r.id === decodeURIComponent(item[1]!));
    if (!relationship) return answer(404, graphError("NotFound", `The delegated admin relationship '${item[1]}' was not found.`));
    if (item[2] && method === "POST") return this.request(relationship, body);
    if (!item[2] && method === "GET") return answer(200, this.entity(relationship));
    if (!item[2] && method === "PATCH") return this.update(relationship, own, body, request.ifMatch);
    return answer(405, graphError("MethodNotAllowed", `${method} is not allowed here.`));
  }

  /** GET with `$filter=displayName eq '…'` (the only filter modelled), `$top` (at most 300) and `$skiptoken` paging. */
  private list(url: URL, own: SimulatedRelationship[]): GraphAnswer {
    const filter = url.searchParams.get("$filter");
    let matching = own;
    if (filter !== null) {
      const eq = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!eq) return answer(400, graphError("BadRequest", `Invalid filter clause: ${filter}`));
      matching = own.filter((r) => r.displayName === eq[1]!.replaceAll("''", "'"));
    }
    const top = url.searchParams.has("$top") ? Math.min(300, Number(url.searchParams.get("$top"))) : this.pageSize;
    const offset = Number(url.searchParams.get("$skiptoken") ?? "0");
    const page: Record<string, unknown> = {
      "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships`,
      value: matching.slice(offset, offset + top).map(wire),
    };
    if (offset + top < matching.length) {
      const next = new URL(url.href);
      next.searchParams.set("$skiptoken", String(offset + top));
      page["@odata.nextLink"] = `${this.origin}${next.pathname}${next.search}`;
    }
    return answer(200, page);
  }

  private createFor(tenantId: string, own: SimulatedRelationship[], body: unknown): GraphAnswer {
    const input = (body ?? {}) as RelationshipInput;
    const roles = input.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? [];
    const autoExtendDuration = input.autoExtendDuration ?? "PT0S";
    const refusal = refusalOf({ displayName: input.displayName, duration: input.duration, roles, autoExtendDuration });
    if (refusal) return answer(400, graphError("BadRequest", refusal));
    if (own.some((r) => r.displayName === input.displayName)) return duplicate(input.displayName!);
    const relationship = this.create(tenantId, {
      displayName: input.displayName!,
      duration: input.duration!,
      customer: input.customer ?? { tenantId: "" },
      roleDefinitionIds: roles,
      autoExtendDuration,
    });
    return answer(201, this.entity(relationship), { location: this.itemUrl(relationship.id) });
  }

  /** POST …/requests: lockForApproval (created → approvalPending) and terminate (active → terminationRequested). */
  private request(relationship: SimulatedRelationship, body: unknown): GraphAnswer {
    const action = (body as { action?: unknown } | undefined)?.action;
    if (action === "approve" || action === "reject")
      return answer(
        400,
        graphError(
          "BadRequest",
          `The action '${action}' is for an indirect reseller's relationship; the customer approves in the Microsoft 365 admin center.`,
        ),
      );
    const from = action === "lockForApproval" ? ["created"] : action === "terminate" ? ["active", "expiring"] : undefined;
    if (!from) return answer(400, graphError("BadRequest", `Unknown action '${String(action)}'.`));
    if (!from.includes(relationship.status))
      return answer(400, graphError("BadRequest", `The action '${String(action)}' is not allowed in status '${relationship.status}'.`));
    this.change(relationship, { status: action === "lockForApproval" ? "approvalPending" : "terminationRequested" });
    const now = this.now().toISOString();
    const id = randomUUID();
    return answer(
      201,
      {
        "@odata.context": `${this.baseUrl}/tenantRelationships/$metadata#requests/$entity`,
        id,
        action,
        status: "created",
        createdDateTime: now,
        lastModifiedDateTime: now,
      },
      { location: `${this.itemUrl(relationship.id)}/requests/${id}` },
    );
  }

  /**
   * PATCH with If-Match. In `created` every documented property may change (200 with the relationship); while
   * `active` roles may only be removed and autoExtendDuration changed, a long-running operation (202 + Location).
   */
  private update(relationship: SimulatedRelationship, own: SimulatedRelationship[], body: unknown, ifMatch: string | undefined) {
    if (!ifMatch) return answer(400, graphError("BadRequest", "The If-Match header is required."));
    if (ifMatch !== relationship.etag)
      return answer(412, graphError("PreconditionFailed", "The ETag in If-Match does not match the relationship's current ETag."));
    const patch = (body ?? {}) as RelationshipInput;
    const roles = patch.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? relationship.roleDefinitionIds;
    const next = {
      displayName: patch.displayName ?? relationship.displayName,
      duration: patch.duration ?? relationship.duration,
      roles,
      autoExtendDuration: patch.autoExtendDuration ?? relationship.autoExtendDuration,
    };
    const refusal = refusalOf(next);
    if (refusal) return answer(400, graphError("BadRequest", refusal));
    if (relationship.status === "created") {
      if (own.some((r) => r !== relationship && r.displayName === next.displayName)) return duplicate(next.displayName);
      this.change(relationship, {
        displayName: next.displayName,
        duration: next.duration,
        roleDefinitionIds: roles,
        autoExtendDuration: next.autoExtendDuration,
      });
      return answer(200, this.entity(relationship));
    }
    if (relationship.status !== "active" || patch.displayName !== undefined || patch.duration !== undefined)
      return answer(400, graphError("BadRequest", `The relationship cannot be updated this way in status '${relationship.status}'.`));
    if (!roles.every((role) => relationship.roleDefinitionIds.includes(role)))
      return answer(400, graphError("BadRequest", "Roles can only be removed from an active relationship."));
    this.change(relationship, { roleDefinitionIds: roles, autoExtendDuration: next.autoExtendDuration });
    // Only removing roles is a long-running operation; turning auto-extension on or off is answered at once.
    if (this.activeUpdateAnswer === 200 || patch.accessDetails === undefined) return answer(200, this.entity(relationship));
    return answer(202, "", { location: `${this.itemUrl(relationship.id)}/operations/${randomUUID()}` });
  }

  private entity(relationship: SimulatedRelationship): Record<string, unknown> {
    return { "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships/$entity`, ...wire(relationship) };
  }

  private itemUrl(id: string): string {
    return `${this.baseUrl}/tenantRelationships/delegatedAdminRelationships/${id}`;
  }
}

function duplicate(displayName: string): GraphAnswer {
  return answer(409, graphError("Conflict", `A delegated admin relationship with the display name '${displayName}' already exists.`));
}
