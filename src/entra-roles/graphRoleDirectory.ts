import type { TokenCredential } from "@azure/identity";
import { z } from "zod";
import { DEFAULT_GRAPH_BASE_URL } from "../config.js";
import { RoleTemplateIdSchema, type RoleTemplateId } from "../domain/roles.js";
import { GraphConsentError, InvalidDirectoryIdError } from "./errors.js";
import { GraphClient, type GraphRetryOptions, type LookupBudget } from "./graphClient.js";
import { appOnlyToken, graphScopeFor } from "./graphToken.js";
import type { RoleDirectory } from "./roleDirectory.js";
import { uniqueSorted } from "./tableRoleDirectory.js";

export { DEFAULT_GRAPH_BASE_URL, graphScopeFor, type GraphRetryOptions };

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
  private readonly scope: string;
  private readonly timeoutMs: number;
  private readonly graph: GraphClient;

  constructor(private readonly options: GraphRoleDirectoryOptions) {
    const base = new URL(options.baseUrl ?? DEFAULT_GRAPH_BASE_URL);
    if (base.protocol !== "https:" && base.protocol !== "http:") throw new TypeError(`Graph base URL must be http(s): ${base.href}`);
    if (base.search || base.hash) throw new TypeError("Graph base URL must not carry a query or a fragment");
    const baseUrl = base.href.replace(/\/+$/, "");
    this.scope = options.scope ?? graphScopeFor(baseUrl);
    this.timeoutMs = options.timeoutMs ?? 2500;
    this.graph = new GraphClient({
      baseUrl,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      maxPages: options.maxPages ?? 10,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
  }

  async rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    // Both ids come from a signed activity, but they still go into a URL and a token request: refuse anything but a GUID.
    if (!GUID.test(tenantId)) throw new InvalidDirectoryIdError("tenantId");
    if (!GUID.test(userId)) throw new InvalidDirectoryIdError("userId");
    const budget = await this.startLookup(tenantId);
    const roles = new Set<RoleTemplateId>();
    // ConsistencyLevel + $count: Graph documents them as required for an OData cast combined with other query options.
    const path = `/users/${userId}/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,roleTemplateId,displayName&$count=true`;
    for await (const page of this.graph.pages(path, budget, DirectoryRolePageSchema, "directory roles")) {
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
    const budget = await this.startLookup(tenantId);
    const perRole = await Promise.all(roleIds.filter((roleId) => GUID.test(roleId)).map((roleId) => this.userNamesHolding(roleId, budget)));
    return uniqueSorted(perRole.flat());
  }

  private async userNamesHolding(roleId: RoleTemplateId, budget: LookupBudget): Promise<string[]> {
    const names: string[] = [];
    const path = `/directoryRoles(roleTemplateId='${roleId}')/members?$select=id,displayName`;
    for await (const page of this.graph.pages(path, budget, MemberPageSchema, "directory role members")) {
      for (const member of page.value) {
        if (member.displayName && (member["@odata.type"] ?? "#microsoft.graph.user") === "#microsoft.graph.user")
          names.push(member.displayName);
      }
    }
    return names;
  }

  /** The budget of one whole lookup (token, every page, every retry) and the token it runs with. */
  private async startLookup(tenantId: string): Promise<LookupBudget> {
    const deadline = Date.now() + this.timeoutMs;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const token = await appOnlyToken(this.options.credentialFor, tenantId, this.scope, { signal, timeoutMs: this.timeoutMs });
    return { tenantId, token, signal, deadline, timeoutMs: this.timeoutMs };
  }
}
