import type { RoleTemplateId } from "../domain/roles.js";

/** Where a user's Entra directory roles come from: Microsoft Graph in production, a table locally. */
export interface RoleDirectory {
  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]>;
  /**
   * Display names of the people who hold any of these roles in the tenant, sorted, without repeats: a refusal
   * tells the user whom in their organization to ask.
   */
  holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]>;
}
