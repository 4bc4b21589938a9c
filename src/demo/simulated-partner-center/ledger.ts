import { randomUUID } from "node:crypto";
import { GLOBAL_ADMINISTRATOR, days } from "./graphRules.js";

/**
 * What Microsoft holds for the simulated Partner Center: each partner tenant, how far it let Partner Desk's app in,
 * and its delegatedAdminRelationships, moved through the status machine of Microsoft's GDAP API overview
 * (`created → approvalPending → approved → activating → active → expiring → expired`, or
 * `terminationRequested → terminating → terminated`). The partner side changes it through the Graph API
 * (graphApi.ts); the customer's side (the admin center) and time passing through the methods below, which the
 * tests call directly and the simulated admin center calls for the demo.
 */

/** How far the partner tenant let the app in. */
export type GdapConsent = "granted" | "noConsent" | "noPermission" | "noServicePrincipal";

export interface SimulatedRelationship {
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

/** A relationship with the partner tenant that holds it. */
export interface HeldRelationship {
  partnerTenantId: string;
  relationship: SimulatedRelationship;
}

/** Everything the ledger holds, as plain data (the demo keeps it in a file between starts). */
export interface LedgerState {
  partners: Array<{ tenantId: string; consent: GdapConsent; name?: string }>;
  relationships: HeldRelationship[];
  version: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class RelationshipLedger {
  private readonly consent = new Map<string, GdapConsent>();
  private readonly names = new Map<string, string>();
  private readonly relationships = new Map<string, SimulatedRelationship[]>();
  private version = 0;
  /** The clock: relationships are created, activated and ended at this time. */
  now: () => Date = () => new Date();
  /** Called after every change (the demo saves its state then). */
  protected onChange(): void {}

  /** A partner tenant and how far it let the app in; `name` is what the admin center shows for it. */
  partner(tenantId: string, consent: GdapConsent = "granted", name?: string): this {
    const key = tenantId.toLowerCase();
    this.consent.set(key, consent);
    if (name !== undefined) this.names.set(key, name);
    if (!this.relationships.has(key)) this.relationships.set(key, []);
    this.onChange();
    return this;
  }

  consentOf(tenantId: string): GdapConsent | undefined {
    return this.consent.get(tenantId.toLowerCase());
  }

  /** Every partner tenant the ledger knows, with its consent. */
  partnerTenants(): Array<{ tenantId: string; consent: GdapConsent }> {
    return [...this.consent].map(([tenantId, consent]) => ({ tenantId, consent }));
  }

  partnerName(tenantId: string): string | undefined {
    return this.names.get(tenantId.toLowerCase());
  }

  /** The partner's relationships as held now (copies). */
  relationshipsOf(partnerTenantId: string): SimulatedRelationship[] {
    return (this.relationships.get(partnerTenantId.toLowerCase()) ?? []).map((r) => structuredClone(r));
  }

  /** Every relationship of every partner (copies), oldest first. */
  allRelationships(): HeldRelationship[] {
    return [...this.relationships].flatMap(([partnerTenantId, own]) =>
      own.map((relationship) => ({ partnerTenantId, relationship: structuredClone(relationship) })),
    );
  }

  /** One relationship (a copy) and its partner tenant, if any partner holds it. */
  relationship(id: string): HeldRelationship | undefined {
    const held = this.locate(id);
    return held ? { partnerTenantId: held.partnerTenantId, relationship: structuredClone(held.relationship) } : undefined;
  }

  /** A relationship made outside Partner Desk (in Partner Center), in any status. */
  seed(
    partnerTenantId: string,
    relationship: Partial<SimulatedRelationship> & Pick<SimulatedRelationship, "displayName" | "customer">,
  ): SimulatedRelationship {
    this.partner(partnerTenantId, this.consentOf(partnerTenantId) ?? "granted");
    const created = this.create(partnerTenantId, {
      duration: "P730D",
      roleDefinitionIds: [GLOBAL_ADMINISTRATOR],
      autoExtendDuration: "PT0S",
      ...relationship,
    });
    // As given, dates included (a seeded relationship may have been active for months); only the ETag is new.
    Object.assign(created, relationship, { etag: this.nextEtag() });
    this.onChange();
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
    const changes: Partial<SimulatedRelationship> = {
      status: until,
      customer: { ...relationship.customer, displayName: relationship.customer.displayName ?? customerName },
    };
    if (until === "active") {
      changes.activatedDateTime = now.toISOString();
      changes.endDateTime = new Date(now.getTime() + days(relationship.duration) * DAY_MS).toISOString();
    }
    this.change(relationship, changes);
  }

  /**
   * The customer chose "Remove roles" › "Yes" on the admin center's Partner relationships page ("Customer-led
   * termination of a GDAP relationship"): the whole relationship ends, as a partner's terminate request does.
   */
  customerRemovesRoles(id: string): void {
    const relationship = this.find(id);
    if (!["active", "expiring"].includes(relationship.status)) throw new Error(`${relationship.status} has no roles to remove`);
    this.change(relationship, { status: "terminationRequested" });
    this.terminationCompletes(id);
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

  /** The partner's relationships themselves, for the Graph API to read and change (created on first use). */
  /** Someone changed the relationship outside Partner Desk (in Partner Center): a new ETag, the rest unchanged. */
  changeElsewhere(id: string): void {
    this.change(this.find(id), {});
  }

  protected ownedBy(partnerTenantId: string): SimulatedRelationship[] {
    const key = partnerTenantId.toLowerCase();
    let own = this.relationships.get(key);
    if (!own) this.relationships.set(key, (own = []));
    return own;
  }

  /** A new relationship in `created`, held by the partner. */
  protected create(
    partnerTenantId: string,
    input: Pick<SimulatedRelationship, "displayName" | "duration" | "customer" | "roleDefinitionIds" | "autoExtendDuration">,
  ): SimulatedRelationship {
    const now = this.now().toISOString();
    const relationship: SimulatedRelationship = {
      id: `${randomUUID()}-${randomUUID()}`,
      etag: this.nextEtag(),
      status: "created",
      createdDateTime: now,
      lastModifiedDateTime: now,
      ...input,
    };
    this.ownedBy(partnerTenantId).push(relationship);
    this.onChange();
    return relationship;
  }

  /** Every change gets a new ETag and lastModifiedDateTime, as Graph's do. */
  protected change(relationship: SimulatedRelationship, changes: Partial<SimulatedRelationship>): void {
    Object.assign(relationship, changes, { etag: this.nextEtag(), lastModifiedDateTime: this.now().toISOString() });
    this.onChange();
  }

  protected find(id: string): SimulatedRelationship {
    const held = this.locate(id);
    if (!held) throw new Error(`no relationship ${id}`);
    return held.relationship;
  }

  /** Everything held, as plain data. */
  protected snapshot(): LedgerState {
    return {
      partners: [...this.consent].map(([tenantId, consent]) => {
        const name = this.names.get(tenantId);
        return { tenantId, consent, ...(name === undefined ? {} : { name }) };
      }),
      relationships: this.allRelationships(),
      version: this.version,
    };
  }

  /** Puts back what `snapshot` gave (an empty ledger only). */
  protected restore(state: LedgerState): void {
    for (const { tenantId, consent, name } of state.partners) {
      this.consent.set(tenantId.toLowerCase(), consent);
      if (name !== undefined) this.names.set(tenantId.toLowerCase(), name);
    }
    for (const { partnerTenantId, relationship } of state.relationships) this.ownedBy(partnerTenantId).push(structuredClone(relationship));
    this.version = state.version;
  }

  private locate(id: string): { partnerTenantId: string; relationship: SimulatedRelationship } | undefined {
    for (const [partnerTenantId, own] of this.relationships) {
      const relationship = own.find((r) => r.id === id);
      if (relationship) return { partnerTenantId, relationship };
    }
    return undefined;
  }

  /** Weak ETags shaped like Graph's: W/"<base64>". */
  private nextEtag(): string {
    return `W/"${Buffer.from(`'"${++this.version}-${randomUUID()}"'`).toString("base64")}"`;
  }
}
