import type { AccessToken, TokenCredential } from "@azure/identity";
import { z } from "zod";
import { DEFAULT_GRAPH_BASE_URL } from "../config.js";
import { RoleTemplateIdSchema, type RoleTemplateId } from "../domain/roles.js";
import { GraphConsentError, GraphUnavailableError, InvalidDirectoryIdError } from "./errors.js";
import type { RoleDirectory } from "./roleDirectory.js";
import { uniqueSorted } from "./tableRoleDirectory.js";

export { DEFAULT_GRAPH_BASE_URL };

export interface GraphRetryOptions {
  /** Tries per Graph request, the first one included. */
  maxAttempts?: number;
  /** First backoff when Graph gives no Retry-After; doubles per try, with jitter. */
  baseDelayMs?: number;
  /** The longest we wait between tries. A Retry-After above it ends the lookup instead: retrying sooner would only be throttled again. */
  maxDelayMs?: number;
}

export interface GraphRoleDirectoryOptions {
  /** Graph root including the version, e.g. https://graph.microsoft.com/v1.0 or a sovereign cloud's. */
  baseUrl?: string;
  /** An app-only credential that gets tokens in the given (customer) tenant. */
  credentialFor: (tenantId: string) => TokenCredential;
  /** Defaults to the base URL's origin + "/.default", so a token is only ever minted for the host it is sent to. */
  scope?: string;
  fetch?: typeof fetch;
  /**
   * Budget for one whole lookup: token, every page, every retry. A role check sits on the path of an
   * adaptiveCard/action invoke, which Teams retries after about 3 s, so the default leaves room for the handler.
   */
  timeoutMs?: number;
  retry?: GraphRetryOptions;
  /** A user holds a few roles; this only stops a server that keeps sending nextLinks. */
  maxPages?: number;
  /** Waits between retries; tests pass one that records the delay. */
  sleep?: (ms: number) => Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * Entra ID errors that mean "this tenant has not let this app in": consent not granted (65001), the app is not
 * (or no longer) in the tenant (700016), the tenant disabled it (7000112). Anything else from the token endpoint
 * is an outage or our own misconfiguration (a wrong secret, a wrong Graph host), which must not quietly turn
 * into a fallback to the table.
 */
const CONSENT_AADSTS = new Set(["65001", "700016", "7000112"]);

const DirectoryRolePageSchema = z.object({
  value: z.array(
    z.object({
      id: z.string(),
      // Null when the app may list memberships but not read directory roles ("limited information" for inaccessible types).
      roleTemplateId: z.string().nullish(),
      displayName: z.string().nullish(),
    }),
  ),
  "@odata.nextLink": z.string().optional(),
});

const MemberPageSchema = z.object({
  value: z.array(
    z.object({
      "@odata.type": z.string().optional(),
      id: z.string(),
      // Null ("limited information") when the app may read role members but not users: then there is no name to show.
      displayName: z.string().nullish(),
    }),
  ),
  "@odata.nextLink": z.string().optional(),
});

const GraphErrorSchema = z.object({ error: z.object({ code: z.string().optional(), message: z.string().optional() }) });

/**
 * A user's Entra directory roles, read app-only from Microsoft Graph in the user's own tenant:
 * GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole, so roles held through role-assignable
 * groups count too. Only active assignments appear (a PIM-eligible role that is not activated does not).
 * The cast with $select needs Graph's advanced query mode (ConsistencyLevel: eventual), served from an index that
 * can lag a fresh role change by a little; with the role cache in front, a change shows within minutes either way.
 *
 * Permissions the customer tenant must grant the app (application): RoleManagement.Read.Directory or Directory.Read.All.
 */
export class GraphRoleDirectory implements RoleDirectory {
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly scope: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxPages: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphRoleDirectoryOptions) {
    const base = new URL(options.baseUrl ?? DEFAULT_GRAPH_BASE_URL);
    if (base.protocol !== "https:" && base.protocol !== "http:") throw new TypeError(`Graph base URL must be http(s): ${base.href}`);
    if (base.search || base.hash) throw new TypeError("Graph base URL must not carry a query or a fragment");
    this.baseUrl = base.href.replace(/\/+$/, "");
    this.origin = base.origin;
    this.scope = options.scope ?? graphScopeFor(this.baseUrl);
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 2500;
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 3);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 200;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 1000;
    this.maxPages = options.maxPages ?? 10;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    // Both ids come from a signed activity, but they still go into a URL and a token request: refuse anything but a GUID.
    if (!GUID.test(tenantId)) throw new InvalidDirectoryIdError("tenantId");
    if (!GUID.test(userId)) throw new InvalidDirectoryIdError("userId");
    const deadline = Date.now() + this.timeoutMs;
    const signal = AbortSignal.timeout(this.timeoutMs);

    const token = await this.tokenFor(tenantId, signal);
    const roles = new Set<RoleTemplateId>();
    // ConsistencyLevel + $count: Graph documents them as required for an OData cast combined with other query options.
    const first = `${this.baseUrl}/users/${userId}/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId,displayName&$count=true`;
    for await (const page of this.pages(first, token, tenantId, { signal, deadline }, DirectoryRolePageSchema, "directory roles")) {
      for (const role of page.value) {
        if (!role.roleTemplateId) {
          throw new GraphConsentError(
            tenantId,
            "Graph lists the user's role memberships but hides which roles they are: grant the app RoleManagement.Read.Directory (or Directory.Read.All) in this tenant",
            200,
            "LimitedInformation",
          );
        }
        const known = RoleTemplateIdSchema.safeParse(role.roleTemplateId.toLowerCase());
        if (known.success) roles.add(known.data as RoleTemplateId);
      }
    }
    return [...roles];
  }

  /**
   * Who holds these roles in the tenant, by name: GET /directoryRoles(roleTemplateId='{id}')/members per role.
   * A role nobody was ever assigned is not activated in the tenant and answers 404: nobody holds it. Only users are
   * named (a service principal can hold a role, but nobody can ask it). Names need the app to read users too
   * (User.ReadBasic.All); without it Graph lists members without names, and the refusal asks for "an administrator".
   */
  async holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]> {
    if (!GUID.test(tenantId)) throw new InvalidDirectoryIdError("tenantId");
    const deadline = Date.now() + this.timeoutMs;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const token = await this.tokenFor(tenantId, signal);
    const perRole = await Promise.all(
      roleIds
        .filter((roleId) => GUID.test(roleId))
        .map(async (roleId) => {
          const names: string[] = [];
          const first = `${this.baseUrl}/directoryRoles(roleTemplateId='${roleId}')/members?$select=id,displayName`;
          for await (const page of this.pages(first, token, tenantId, { signal, deadline }, MemberPageSchema, "directory role members")) {
            for (const member of page.value) {
              if (member.displayName && (member["@odata.type"] ?? "#microsoft.graph.user") === "#microsoft.graph.user")
                names.push(member.displayName);
            }
          }
          return names;
        }),
    );
    return uniqueSorted(perRole.flat());
  }

  /** Every page of a Graph collection, following @odata.nextLink on our own host only; a 404 is an empty collection. */
  private async *pages<T extends { "@odata.nextLink"?: string | undefined }>(
    first: string,
    token: string,
    tenantId: string,
    budget: { signal: AbortSignal; deadline: number },
    schema: z.ZodType<T>,
    what: string,
  ): AsyncGenerator<T> {
    let url: string | undefined = first;
    for (let page = 0; url; page++) {
      if (page >= this.maxPages) throw new GraphUnavailableError(`Graph kept paging past ${this.maxPages} pages of ${what}`);
      const body = await this.get(url, token, tenantId, budget);
      if (body === "notFound") return;
      const parsed = schema.safeParse(body);
      if (!parsed.success)
        throw new GraphUnavailableError(`Graph answered with an unexpected page of ${what}: ${z.prettifyError(parsed.error)}`);
      yield parsed.data;
      url = parsed.data["@odata.nextLink"];
      // The next request carries the bearer token: it only ever goes back to the Graph host we were configured with.
      if (url !== undefined && !this.isOurs(url))
        throw new GraphUnavailableError("Graph sent a nextLink to another host; refused to send the token there");
    }
  }

  private isOurs(link: string): boolean {
    try {
      return new URL(link).origin === this.origin;
    } catch {
      return false;
    }
  }

  private async tokenFor(tenantId: string, signal: AbortSignal): Promise<string> {
    let token: AccessToken | null;
    try {
      token = await this.options.credentialFor(tenantId).getToken(this.scope, { abortSignal: signal });
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
      if (signal.aborted) throw new GraphUnavailableError(`no Graph token within ${this.timeoutMs} ms`, undefined, undefined, error);
      throw new GraphUnavailableError(`could not get a Graph token${aadsts ? ` (AADSTS${aadsts})` : ""}`, undefined, undefined, error);
    }
    if (!token?.token) throw new GraphUnavailableError("the credential returned no Graph token");
    return token.token;
  }

  /** One Graph GET with bounded retries. Returns the JSON body, or "notFound" for a 404. */
  private async get(url: string, token: string, tenantId: string, budget: { signal: AbortSignal; deadline: number }): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: "application/json", consistencylevel: "eventual" },
          signal: budget.signal,
        });
      } catch (error) {
        // No retry here: a timeout already spent the budget, and a refused connection is not worth the invoke's seconds.
        const message = budget.signal.aborted ? `Graph did not answer within ${this.timeoutMs} ms` : "Graph could not be reached";
        throw new GraphUnavailableError(message, undefined, undefined, error);
      }

      if (response.ok) {
        try {
          return await response.json();
        } catch (error) {
          throw new GraphUnavailableError("Graph answered with a body that is not JSON", response.status, undefined, error);
        }
      }

      const graphCode = await errorCodeOf(response);
      if (response.status === 404) return "notFound";
      if (response.status === 401 || response.status === 403) {
        throw new GraphConsentError(
          tenantId,
          `Graph refused to list the user's directory roles (${response.status}${graphCode ? ` ${graphCode}` : ""}): grant the app RoleManagement.Read.Directory (or Directory.Read.All) in this tenant`,
          response.status,
          graphCode,
        );
      }
      if (!RETRYABLE.has(response.status)) {
        throw new GraphUnavailableError(`Graph answered ${response.status}${graphCode ? ` ${graphCode}` : ""}`, response.status);
      }

      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
      if (attempt >= this.maxAttempts) {
        throw new GraphUnavailableError(`Graph answered ${response.status} ${attempt} times`, response.status, retryAfterMs);
      }
      const delay = retryAfterMs ?? this.backoff(attempt);
      if (delay > this.maxDelayMs || Date.now() + delay >= budget.deadline) {
        throw new GraphUnavailableError(
          `Graph answered ${response.status} and asks to wait ${delay} ms, longer than a role check may take`,
          response.status,
          retryAfterMs,
        );
      }
      await this.sleep(delay);
    }
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

/** The app-only scope for a Graph root: its origin + "/.default" (https://graph.microsoft.com/.default for the public cloud). */
export function graphScopeFor(baseUrl: string): string {
  return `${new URL(baseUrl).origin}/.default`;
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

async function errorCodeOf(response: Response): Promise<string | undefined> {
  // Read (and so release) the body; Graph puts a code such as Authorization_RequestDenied in it.
  const text = await response.text().catch(() => "");
  try {
    const parsed = GraphErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error.code : undefined;
  } catch {
    return undefined;
  }
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
