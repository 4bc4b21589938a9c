import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback Microsoft Graph v1.0 for `tenantRelationships/delegatedAdminRelationships`, written from Microsoft's
 * pages: "delegatedAdminRelationship resource type", "List / Create / Get / Update delegatedAdminRelationship",
 * "Create requests" (delegatedAdminRelationshipRequest) and the GDAP API overview. It plays the partner side only;
 * the customer's side (approving in the admin center) and time passing are test controls.
 *
 * Tokens are opaque strings the fake issues per partner tenant (`tokenFor`), as FakeGraph does: the server
 * knows the tenant by the token it issued, as Graph does by the token's tid claim.
 */

/** How far the partner tenant let the app in. */
export type GdapConsent = "granted" | "noConsent" | "noPermission" | "noServicePrincipal";

export interface FakeRelationship {
  id: string;
  etag: string;
  displayName: string;
  duration: string;
  customer: { tenantId: string; displayName?: string };
  roleDefinitionIds: string[];
  status: string;
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime?: string;
  endDateTime?: string;
}

export interface RecordedGdapRequest {
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

export interface ScriptedGdapAnswer {
  status: number;
  retryAfter?: string;
  body?: unknown;
  delayMs?: number;
}

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const SERVICE_PRINCIPAL_APP_ID = "2832473f-ec63-45fb-976f-5d45a7d4bb91";
const COLLECTION = "/v1.0/tenantRelationships/delegatedAdminRelationships";
const ITEM = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)(\/requests)?$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export class FakeGdap {
  private server?: Server;
  private readonly consent = new Map<string, GdapConsent>();
  private readonly relationships = new Map<string, FakeRelationship[]>();
  private readonly issued = new Map<string, string>();
  private readonly script: ScriptedGdapAnswer[] = [];
  private version = 0;
  readonly requests: RecordedGdapRequest[] = [];
  /** Relationships per page when the request names no `$top`. */
  pageSize = 100;
  /** When set, every request gets this answer (an outage) after any scripted ones. */
  outage: ScriptedGdapAnswer | undefined;
  /**
   * Tokens issued elsewhere (a loopback login server, for the real bot process): the tenant each was issued for,
   * as Graph reads a token's tid claim. Tokens of `tokenFor` are known without it.
   */
  tokensFrom: ((token: string) => string | undefined) | undefined;
  /**
   * Called with each request as it arrives, before it is answered: a test changes a relationship "meanwhile" here
   * (between the bot's read and its PATCH), as Partner Center or another instance would.
   */
  onRequest: ((request: RecordedGdapRequest) => void) | undefined;
  /**
   * How an accessDetails update of an active relationship is answered: 202 Accepted with a Location (a long-running
   * operation, the "Update delegatedAdminRelationship" page's case for removing Global Administrator) or 200 with the
   * updated relationship (the page's documented response).
   */
  activeUpdateAnswer: 200 | 202 = 202;
  /** The fake's clock: relationships are created, activated and ended at this time. */
  now: () => Date = () => new Date();
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

  /** A partner tenant and how far it let the app in. */
  partner(tenantId: string, consent: GdapConsent = "granted"): this {
    this.consent.set(tenantId.toLowerCase(), consent);
    if (!this.relationships.has(tenantId.toLowerCase())) this.relationships.set(tenantId.toLowerCase(), []);
    return this;
  }

  /**
   * The app-only token function for a partner tenant. Without consent it fails as Entra ID does for an app no
   * admin of the tenant consented to (AADSTS65001 in the description).
   */
  tokenFor(tenantId: string): () => Promise<string> {
    return async () => {
      if (this.consent.get(tenantId.toLowerCase()) === "noConsent") {
        throw Object.assign(new Error("AADSTS65001: The user or administrator has not consented to use the application."), {
          errorResponse: { error: "invalid_grant", errorDescription: "AADSTS65001: consent required" },
        });
      }
      const token = `fake-gdap-token-${randomUUID()}`;
      this.issued.set(token, tenantId.toLowerCase());
      return token;
    };
  }

  /** Answers the next requests with these, in order, before playing Graph normally again. */
  answerNext(...answers: ScriptedGdapAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /** The partner's relationships as the fake holds them now (copies). */
  relationshipsOf(partnerTenantId: string): FakeRelationship[] {
    return (this.relationships.get(partnerTenantId.toLowerCase()) ?? []).map((r) => structuredClone(r));
  }

  /** A relationship made outside Partner Desk (in Partner Center), in any status. */
  seed(
    partnerTenantId: string,
    relationship: Partial<FakeRelationship> & Pick<FakeRelationship, "displayName" | "customer">,
  ): FakeRelationship {
    const created = this.newRelationship({
      duration: "P730D",
      roleDefinitionIds: [GLOBAL_ADMINISTRATOR],
      autoExtendDuration: "PT0S",
      ...relationship,
    });
    Object.assign(created, relationship, { etag: this.nextEtag() });
    this.partner(partnerTenantId, this.consent.get(partnerTenantId.toLowerCase()) ?? "granted");
    this.relationships.get(partnerTenantId.toLowerCase())!.push(created);
    return structuredClone(created);
  }

  /**
   * The customer's Global administrator chose "Approve all" in the admin center: approvalPending → approved →
   * activating → active (or stops at `until`), with activatedDateTime now and endDateTime = activated + duration.
   */
  customerApproves(id: string, until: "approved" | "activating" | "active" = "active", customerName = "Customer"): void {
    const relationship = this.find(id);
    if (relationship.status !== "approvalPending") throw new Error(`cannot approve a relationship in ${relationship.status}`);
    const now = this.now();
    this.change(relationship, {
      status: until,
      customer: { ...relationship.customer, displayName: relationship.customer.displayName ?? customerName },
    });
    if (until !== "active") return;
    relationship.activatedDateTime = now.toISOString();
    relationship.endDateTime = new Date(now.getTime() + days(relationship.duration) * DAY_MS).toISOString();
  }

  /** Time passed: the relationship reached its end (expiring), then Microsoft deprovisioned it (expired). */
  timePasses(id: string, to: "expiring" | "expired"): void {
    const relationship = this.find(id);
    const allowed = to === "expiring" ? ["active"] : ["active", "expiring"];
    if (!allowed.includes(relationship.status)) throw new Error(`${relationship.status} does not become ${to}`);
    this.change(relationship, { status: to, endDateTime: this.now().toISOString() });
  }

  /** Microsoft finished a termination: terminationRequested → terminating → terminated (or stops at terminating). */
  terminationCompletes(id: string, until: "terminating" | "terminated" = "terminated"): void {
    const relationship = this.find(id);
    if (!["terminationRequested", "terminating"].includes(relationship.status)) throw new Error(`${relationship.status} is not ending`);
    this.change(relationship, { status: until, ...(until === "terminated" ? { endDateTime: this.now().toISOString() } : {}) });
  }

  /** Someone changed the relationship outside Partner Desk (in Partner Center): a new ETag, the rest unchanged. */
  changeElsewhere(id: string): void {
    this.change(this.find(id), {});
  }

  /** Forgets recorded requests, scripts and hooks; keeps partners and relationships. */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.outage = undefined;
    this.onRequest = undefined;
    this.activeUpdateAnswer = 202;
    this.pageSize = 100;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const authorization = req.headers.authorization;
    const bearer = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
    const tenantId = bearer === undefined ? undefined : (this.issued.get(bearer) ?? this.tokensFrom?.(bearer));
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const ifMatch = typeof req.headers["if-match"] === "string" ? req.headers["if-match"] : undefined;
    const recorded: RecordedGdapRequest = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      search: url.search,
      ifMatch,
      body,
      tenantId,
      authorization,
    };
    this.requests.push(recorded);
    this.onRequest?.(recorded);

    const scripted = this.script.shift() ?? this.outage;
    if (scripted) {
      if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
      if (res.destroyed) return;
      const headers: Record<string, string> = scripted.retryAfter ? { "retry-after": scripted.retryAfter } : {};
      return send(res, scripted.status, scripted.body ?? graphError(codeFor(scripted.status), "scripted"), headers);
    }
    if (!tenantId) return send(res, 401, graphError("InvalidAuthenticationToken", "Access token validation failure. Invalid audience."));
    const consent = this.consent.get(tenantId);
    if (consent === "noPermission")
      return send(res, 403, graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."));
    if (consent === "noServicePrincipal")
      return send(
        res,
        403,
        graphError(
          "Forbidden",
          `The service principal for application ${SERVICE_PRINCIPAL_APP_ID} (Partner Customer Delegated Administration) is not provisioned in the tenant.`,
        ),
      );
    const own = this.relationships.get(tenantId) ?? [];
    if (url.pathname === COLLECTION && req.method === "GET") return this.list(res, url, own);
    if (url.pathname === COLLECTION && req.method === "POST") return this.create(res, own, body);
    const item = ITEM.exec(url.pathname);
    const relationship = item ? own.find((r) => r.id === decodeURIComponent(item[1]!)) : undefined;
    if (!item) return send(res, 400, graphError("BadRequest", `Resource not found for the segment '${url.pathname}'.`));
    if (!relationship) return send(res, 404, graphError("NotFound", `The delegated admin relationship '${item[1]}' was not found.`));
    if (item[2] && req.method === "POST") return this.request(res, relationship, body);
    if (!item[2] && req.method === "GET")
      return send(res, 200, { "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships/$entity`, ...wire(relationship) });
    if (!item[2] && req.method === "PATCH") return this.update(res, relationship, own, body, ifMatch);
    return send(res, 405, graphError("MethodNotAllowed", `${req.method} is not allowed here.`));
  }

  /** GET with `$filter=displayName eq '…'` (the only filter modelled), `$top` (at most 300) and `$skiptoken` paging. */
  private list(res: ServerResponse, url: URL, own: FakeRelationship[]): void {
    const filter = url.searchParams.get("$filter");
    let matching = own;
    if (filter !== null) {
      const eq = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!eq) return send(res, 400, graphError("BadRequest", `Invalid filter clause: ${filter}`));
      matching = own.filter((r) => r.displayName === eq[1]!.replaceAll("''", "'"));
    }
    const top = url.searchParams.has("$top") ? Math.min(300, Number(url.searchParams.get("$top"))) : this.pageSize;
    const offset = Number(url.searchParams.get("$skiptoken") ?? "0");
    const answer: Record<string, unknown> = {
      "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships`,
      value: matching.slice(offset, offset + top).map(wire),
    };
    if (offset + top < matching.length) {
      const next = new URL(url.href);
      next.searchParams.set("$skiptoken", String(offset + top));
      answer["@odata.nextLink"] = `${this.origin}${next.pathname}${next.search}`;
    }
    send(res, 200, answer);
  }

  private create(res: ServerResponse, own: FakeRelationship[], body: unknown): void {
    const input = body as Partial<{
      displayName: string;
      duration: string;
      customer: FakeRelationship["customer"];
      accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
      autoExtendDuration: string;
    }>;
    const roles = input?.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? [];
    const refusal = refusalOf({
      displayName: input?.displayName,
      duration: input?.duration,
      roles,
      autoExtendDuration: input?.autoExtendDuration ?? "PT0S",
    });
    if (refusal) return send(res, 400, graphError("BadRequest", refusal));
    if (own.some((r) => r.displayName === input.displayName))
      return send(
        res,
        409,
        graphError("Conflict", `A delegated admin relationship with the display name '${input.displayName}' already exists.`),
      );
    const relationship = this.newRelationship({
      displayName: input.displayName!,
      duration: input.duration!,
      customer: input.customer ?? { tenantId: "" },
      roleDefinitionIds: roles,
      autoExtendDuration: input.autoExtendDuration ?? "PT0S",
    });
    own.push(relationship);
    send(
      res,
      201,
      { "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships/$entity`, ...wire(relationship) },
      { location: `${this.baseUrl}/tenantRelationships/delegatedAdminRelationships/${relationship.id}` },
    );
  }

  /** POST …/requests: lockForApproval (created → approvalPending) and terminate (active → terminationRequested). */
  private request(res: ServerResponse, relationship: FakeRelationship, body: unknown): void {
    const action = (body as { action?: unknown } | undefined)?.action;
    if (action === "approve" || action === "reject")
      return send(
        res,
        400,
        graphError(
          "BadRequest",
          `The action '${action}' is for an indirect reseller's relationship; the customer approves in the Microsoft 365 admin center.`,
        ),
      );
    const from = action === "lockForApproval" ? ["created"] : action === "terminate" ? ["active", "expiring"] : undefined;
    if (!from) return send(res, 400, graphError("BadRequest", `Unknown action '${String(action)}'.`));
    if (!from.includes(relationship.status))
      return send(res, 400, graphError("BadRequest", `The action '${String(action)}' is not allowed in status '${relationship.status}'.`));
    this.change(relationship, { status: action === "lockForApproval" ? "approvalPending" : "terminationRequested" });
    const now = this.now().toISOString();
    const id = randomUUID();
    send(
      res,
      201,
      {
        "@odata.context": `${this.baseUrl}/tenantRelationships/$metadata#requests/$entity`,
        id,
        action,
        status: "created",
        createdDateTime: now,
        lastModifiedDateTime: now,
      },
      { location: `${this.baseUrl}/tenantRelationships/delegatedAdminRelationships/${relationship.id}/requests/${id}` },
    );
  }

  /**
   * PATCH with If-Match. In `created` every documented property may change (200 with the relationship); while
   * `active` roles may only be removed and autoExtendDuration changed, a long-running operation (202 + Location).
   */
  private update(
    res: ServerResponse,
    relationship: FakeRelationship,
    own: FakeRelationship[],
    body: unknown,
    ifMatch: string | undefined,
  ): void {
    if (!ifMatch) return send(res, 400, graphError("BadRequest", "The If-Match header is required."));
    if (ifMatch !== relationship.etag)
      return send(res, 412, graphError("PreconditionFailed", "The ETag in If-Match does not match the relationship's current ETag."));
    const patch = (body ?? {}) as Partial<{
      displayName: string;
      duration: string;
      autoExtendDuration: string;
      accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
    }>;
    const roles = patch.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? relationship.roleDefinitionIds;
    const next = {
      displayName: patch.displayName ?? relationship.displayName,
      duration: patch.duration ?? relationship.duration,
      roles,
      autoExtendDuration: patch.autoExtendDuration ?? relationship.autoExtendDuration,
    };
    const refusal = refusalOf(next);
    if (refusal) return send(res, 400, graphError("BadRequest", refusal));
    if (relationship.status === "created") {
      if (own.some((r) => r !== relationship && r.displayName === next.displayName))
        return send(
          res,
          409,
          graphError("Conflict", `A delegated admin relationship with the display name '${next.displayName}' already exists.`),
        );
      this.change(relationship, {
        displayName: next.displayName,
        duration: next.duration,
        roleDefinitionIds: roles,
        autoExtendDuration: next.autoExtendDuration,
      });
      return send(res, 200, { "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships/$entity`, ...wire(relationship) });
    }
    if (relationship.status !== "active" || patch.displayName !== undefined || patch.duration !== undefined)
      return send(res, 400, graphError("BadRequest", `The relationship cannot be updated this way in status '${relationship.status}'.`));
    if (!roles.every((role) => relationship.roleDefinitionIds.includes(role)))
      return send(res, 400, graphError("BadRequest", "Roles can only be removed from an active relationship."));
    this.change(relationship, { roleDefinitionIds: roles, autoExtendDuration: next.autoExtendDuration });
    if (this.activeUpdateAnswer === 200)
      return send(res, 200, { "@odata.context": `${this.baseUrl}/$metadata#delegatedAdminRelationships/$entity`, ...wire(relationship) });
    send(res, 202, "", {
      location: `${this.baseUrl}/tenantRelationships/delegatedAdminRelationships/${relationship.id}/operations/${randomUUID()}`,
    });
  }

  private newRelationship(
    input: Pick<FakeRelationship, "displayName" | "duration" | "customer" | "roleDefinitionIds" | "autoExtendDuration">,
  ): FakeRelationship {
    const now = this.now().toISOString();
    return {
      id: `${randomUUID()}-${randomUUID()}`,
      etag: this.nextEtag(),
      status: "created",
      createdDateTime: now,
      lastModifiedDateTime: now,
      ...input,
    };
  }

  private change(relationship: FakeRelationship, changes: Partial<FakeRelationship>): void {
    Object.assign(relationship, changes, { etag: this.nextEtag(), lastModifiedDateTime: this.now().toISOString() });
  }

  private find(id: string): FakeRelationship {
    for (const own of this.relationships.values()) {
      const found = own.find((r) => r.id === id);
      if (found) return found;
    }
    throw new Error(`no relationship ${id}`);
  }

  /** Weak ETags shaped like Graph's: W/"<base64>". */
  private nextEtag(): string {
    return `W/"${Buffer.from(`'"${++this.version}-${randomUUID()}"'`).toString("base64")}"`;
  }
}

/** The documented validation of a relationship's properties, or undefined. */
function refusalOf(input: {
  displayName: string | undefined;
  duration: string | undefined;
  roles: string[];
  autoExtendDuration: string;
}): string | undefined {
  if (!input.displayName) return "displayName is required.";
  if (input.displayName.length > 50) return "displayName must be at most 50 characters.";
  const length = input.duration ? days(input.duration) : NaN;
  if (!(length >= 1 && length <= 730)) return "duration must be between P1D and P2Y.";
  if (input.roles.length === 0) return "accessDetails must name at least one role.";
  if (!["PT0S", "P0D", "P180D"].includes(input.autoExtendDuration)) return "autoExtendDuration must be PT0S, P0D or P180D.";
  if (input.autoExtendDuration === "P180D" && input.roles.includes(GLOBAL_ADMINISTRATOR))
    return "autoExtendDuration is not supported when the Global Administrator role is requested.";
  return undefined;
}

/** Days in PnYnWnD (years of 365 days); NaN for anything else. */
function days(duration: string): number {
  const match = /^P(?:(\d+)Y)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  if (!match || duration === "P") return NaN;
  return Number(match[1] ?? 0) * 365 + Number(match[2] ?? 0) * 7 + Number(match[3] ?? 0);
}

/** A relationship as Graph sends it: `@odata.etag`, and null for dates that have not happened. */
function wire(r: FakeRelationship): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    "@odata.etag": r.etag,
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    customer: r.customer,
    accessDetails: { unifiedRoles: r.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: r.status,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime ?? null,
    endDateTime: r.endDateTime ?? null,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
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
  res.writeHead(status, { ...(body === "" ? {} : { "content-type": "application/json" }), ...headers });
  res.end(body === "" ? undefined : JSON.stringify(body));
}
