import type { TableClient } from "@azure/data-tables";
import { RoleAssignmentSchema, type RoleAssignment } from "../../domain/roleAssignment.js";
import { EntityStore } from "../entityStore.js";

/** PK = tenant id, RK = role|<user id>|<role template id>: a user's roles are one range query. */
export class RoleAssignmentRepository {
  private readonly store: EntityStore<RoleAssignment>;
  constructor(client: TableClient) {
    this.store = new EntityStore(client, {
      kind: "role",
      schema: RoleAssignmentSchema,
      keys: (r) => ({ partitionKey: r.tenantId, rowKey: `role|${r.userId}|${r.roleId}` }),
    });
  }
  async rolesOf(tenantId: string, userId: string): Promise<RoleAssignment[]> {
    // The range ends in "|", so user "ab" never matches user "abc".
    return (await this.store.listInPartition(tenantId, { within: [userId] })).map((v) => v.value);
  }
  /** Every assignment in the tenant: used to name who can act when someone without the role asks. */
  async listForTenant(tenantId: string): Promise<RoleAssignment[]> {
    return (await this.store.listInPartition(tenantId)).map((v) => v.value);
  }
  upsert(assignment: RoleAssignment): Promise<void> {
    return this.store.upsert(assignment);
  }
}
