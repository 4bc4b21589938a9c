/**
 * Named failures of a role lookup. They are kept apart because callers must treat them differently:
 * a tenant that never granted the app Graph consent has a designed alternative (the role assignment table),
 * an outage does not (see FallbackRoleDirectory).
 */

/** The tenant did not let the app read its directory roles: no consent, missing permission, or app not in the tenant. */
export class GraphConsentError extends Error {
  readonly code = "ROLES.GRAPH_CONSENT";
  constructor(
    readonly tenantId: string,
    message: string,
    /** HTTP status from Graph, absent when the token was refused by Entra ID. */
    readonly status?: number,
    /** Graph's or Entra ID's own error code (e.g. Authorization_RequestDenied, AADSTS700016), for the log. */
    readonly graphCode?: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "GraphConsentError";
  }
}

/** Graph (or the token endpoint) did not give an answer we can trust: outage, throttling beyond our budget, timeout, bad response. */
export class GraphUnavailableError extends Error {
  readonly code = "ROLES.GRAPH_UNAVAILABLE";
  constructor(
    message: string,
    readonly status?: number,
    /** What Graph's last Retry-After asked for, when that is why we stopped. */
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = "GraphUnavailableError";
  }
}

/** A tenant or user id that cannot be an Entra object id: refused before any URL is built from it. */
export class InvalidDirectoryIdError extends Error {
  readonly code = "ROLES.INVALID_ID";
  constructor(readonly field: "tenantId" | "userId") {
    super(`${field} must be an Entra object id (GUID)`);
    this.name = "InvalidDirectoryIdError";
  }
}
