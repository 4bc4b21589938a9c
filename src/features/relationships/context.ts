import type { Ports } from "../ports.js";
import type { FeatureContext, ViewContext } from "../types.js";

/** What the relationship cards read and write: the tenant's relationships, their history, decisions. */
export type RelationshipContext = FeatureContext<Pick<Ports, "relationships" | "audit" | "roleHolders" | "decisions">>;

/** What the details card (or, for a partner no longer there, the list) reads. */
export type DetailsContext = ViewContext & { ports: Pick<Ports, "relationships" | "audit"> };

/** Opening a partner's details: its relationship first brought up to date from Microsoft when the partner is connected. */
export type ShowPartnerContext = FeatureContext<Pick<Ports, "relationships" | "audit" | "roleHolders" | "microsoftSync">>;
