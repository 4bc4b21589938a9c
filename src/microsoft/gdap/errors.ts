import type { Success } from "../../domain/result.js";

/**
 * Expected failures of the GDAP client, as values. The first three name what the partner must fix in its own
 * tenant before Partner Desk can act for it; the rest say what happened to one request.
 */
export const GDAP_ERROR = {
  /** Entra ID issues no app-only token in the partner tenant: no admin consented to the app there. */
  NO_CONSENT: "GDAP.NO_CONSENT",
  /** Graph refuses the call: the app lacks the application permission DelegatedAdminRelationship.ReadWrite.All. */
  PERMISSION_MISSING: "GDAP.PERMISSION_MISSING",
  /** Graph refuses the call: Microsoft's "Partner Customer Delegated Administration" service principal is not in the tenant. */
  SERVICE_PRINCIPAL_MISSING: "GDAP.SERVICE_PRINCIPAL_MISSING",
  /** Graph does not accept the token itself (401): wrong audience, expired, another cloud. */
  TOKEN_REFUSED: "GDAP.TOKEN_REFUSED",
  /** The ETag sent with If-Match is no longer the relationship's (412): someone changed it since it was read. */
  CONFLICT: "GDAP.CONFLICT",
  /** The partner already has a relationship of that display name (409, or found under it for another customer). */
  DUPLICATE_NAME: "GDAP.DUPLICATE_NAME",
  /** The change is only possible while the relationship is active (accessDetails of an approved relationship). */
  NOT_ACTIVE: "GDAP.NOT_ACTIVE",
  NOT_FOUND: "GDAP.NOT_FOUND",
  /** Refused before sending (the documented limits) or by Graph (400), with Graph's reason. */
  INVALID_REQUEST: "GDAP.INVALID_REQUEST",
  /** Outage, throttling beyond the retry budget, timeout, network failure: nothing is known to have changed. */
  UNAVAILABLE: "GDAP.UNAVAILABLE",
  /** Graph answered something that does not parse as what its documentation describes; it is not used. */
  BAD_RESPONSE: "GDAP.BAD_RESPONSE",
} as const;
export type GdapErrorCode = (typeof GDAP_ERROR)[keyof typeof GDAP_ERROR];

export interface GdapFailure {
  ok: false;
  code: GdapErrorCode;
  message: string;
  details?: { status?: number; graphCode?: string; retryAfterMs?: number };
}
export type GdapResult<T> = Success<T> | GdapFailure;

export function gdapFailure(code: GdapErrorCode, message: string, details?: GdapFailure["details"]): GdapFailure {
  return details ? { ok: false, code, message, details } : { ok: false, code, message };
}

/** Microsoft's "Partner Customer Delegated Administration" app, which must have a service principal in the partner tenant. */
export const PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID = "2832473f-ec63-45fb-976f-5d45a7d4bb91";

/** The operation a refusal came from: a 409 means a duplicate name only when creating. */
export type GdapOperation = "list" | "get" | "create" | "request" | "update";

/**
 * What a Graph error answer means. Microsoft documents which permission and service principal the API needs but
 * not the error body for each omission, so a 403 that names the service principal (by name or app id) is read as
 * that, and every other 403 as the missing permission, whose message also mentions the service principal.
 */
export function failureFromGraph(
  operation: GdapOperation,
  status: number,
  graphCode: string | undefined,
  graphMessage: string | undefined,
): GdapFailure {
  const details = { status, ...(graphCode ? { graphCode } : {}) };
  const said = `Graph answered ${status}${graphCode ? ` ${graphCode}` : ""}${graphMessage ? `: ${graphMessage}` : ""}`;
  if (status === 400) return gdapFailure(GDAP_ERROR.INVALID_REQUEST, said, details);
  if (status === 401) return gdapFailure(GDAP_ERROR.TOKEN_REFUSED, `${said} (the token is not one Graph accepts for this tenant)`, details);
  if (status === 403) {
    const text = `${graphCode ?? ""} ${graphMessage ?? ""}`.toLowerCase();
    if (text.includes("service principal") || text.includes(PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID)) {
      return gdapFailure(
        GDAP_ERROR.SERVICE_PRINCIPAL_MISSING,
        `${said}. Provision the "Partner Customer Delegated Administration" service principal (appId ${PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID}) in the partner tenant`,
        details,
      );
    }
    return gdapFailure(
      GDAP_ERROR.PERMISSION_MISSING,
      `${said}. Grant the app the application permission DelegatedAdminRelationship.ReadWrite.All with admin consent in the partner tenant (and make sure the "Partner Customer Delegated Administration" service principal is there)`,
      details,
    );
  }
  if (status === 404) return gdapFailure(GDAP_ERROR.NOT_FOUND, said, details);
  if (status === 409 && operation === "create") return gdapFailure(GDAP_ERROR.DUPLICATE_NAME, said, details);
  if (status === 409 || status === 412) return gdapFailure(GDAP_ERROR.CONFLICT, said, details);
  return gdapFailure(GDAP_ERROR.UNAVAILABLE, said, details);
}

/**
 * Entra ID errors that mean "no admin of this tenant let the app in": consent not granted (65001), the app is not
 * in the tenant (700016), the tenant disabled it (7000112). The same three the role directory reads as no consent.
 */
const CONSENT_AADSTS = new Set(["65001", "700016", "7000112"]);

/** What a failed `token()` means: no consent, or the login endpoint is unavailable. The token never appears in it. */
export function failureFromToken(error: unknown): GdapFailure {
  const aadsts = aadstsCodeOf(error);
  if ((aadsts && CONSENT_AADSTS.has(aadsts)) || codeOf(error) === "ROLES.GRAPH_CONSENT") {
    return gdapFailure(
      GDAP_ERROR.NO_CONSENT,
      `Entra ID refused an app-only token in the partner tenant${aadsts ? ` (AADSTS${aadsts})` : ""}: an admin of the partner tenant must consent to the app`,
      aadsts ? { graphCode: `AADSTS${aadsts}` } : undefined,
    );
  }
  return gdapFailure(GDAP_ERROR.UNAVAILABLE, `could not get a Graph token for the partner tenant${aadsts ? ` (AADSTS${aadsts})` : ""}`);
}

function codeOf(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** Entra ID's AADSTS code, wherever the credential put it (message, errorResponse, or a wrapped cause). */
function aadstsCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const e = current as { message?: unknown; errorResponse?: { errorDescription?: unknown }; cause?: unknown };
    for (const text of [e.message, e.errorResponse?.errorDescription]) {
      const match = typeof text === "string" ? /AADSTS(\d+)/.exec(text) : null;
      if (match) return match[1];
    }
    current = e.cause;
  }
  return undefined;
}
