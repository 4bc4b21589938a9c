import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import type { LedgerState } from "./ledger.js";

/**
 * The simulated Partner Center's relationships, kept in a JSON file next to the demo's Azurite data: Partner Desk's
 * invitations point at them by id, so a restart must find them again (the demo "can be tried again after a
 * restart"). Written whole after every change, through a temporary file, so a crash never leaves half a file.
 */

const RelationshipSchema = z.object({
  id: z.string().min(1),
  etag: z.string().min(1),
  displayName: z.string(),
  duration: z.string(),
  customer: z.object({ tenantId: z.string(), displayName: z.string().optional() }),
  roleDefinitionIds: z.array(z.string()),
  status: z.string(),
  autoExtendDuration: z.string(),
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  activatedDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
});

const StateSchema = z.object({
  partners: z.array(
    z.object({
      tenantId: z.string().min(1),
      consent: z.enum(["granted", "noConsent", "noPermission", "noServicePrincipal"]),
      name: z.string().optional(),
    }),
  ),
  relationships: z.array(z.object({ partnerTenantId: z.string().min(1), relationship: RelationshipSchema })),
  version: z.number().int().nonnegative(),
});

/** What the file holds, or undefined when there is none yet. A file that does not parse is an error, never ignored. */
export function readState(path: string): LedgerState | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = StateSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(`${path} is not the simulated Partner Center's state (${parsed.error.issues[0]?.message}); delete it to start over`);
  return parsed.data;
}

export function writeState(path: string, state: LedgerState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 1));
  renameSync(temporary, path);
}
