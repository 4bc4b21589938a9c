import type { z } from "zod";
import { ok } from "../../domain/result.js";
import { GDAP_ERROR, gdapFailure, type GdapOperation, type GdapResult } from "./errors.js";
import { GdapHttp, type GdapHttpOptions } from "./gdapHttp.js";
import {
  GdapRelationshipPageSchema,
  GdapRelationshipRequestSchema,
  GdapRelationshipSchema,
  type GdapRelationship,
  type GdapRelationshipRequest,
} from "./schemas.js";
import { defaultAutoExtend, invalidNewRelationship, type NewGdapRelationship } from "./validation.js";

export type GdapClientOptions = GdapHttpOptions & {
  /** A partner has hundreds of relationships at most; this only stops a server that keeps sending nextLinks. */
  maxPages?: number;
  /** `$top` per page (Graph allows up to 300); unset lets Graph choose. */
  pageSize?: number;
};

/** What an accessDetails update did: applied at once (a `created` relationship) or accepted as a long-running operation (`active`). */
export type GdapUpdate = { kind: "updated"; relationship: GdapRelationship } | { kind: "accepted"; operationUrl: string | undefined };

const COLLECTION = "/tenantRelationships/delegatedAdminRelationships";

/** Where the customer's Global administrator approves a relationship locked for approval (the GDAP API overview's URI template). */
export function approvalLink(relationshipId: string): string {
  return `https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/${encodeURIComponent(relationshipId)}`;
}

/**
 * Microsoft Graph's delegatedAdminRelationships API for one partner tenant, called with an app-only token in that
 * tenant (application permission DelegatedAdminRelationship.ReadWrite.All, and Microsoft's "Partner Customer
 * Delegated Administration" service principal there). Every answer is parsed; every expected failure is a value.
 */
export class GdapClient {
  private readonly http: GdapHttp;

  constructor(private readonly options: GdapClientOptions) {
    this.http = new GdapHttp(options);
  }

  /** Every relationship of the partner, every page followed (on our Graph host only), optionally filtered by Graph. */
  async listRelationships(filter?: string): Promise<GdapResult<GdapRelationship[]>> {
    // Spaces as %20, as Graph's query-parameter guidance asks (URLSearchParams would write "+").
    const query = [
      ...(filter === undefined ? [] : [`$filter=${encodeURIComponent(filter)}`]),
      ...(this.options.pageSize === undefined ? [] : [`$top=${this.options.pageSize}`]),
    ];
    let url: string | undefined = `${this.http.baseUrl}${COLLECTION}${query.length ? `?${query.join("&")}` : ""}`;
    const all: GdapRelationship[] = [];
    const maxPages = this.options.maxPages ?? 100;
    for (let page = 0; url !== undefined; page++) {
      if (page >= maxPages) return gdapFailure(GDAP_ERROR.BAD_RESPONSE, `Graph kept paging past ${maxPages} pages of relationships`);
      const answer: GdapResult<z.output<typeof GdapRelationshipPageSchema>> = await this.read(
        "list",
        "GET",
        url,
        GdapRelationshipPageSchema,
      );
      if (!answer.ok) return answer;
      all.push(...answer.value.value);
      url = answer.value["@odata.nextLink"];
      if (url !== undefined && !this.http.isOurs(url))
        return gdapFailure(GDAP_ERROR.BAD_RESPONSE, "Graph sent a nextLink to another host; refused to send the token there");
    }
    return ok(all);
  }

  /** The relationship of that display name, if the partner has one: the idempotency key, looked up before creating. */
  async findByDisplayName(displayName: string): Promise<GdapResult<GdapRelationship | undefined>> {
    const listed = await this.listRelationships(`displayName eq '${displayName.replaceAll("'", "''")}'`);
    if (!listed.ok) return listed;
    return ok(listed.value.find((relationship) => relationship.displayName === displayName));
  }

  async getRelationship(id: string): Promise<GdapResult<GdapRelationship>> {
    return this.read("get", "GET", this.itemUrl(id), GdapRelationshipSchema);
  }

  /** Creates a relationship in `created` status; the documented limits are checked before anything is sent. */
  async createRelationship(input: NewGdapRelationship): Promise<GdapResult<GdapRelationship>> {
    const invalid = invalidNewRelationship(input);
    if (invalid) return invalid;
    const body = {
      displayName: input.displayName,
      duration: input.duration,
      customer: input.customer,
      accessDetails: { unifiedRoles: input.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
      autoExtendDuration: input.autoExtendDuration ?? defaultAutoExtend(input.roleDefinitionIds),
    };
    return this.read("create", "POST", `${this.http.baseUrl}${COLLECTION}`, GdapRelationshipSchema, body);
  }

  /**
   * The relationship of this display name, created only if the partner has none: a retried or double-pressed send
   * makes one relationship. A name already used for another customer is GDAP.DUPLICATE_NAME, never reused.
   */
  async ensureRelationship(input: NewGdapRelationship): Promise<GdapResult<{ relationship: GdapRelationship; created: boolean }>> {
    const found = await this.findByDisplayName(input.displayName);
    if (!found.ok) return found;
    if (found.value) return this.existing(found.value, input);
    const created = await this.createRelationship(input);
    if (created.ok) return ok({ relationship: created.value, created: true });
    if (created.code !== GDAP_ERROR.DUPLICATE_NAME) return created;
    // Another instance created it between our look-up and our create: theirs is the one.
    const raced = await this.findByDisplayName(input.displayName);
    if (!raced.ok) return raced;
    return raced.value ? this.existing(raced.value, input) : created;
  }

  /** Finalizes a `created` relationship so the customer can approve it at `approvalLink(id)`. */
  async lockForApproval(id: string): Promise<GdapResult<GdapRelationshipRequest>> {
    return this.request(id, "lockForApproval");
  }

  /** Asks Microsoft to end the relationship; it goes terminationRequested → terminating → terminated. */
  async terminate(id: string): Promise<GdapResult<GdapRelationshipRequest>> {
    return this.request(id, "terminate");
  }

  /**
   * Replaces the roles of a relationship, conditional on the ETag it was read with: a 412 is GDAP.CONFLICT (re-read
   * and decide again). Partner Desk uses it to remove roles, which Graph allows while the relationship is active.
   */
  async updateAccessDetails(
    relationship: Pick<GdapRelationship, "id" | "etag" | "status">,
    roleDefinitionIds: readonly string[],
  ): Promise<GdapResult<GdapUpdate>> {
    if (relationship.status !== "active")
      return gdapFailure(GDAP_ERROR.NOT_ACTIVE, `roles can only be changed while the relationship is active; it is ${relationship.status}`);
    if (roleDefinitionIds.length === 0)
      return gdapFailure(GDAP_ERROR.INVALID_REQUEST, "a relationship keeps at least one role; terminate it to remove them all");
    const answer = await this.http.send({
      operation: "update",
      method: "PATCH",
      url: this.itemUrl(relationship.id),
      ifMatch: relationship.etag,
      body: { accessDetails: { unifiedRoles: roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) } },
    });
    if (!answer.ok) return answer;
    if (answer.value.status === 202) return ok({ kind: "accepted", operationUrl: answer.value.headers.get("location") ?? undefined });
    const parsed = this.parse(GdapRelationshipSchema, answer.value.body, "update");
    return parsed.ok ? ok({ kind: "updated", relationship: parsed.value }) : parsed;
  }

  /**
   * Turns Microsoft's auto-extension on ("P180D") or off ("PT0S"), conditional on the ETag it was read with (a 412 is
   * GDAP.CONFLICT). Graph allows it while the relationship is created or active, and never with Global Administrator
   * among its roles (refused here before anything is sent, as Graph would refuse it).
   */
  async updateAutoExtend(
    relationship: Pick<GdapRelationship, "id" | "etag" | "status" | "roleDefinitionIds">,
    autoExtendDuration: "P180D" | "PT0S",
  ): Promise<GdapResult<GdapUpdate>> {
    if (relationship.status !== "active" && relationship.status !== "created")
      return gdapFailure(GDAP_ERROR.NOT_ACTIVE, `auto-extension can only be changed while created or active; it is ${relationship.status}`);
    if (autoExtendDuration === "P180D" && defaultAutoExtend(relationship.roleDefinitionIds) === "PT0S")
      return gdapFailure(GDAP_ERROR.INVALID_REQUEST, "auto-extension is not supported with the Global Administrator role");
    const answer = await this.http.send({
      operation: "update",
      method: "PATCH",
      url: this.itemUrl(relationship.id),
      ifMatch: relationship.etag,
      body: { autoExtendDuration },
    });
    if (!answer.ok) return answer;
    if (answer.value.status === 202) return ok({ kind: "accepted", operationUrl: answer.value.headers.get("location") ?? undefined });
    const parsed = this.parse(GdapRelationshipSchema, answer.value.body, "update");
    return parsed.ok ? ok({ kind: "updated", relationship: parsed.value }) : parsed;
  }

  /** A relationship found under the name: ours to use only if it is for the same customer. */
  private existing(relationship: GdapRelationship, input: NewGdapRelationship) {
    if (relationship.customer && relationship.customer.tenantId.toLowerCase() !== input.customer.tenantId.toLowerCase())
      return gdapFailure(
        GDAP_ERROR.DUPLICATE_NAME,
        `the partner already has a relationship named "${input.displayName}" with another customer`,
      );
    return ok({ relationship, created: false });
  }

  private async request(id: string, action: "lockForApproval" | "terminate"): Promise<GdapResult<GdapRelationshipRequest>> {
    return this.read("request", "POST", `${this.itemUrl(id)}/requests`, GdapRelationshipRequestSchema, { action });
  }

  private itemUrl(id: string): string {
    return `${this.http.baseUrl}${COLLECTION}/${encodeURIComponent(id)}`;
  }

  private async read<T extends z.ZodType>(
    operation: GdapOperation,
    method: "GET" | "POST",
    url: string,
    schema: T,
    body?: unknown,
  ): Promise<GdapResult<z.output<T>>> {
    const answer = await this.http.send({ operation, method, url, ...(body === undefined ? {} : { body }) });
    return answer.ok ? this.parse(schema, answer.value.body, operation) : answer;
  }

  private parse<T extends z.ZodType>(schema: T, body: unknown, operation: GdapOperation): GdapResult<z.output<T>> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return ok(parsed.data);
    const issue = parsed.error.issues[0];
    return gdapFailure(
      GDAP_ERROR.BAD_RESPONSE,
      `Graph's answer to ${operation} does not match its documented shape${issue ? ` (${issue.path.join(".")}: ${issue.message})` : ""}`,
    );
  }
}
