import type { RoleTemplateId } from "../domain/roles.js";
import type { RoleAssignment } from "../domain/roleAssignment.js";
import type { RoleDirectory } from "./roleDirectory.js";

/** Where role assignments are kept (storage's role table fits). */
export interface RoleAssignments {
  rolesOf(tenantId: string, userId: string): Promise<RoleAssignment[]>;
  listForTenant(tenantId: string): Promise<RoleAssignment[]>;
}

/** Role assignments kept in Table Storage: local mode, and tenants that do not grant Graph consent. */
export class TableRoleDirectory implements RoleDirectory {
  constructor(private readonly assignments: RoleAssignments) {}

  async rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    return (await this.assignments.rolesOf(tenantId, userId)).map((a) => a.roleId as RoleTemplateId);
  }

  async holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]> {
    const wanted = new Set<string>(roleIds);
    const names = (await this.assignments.listForTenant(tenantId)).filter((a) => wanted.has(a.roleId)).map((a) => a.userName);
    return uniqueSorted(names);
  }
}

/** Names as a person reads them in a list: no blanks, no repeats, alphabetical. */
export function uniqueSorted(names: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(names.map((n) => n?.trim()).filter((n): n is string => !!n))].sort((a, b) => a.localeCompare(b));
}
