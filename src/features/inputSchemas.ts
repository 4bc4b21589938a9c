import { z } from "zod";

/** Ids that come back in card data: checked before they become table keys (no / \ # ? or control characters). */
export const IdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "not an id");

/** Input.Toggle answers "true"/"false" as strings; Teams and the Emulator may also send booleans. */
export const ToggleSchema = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((v) => v === true || v === "true");

/** Optional free text from an input: trimmed, empty means absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(z.string().max(max))
    .transform((v) => (v === "" ? undefined : v));

/** A tenant id from card data (a partner naming the customer it acts for): a GUID, compared in lower case. */
export const TenantIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "not a tenant id");
