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

/**
 * A multi-select's answer: the cards send "a,b" (an Input.ChoiceSet), a test or another client may send a list;
 * absent or empty is no item. Each item is checked, duplicates dropped, at most 20.
 */
export const ListOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : (v ?? "").split(",")).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(20))
    .transform((items) => [...new Set(items)] as Array<z.infer<T>>);
