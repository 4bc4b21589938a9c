import type { AccessReview } from "./accessReview.js";
import type { Acceptance } from "./agreement.js";
import type { ExpiryWarning, LetItEnd } from "./expiryWarning.js";
import type { AuditEvent } from "./audit.js";
import type { ContactRequest } from "./contactRequest.js";
import type { Invitation } from "./invitation.js";
import type { Notification } from "./notification.js";
import type { PartnerConnection } from "./partnerConnection.js";
import type { Relationship } from "./relationship.js";
import type { TenantPolicy } from "./tenantPolicy.js";
import type { TenantProfile } from "./tenantProfile.js";

/** One row a decision writes, named by its aggregate; storage owns how each aggregate maps to a table row. */
export type Write =
  | { kind: "invitation"; value: Invitation }
  | { kind: "relationship"; value: Relationship }
  | { kind: "acceptance"; value: Acceptance }
  | { kind: "audit"; value: AuditEvent }
  | { kind: "notification"; value: Notification }
  | { kind: "contactRequest"; value: ContactRequest }
  | { kind: "tenantProfile"; value: TenantProfile }
  | { kind: "connection"; value: PartnerConnection }
  | { kind: "tenantPolicy"; value: TenantPolicy }
  | { kind: "accessReview"; value: AccessReview }
  | { kind: "expiryWarning"; value: ExpiryWarning }
  | { kind: "letItEnd"; value: LetItEnd };
export type WriteKind = Write["kind"];

export const write = {
  invitation: (value: Invitation): Write => ({ kind: "invitation", value }),
  relationship: (value: Relationship): Write => ({ kind: "relationship", value }),
  acceptance: (value: Acceptance): Write => ({ kind: "acceptance", value }),
  audit: (value: AuditEvent): Write => ({ kind: "audit", value }),
  notification: (value: Notification): Write => ({ kind: "notification", value }),
  contactRequest: (value: ContactRequest): Write => ({ kind: "contactRequest", value }),
  tenantProfile: (value: TenantProfile): Write => ({ kind: "tenantProfile", value }),
  connection: (value: PartnerConnection): Write => ({ kind: "connection", value }),
  tenantPolicy: (value: TenantPolicy): Write => ({ kind: "tenantPolicy", value }),
  accessReview: (value: AccessReview): Write => ({ kind: "accessReview", value }),
  expiryWarning: (value: ExpiryWarning): Write => ({ kind: "expiryWarning", value }),
  letItEnd: (value: LetItEnd): Write => ({ kind: "letItEnd", value }),
};

/**
 * Everything one decision writes, in one tenant's partition (state change, audit event, outbox rows): stored
 * together or not at all. The customer's tenant for its decisions; the partner's own tenant for its connection. Pure data: which rows are new and which replace a row that was read is storage's
 * business, told by the versions the use case read.
 */
export interface Decision {
  tenantId: string;
  writes: readonly Write[];
}

export const DECISION_ERRORS = {
  /** Someone changed (or created) one of the rows since it was read: nothing was written. */
  conflict: "DECISION.CONFLICT",
} as const;
