import type { RoleTemplateId } from "./roles.js";

/** Who is acting, as the channel vouched for it (never taken from card data). */
export interface Actor {
  tenantId: string;
  userId: string;
  name: string;
  locale: string;
  roles: readonly RoleTemplateId[];
}
