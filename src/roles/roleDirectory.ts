import type { RoleTemplateId } from "../domain/roles.js";

/** Where a user's Entra directory roles come from: Microsoft Graph in production, a table locally. */
export interface RoleDirectory {
  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]>;
}
