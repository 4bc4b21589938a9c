export { SimulatedPartnerCenter, type SimulatedPartnerCenterOptions } from "./simulatedPartnerCenter.js";
export { SIMULATION_TITLE } from "./adminCenter.js";
export { escapeHtml } from "./html.js";
export type { GraphAnswer, GraphRequest } from "./graphApi.js";
export { graphError } from "./graphRules.js";
export type { GdapConsent, HeldRelationship, SimulatedRelationship } from "./ledger.js";
