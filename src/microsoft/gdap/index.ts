export { approvalLink, GdapClient, type GdapClientOptions, type GdapUpdate } from "./gdapClient.js";
export {
  GDAP_ERROR,
  PARTNER_CUSTOMER_DELEGATED_ADMINISTRATION_APP_ID,
  type GdapErrorCode,
  type GdapFailure,
  type GdapResult,
} from "./errors.js";
export { GDAP_STATUSES, type GdapRelationship, type GdapRelationshipRequest, type GdapStatus } from "./schemas.js";
export {
  AUTO_EXTEND_VALUES,
  defaultAutoExtend,
  durationDays,
  GDAP_LIMITS,
  GLOBAL_ADMINISTRATOR_ROLE_ID,
  type GdapAutoExtend,
  type NewGdapRelationship,
} from "./validation.js";
