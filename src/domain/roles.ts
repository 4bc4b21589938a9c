import { z } from "zod";

/**
 * Entra ID built-in roles are identified by their role template id, which is the same in every tenant.
 * Ids checked against Microsoft's "Microsoft Entra built-in roles" reference.
 */
export const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  billingAdministrator: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  licenseAdministrator: "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
  serviceSupportAdministrator: "f023fd81-a637-4b56-95fd-791ac0226033",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
} as const;

export type RoleKey = keyof typeof ROLE;
export const ROLE_KEYS = Object.keys(ROLE) as RoleKey[];
export const RoleTemplateIdSchema = z.enum(Object.values(ROLE) as [string, ...string[]]);
export type RoleTemplateId = (typeof ROLE)[RoleKey];

const keyById = new Map<string, RoleKey>(ROLE_KEYS.map((key) => [ROLE[key], key]));
export const roleKeyOf = (templateId: string): RoleKey | undefined => keyById.get(templateId.toLowerCase());

/** Ordered from broadest to narrowest, so a review lists the riskiest grant first. */
export const ROLE_BREADTH: readonly RoleKey[] = [
  "globalAdministrator",
  "userAdministrator",
  "billingAdministrator",
  "licenseAdministrator",
  "helpdeskAdministrator",
  "serviceSupportAdministrator",
  "globalReader",
];
