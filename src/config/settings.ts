import { z } from "zod";

/**
 * Builders for single settings. Each one treats an empty or blank value as unset (a `.env` line like
 * `PORT=` means "use the default") and, when it refuses a value, names the setting and shows a valid one.
 */

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

export function isLoopbackUrl(raw: string): boolean {
  try {
    return isLoopbackHost(new URL(raw).hostname.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
}

export function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** Wraps a setting's schema so that an empty or blank value counts as unset. */
export const setting = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema);

export const optionalString = setting(z.string().trim().optional());

/** Digits only: "0x10" or "1e3" are typos, not ports. */
export const portSetting = (name: string, fallback: number) =>
  setting(
    z
      .string()
      .regex(/^\d{1,5}$/, `${name} must be a whole number between 0 and 65535, e.g. ${name}=${fallback}`)
      .transform(Number)
      .refine((port) => port <= 65535, `${name} must be a whole number between 0 and 65535, e.g. ${name}=${fallback}`)
      .optional()
      .transform((port) => port ?? fallback),
  );

/** A whole number in [min, max]; `message` replaces the standard wording where a setting needs more explanation. */
export const wholeNumber = (name: string, fallback: number, min: number, max: number, message?: string) => {
  const refusal = message ?? `${name} must be a whole number between ${min} and ${max}, e.g. ${name}=${fallback}`;
  return setting(
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, refusal)
      .transform(Number)
      .refine((n) => n >= min && n <= max, refusal)
      .optional()
      .transform((n) => n ?? fallback),
  );
};

/** "7/1000,8/2000": at most 7 sends per 1000 ms and 8 per 2000 ms. */
export const rateWindows = (name: string, fallback: string) =>
  setting(
    z
      .string()
      .default(fallback)
      .refine(
        (v) => /^\s*\d+\s*\/\s*\d+\s*(,\s*\d+\s*\/\s*\d+\s*)*$/.test(v),
        `${name} must list limits as count/milliseconds separated by commas, e.g. ${name}=${fallback}`,
      )
      .transform((v) =>
        v.split(",").map((part) => {
          const [limit, perMs] = part.split("/").map((x) => Number(x.trim()));
          return { limit: limit ?? 0, perMs: perMs ?? 0 };
        }),
      )
      .refine((windows) => windows.every((w) => w.limit >= 1 && w.perMs >= 1), `${name} needs counts and windows of at least 1`),
  );
