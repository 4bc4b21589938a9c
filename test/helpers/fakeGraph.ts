import { AuthenticationError, type AccessToken, type GetTokenOptions, type TokenCredential } from "@azure/identity";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A directory role as Graph returns it; the id is the role's object id in that tenant, not its template id. */
export interface FakeRole {
  roleTemplateId: string;
  displayName: string;
}

/**
 * How far a tenant let the app in:
 * - granted: RoleManagement.Read.Directory consented; roles are listed in full
 * - forbidden: consented, but without a permission to read roles: 403 Authorization_RequestDenied
 * - unauthorized: Graph refuses the token itself: 401 InvalidAuthenticationToken
 * - limited: may list memberships but not read directory roles: roles come back with null properties
 * - notInstalled: the app is not in the tenant; Entra ID refuses to issue a token (AADSTS700016)
 */
export type FakeConsent = "granted" | "forbidden" | "unauthorized" | "limited" | "notInstalled";

export interface FakeTenant {
  consent?: FakeConsent;
  /** user object id -> the directory roles they hold (directly or through a role-assignable group). */
  users: Record<string, FakeRole[]>;
  /** user object id -> display name; users without one are listed by id. */
  names?: Record<string, string>;
  /** Service principals holding roles: listed among a role's members, never as people. */
  servicePrincipals?: Record<string, FakeRole[]>;
  /** May read role members but not users: members come back without names ("limited information"). */
  hideUserNames?: boolean;
}

/** One answer the fake gives before it goes back to playing Graph normally. */
export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  body?: unknown;
  /** Hold the answer this long (a slow Graph). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  consistencyLevel: string | undefined;
  /** The tenant the bearer token was issued for, when it was one of ours. */
  tenantId: string | undefined;
}

export interface TokenRequest {
  tenantId: string;
  scopes: string[];
}

/** Real display names and template ids of a few built-in roles, as Graph lists them. */
export const GRAPH_ROLES = {
  globalAdministrator: { roleTemplateId: "62e90394-69f5-4237-9190-012177145e10", displayName: "Global Administrator" },
  billingAdministrator: { roleTemplateId: "b0f54661-2d74-4c50-afa3-1ec803f12efe", displayName: "Billing Administrator" },
  helpdeskAdministrator: { roleTemplateId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator" },
  globalReader: { roleTemplateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", displayName: "Global Reader" },
  /** Not in Partner Desk's catalog. */
  teamsAdministrator: { roleTemplateId: "69091246-20e8-4a56-aa4d-066075b2a7a8", displayName: "Teams Administrator" },
  /** Not in Partner Desk's catalog. */
  exchangeAdministrator: { roleTemplateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", displayName: "Exchange Administrator" },
} satisfies Record<string, FakeRole>;

const ROLES_PATH = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.directoryRole$/;
const MEMBERS_PATH = /^\/v1\.0\/directoryRoles\(roleTemplateId='([^']+)'\)\/members$/;

/**
 * A loopback Microsoft Graph for the one call GraphRoleDirectory makes:
 * GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole, with @odata.nextLink paging,
 * Graph's error bodies, scripted throttling, and a record of every request.
 *
 * Entra ID is not reachable from tests, so tokens come from `credentialFor(tenantId)`, a TokenCredential the
 * fake hands out: it issues opaque tokens that only this server knows, so the server decides the tenant by the
 * token it issued, as Graph does by the token's tid claim.
 */
export class FakeGraph {
  private server?: Server;
  private readonly tenants = new Map<string, FakeTenant>();
  private readonly issued = new Map<string, string>();
  private readonly script: ScriptedAnswer[] = [];
  /** Directory role object ids differ per tenant; generated once per tenant and template. */
  private readonly objectIds = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  /** Roles per page; Graph's default is 100. */
  pageSize = 100;
  /** When set, every request gets this answer (an outage) after any scripted ones. */
  outage: ScriptedAnswer | undefined;
  /** Rewrites the origin of nextLinks, to play a Graph that points elsewhere. */
  nextLinkOrigin: string | undefined;
  /**
   * Tokens this fake did not issue itself, e.g. a loopback login server's (LoginServer.tenantOf): the tenant each
   * was issued for, so a bot in another process, with real credentials, is answered as its tenant.
   */
  tokensFrom: ((token: string) => string | undefined) | undefined;
  /** When set, the credential fails with this error instead of issuing a token (e.g. the token endpoint is down). */
  tokenFailure: Error | undefined;
  origin = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** What GRAPH_BASE_URL would be set to. */
  get baseUrl(): string {
    return `${this.origin}/v1.0`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  tenant(tenantId: string, tenant: FakeTenant): this {
    this.tenants.set(tenantId.toLowerCase(), tenant);
    return this;
  }

  /** Answers the next requests with these, in order, before playing Graph normally again. */
  answerNext(...answers: ScriptedAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** Forgets recorded requests and scripts, keeps tenants. */
  reset(): void {
    this.requests.length = 0;
    this.tokenRequests.length = 0;
    this.script.length = 0;
    this.outage = undefined;
    this.nextLinkOrigin = undefined;
    this.tokenFailure = undefined;
    this.pageSize = 100;
  }

  /** The app-only credential for a tenant, as ClientSecretCredential(tenantId, appId, secret) would be. */
  credentialFor = (tenantId: string): TokenCredential => ({
    getToken: async (scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> => {
      this.tokenRequests.push({ tenantId, scopes: Array.isArray(scopes) ? [...scopes] : [scopes] });
      if (this.tokenFailure) throw this.tokenFailure;
      if (this.tenants.get(tenantId.toLowerCase())?.consent === "notInstalled") {
        // What Entra ID answers a client-credentials request for an app that no admin of the tenant consented to.
        throw new AuthenticationError(400, {
          error: "unauthorized_client",
          error_description: `AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000000' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        });
      }
      const token = `fake-graph-token-${randomUUID()}`;
      this.issued.set(token, tenantId.toLowerCase());
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  });

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const authorization = req.headers.authorization;
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
    const tenantId = bearer === undefined ? undefined : (this.issued.get(bearer) ?? this.tokensFrom?.(bearer));
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization,
      consistencyLevel: header(req, "consistencylevel"),
      tenantId,
    });

    const scripted = this.script.shift() ?? this.outage;
    if (scripted) {
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (res.destroyed) return;
      return send(
        res,
        scripted.status,
        scripted.body ?? graphError(codeFor(scripted.status), "scripted"),
        scripted.retryAfter ? { "retry-after": scripted.retryAfter } : {},
      );
    }

    const path = decodeURIComponent(url.pathname);
    const members = req.method === "GET" ? MEMBERS_PATH.exec(path) : null;
    const match = req.method === "GET" ? ROLES_PATH.exec(url.pathname) : null;
    if (!match && !members) return send(res, 400, graphError("BadRequest", `Resource not found for the segment '${url.pathname}'.`));
    if (!tenantId) return send(res, 401, graphError("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."));

    const tenant = this.tenants.get(tenantId);
    const consent = tenant?.consent ?? "granted";
    if (consent === "unauthorized") return send(res, 401, graphError("InvalidAuthenticationToken", "Access token validation failure."));
    if (consent === "forbidden")
      return send(res, 403, graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    if (members) return this.listMembers(res, url, tenant, members[1]!.toLowerCase());
    if (!match) return;

    const userId = decodeURIComponent(match[1]!).toLowerCase();
    const roles = tenant && Object.entries(tenant.users).find(([id]) => id.toLowerCase() === userId)?.[1];
    if (!roles)
      return send(
        res,
        404,
        graphError(
          "Request_ResourceNotFound",
          `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
        ),
      );

    const offset = Number(url.searchParams.get("$skiptoken") ?? "0");
    const page = roles.slice(offset, offset + this.pageSize).map((role) => this.asGraphObject(tenantId, role, consent === "limited"));
    const body: Record<string, unknown> = {
      "@odata.context": `${this.baseUrl}/$metadata#directoryRoles(id,roleTemplateId,displayName)`,
      "@odata.count": roles.length,
      value: page,
    };
    if (offset + this.pageSize < roles.length) {
      const next = new URL(url.href);
      next.searchParams.set("$skiptoken", String(offset + this.pageSize));
      body["@odata.nextLink"] = `${this.nextLinkOrigin ?? this.origin}${next.pathname}${next.search}`;
    }
    send(res, 200, body);
  }

  /** GET /directoryRoles(roleTemplateId='{id}')/members: 404 for a role nobody in the tenant holds (not activated). */
  private listMembers(res: ServerResponse, url: URL, tenant: FakeTenant | undefined, roleTemplateId: string): void {
    const holds = (roles: FakeRole[]) => roles.some((r) => r.roleTemplateId.toLowerCase() === roleTemplateId);
    const users = Object.entries(tenant?.users ?? {}).filter(([, roles]) => holds(roles));
    const principals = Object.entries(tenant?.servicePrincipals ?? {}).filter(([, roles]) => holds(roles));
    if (users.length + principals.length === 0) {
      return send(
        res,
        404,
        graphError(
          "Request_ResourceNotFound",
          `Resource 'roleTemplateId=${roleTemplateId}' does not exist or one of its queried reference-property objects are not present.`,
        ),
      );
    }
    const all = [
      ...users.map(([id]) => ({
        "@odata.type": "#microsoft.graph.user",
        id,
        displayName: tenant?.hideUserNames ? null : (tenant?.names?.[id] ?? id),
      })),
      ...principals.map(([id]) => ({ "@odata.type": "#microsoft.graph.servicePrincipal", id, displayName: `App ${id}` })),
    ];
    const offset = Number(url.searchParams.get("$skiptoken") ?? "0");
    const body: Record<string, unknown> = {
      "@odata.context": `${this.baseUrl}/$metadata#directoryObjects(id,displayName)`,
      value: all.slice(offset, offset + this.pageSize),
    };
    if (offset + this.pageSize < all.length) {
      const next = new URL(url.href);
      next.searchParams.set("$skiptoken", String(offset + this.pageSize));
      body["@odata.nextLink"] = `${this.nextLinkOrigin ?? this.origin}${next.pathname}${next.search}`;
    }
    send(res, 200, body);
  }

  private asGraphObject(tenantId: string, role: FakeRole, limited: boolean): Record<string, unknown> {
    const key = `${tenantId}|${role.roleTemplateId}`;
    let id = this.objectIds.get(key);
    if (!id) this.objectIds.set(key, (id = randomUUID()));
    // "Limited information": an app that may not read a type gets its members with only @odata.type and id.
    return limited
      ? { "@odata.type": "#microsoft.graph.directoryRole", id, roleTemplateId: null, displayName: null }
      : { "@odata.type": "#microsoft.graph.directoryRole", id, roleTemplateId: role.roleTemplateId, displayName: role.displayName };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function graphError(code: string, message: string) {
  return {
    error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID(), "client-request-id": randomUUID() } },
  };
}

function codeFor(status: number): string {
  if (status === 429) return "TooManyRequests";
  if (status === 503) return "ServiceUnavailable";
  if (status === 504) return "GatewayTimeout";
  return "UnknownError";
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}
