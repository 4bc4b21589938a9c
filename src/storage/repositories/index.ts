import { PartitionTransaction } from "../entityStore.js";
import type { TableClients } from "../tables.js";
import { AcceptanceRepository } from "./acceptances.js";
import { AgreementRepository } from "./agreements.js";
import { AuditRepository } from "./audit.js";
import { ContactRequestRepository } from "./contactRequests.js";
import { ConversationRepository } from "./conversations.js";
import { InvitationRepository } from "./invitations.js";
import { OutboxRepository } from "./outbox.js";
import { PartnerRepository } from "./partners.js";
import { RelationshipRepository } from "./relationships.js";
import { RoleAssignmentRepository } from "./roleAssignments.js";
import { TenantProfileRepository } from "./tenantProfiles.js";

export interface Repositories {
  partners: PartnerRepository;
  invitations: InvitationRepository;
  relationships: RelationshipRepository;
  agreements: AgreementRepository;
  acceptances: AcceptanceRepository;
  contactRequests: ContactRequestRepository;
  audit: AuditRepository;
  roleAssignments: RoleAssignmentRepository;
  outbox: OutboxRepository;
  conversations: ConversationRepository;
  tenantProfiles: TenantProfileRepository;
  /** Starts an all-or-nothing change inside one customer tenant's partition. */
  tenantTransaction(tenantId: string): PartitionTransaction;
}

export interface RepositoryOptions {
  /** How long the agreement versions are kept in memory (AGREEMENT_CACHE_SECONDS); 0 = read every time. */
  agreementCacheTtlMs?: number;
}

export function createRepositories(tables: TableClients, options: RepositoryOptions = {}): Repositories {
  const tenant = tables.client("tenant");
  return {
    partners: new PartnerRepository(tables.client("directory")),
    invitations: new InvitationRepository(tenant),
    relationships: new RelationshipRepository(tenant),
    agreements: new AgreementRepository(tables.client("agreements"), { ttlMs: options.agreementCacheTtlMs ?? 0 }),
    acceptances: new AcceptanceRepository(tenant),
    contactRequests: new ContactRequestRepository(tenant),
    audit: new AuditRepository(tenant),
    roleAssignments: new RoleAssignmentRepository(tables.client("roles")),
    outbox: new OutboxRepository(tenant),
    conversations: new ConversationRepository(tables.client("conversations")),
    tenantProfiles: new TenantProfileRepository(tenant),
    tenantTransaction: (tenantId) => new PartitionTransaction(tenant, tenantId),
  };
}
