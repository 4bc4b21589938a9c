import { z } from "zod";
import { RoleTemplateIdSchema } from "./roles.js";

/** A directory role held by a user of a tenant: the local / no-Graph-consent source of admin roles. */
export const RoleAssignmentSchema = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  roleId: RoleTemplateIdSchema,
  /** Display name, so a refusal can say who in the organization can act. */
  userName: z.string().max(200).optional(),
  assignedAt: z.iso.datetime(),
});
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;
