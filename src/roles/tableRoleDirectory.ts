import type { RoleTemplateId } from "../domain/roles.js";
import type { RoleAssignmentRepository } from "../storage/repositories/roleAssignments.js";
import type { RoleDirectory } from "./roleDirectory.js";

/** Role assignments kept in Table Storage: local mode, and tenants that do not grant Graph consent. */
export class TableRoleDirectory implements RoleDirectory {
  constructor(private readonly assignments: RoleAssignmentRepository) {}

  async rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    return (await this.assignments.rolesOf(tenantId, userId)).map((a) => a.roleId as RoleTemplateId);
  }
}
