/**
 * Validates a Teams app manifest against the JSON schema Microsoft publishes
 * for its manifestVersion. The schemas come from the copies shipped in
 * @microsoft/app-manifest (build/json-schemas/teams/v<version>/), so
 * validation works offline and is pinned by package-lock.json.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2019Module from "ajv/dist/2019.js";
import Ajv2020Module from "ajv/dist/2020.js";
import AjvModule from "ajv";
import type { AnySchemaObject, ErrorObject, ValidateFunction } from "ajv";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

// These are CommonJS packages: under Node's ESM loader the default import is
// module.exports, which each of them also exposes as `.default` (the only
// spelling TypeScript's NodeNext typings accept).
const Ajv = AjvModule.default;
const Ajv2019 = Ajv2019Module.default;
const Ajv2020 = Ajv2020Module.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

export type ManifestValidationResult = { ok: true } | { ok: false; errors: string[] };

const require = createRequire(import.meta.url);

/** Folder holding one v<version>/MicrosoftTeams.schema.json per manifest version. */
export const TEAMS_SCHEMA_ROOT = path.join(path.dirname(require.resolve("@microsoft/app-manifest")), "json-schemas", "teams");

/** Schema folder name for a manifestVersion: "1.30" -> "v1.30", "devPreview" -> "vDevPreview". */
function folderFor(manifestVersion: string): string {
  return manifestVersion === "devPreview" ? "vDevPreview" : `v${manifestVersion}`;
}

/** Manifest versions whose schema ships with @microsoft/app-manifest, oldest first, then "devPreview". */
export function availableManifestVersions(): string[] {
  const numeric = (version: string) => version.split(".").map(Number);
  return readdirSync(TEAMS_SCHEMA_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(TEAMS_SCHEMA_ROOT, entry.name, "MicrosoftTeams.schema.json")))
    .map((entry) => (entry.name === "vDevPreview" ? "devPreview" : entry.name.replace(/^v/, "")))
    .sort((a, b) => {
      if (a === "devPreview" || b === "devPreview") return a === "devPreview" ? 1 : -1;
      const [aMajor = 0, aMinor = 0] = numeric(a);
      const [bMajor = 0, bMinor = 0] = numeric(b);
      return aMajor - bMajor || aMinor - bMinor;
    });
}

/** Path of the schema file for a manifestVersion such as "1.30" or "devPreview". */
export function schemaPathFor(manifestVersion: string): string {
  if (!/^(\d+\.\d+|devPreview)$/.test(manifestVersion)) {
    throw new Error(`"${manifestVersion}" is not a Teams manifestVersion (expected e.g. "1.30" or "devPreview")`);
  }
  return path.join(TEAMS_SCHEMA_ROOT, folderFor(manifestVersion), "MicrosoftTeams.schema.json");
}

const validators = new Map<string, ValidateFunction>();

function ajvFor(metaSchema: unknown, unicodeRegExp: boolean) {
  const options = { allErrors: true, strictTypes: false, unicodeRegExp } as const;
  const meta = typeof metaSchema === "string" ? metaSchema : "";
  if (meta.includes("draft-04")) return new AjvDraft04(options);
  if (meta.includes("draft-07") || meta === "") return new Ajv(options);
  if (meta.includes("2019-09")) return new Ajv2019(options);
  if (meta.includes("2020-12")) return new Ajv2020(options);
  throw new Error(`unsupported JSON Schema dialect ${meta}`);
}

/**
 * `unicodeRegExp: false` compiles the schema's patterns as plain ECMAScript regular expressions, without the
 * `u` flag. The localization schemas need it: their activityTypes patterns hold an unescaped "]", which only
 * non-unicode expressions accept. The manifest schema needs the `u` flag (its patterns use \p{...}).
 */
function validatorFor(schemaFile: string, unicodeRegExp = true): ValidateFunction {
  let validate = validators.get(schemaFile);
  if (!validate) {
    const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as AnySchemaObject;
    const ajv = ajvFor(schema.$schema, unicodeRegExp);
    addFormats(ajv);
    validate = ajv.compile(schema);
    validators.set(schemaFile, validate);
  }
  return validate;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === "" ? "(root)" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${where} must NOT have the property "${String(params.additionalProperty)}"`;
    case "enum":
      return `${where} ${error.message ?? "is not allowed"}: ${JSON.stringify(params.allowedValues)}`;
    case "const":
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where} ${error.message ?? `fails "${error.keyword}"`}`;
  }
}

/** `${{NAME}}` placeholders left in any string of the manifest, with their JSON pointer. */
export function findUnresolvedPlaceholders(value: unknown, pointer = ""): { pointer: string; name: string }[] {
  if (typeof value === "string") {
    return [...value.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((match) => ({
      pointer: pointer === "" ? "(root)" : pointer,
      name: match[1]!,
    }));
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findUnresolvedPlaceholders(item, `${pointer}/${index}`));
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      findUnresolvedPlaceholders(item, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`),
    );
  }
  return [];
}

/**
 * Checks a manifest (with placeholders already substituted) against the
 * schema for its manifestVersion.
 */
export function validateManifest(manifest: unknown): ManifestValidationResult {
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    return { ok: false, errors: ["the manifest must be a JSON object"] };
  }
  const manifestVersion = (manifest as { manifestVersion?: unknown }).manifestVersion;
  if (typeof manifestVersion !== "string") {
    return { ok: false, errors: ['(root) must have a string "manifestVersion", e.g. "1.30"'] };
  }

  let schemaFile: string;
  try {
    schemaFile = schemaPathFor(manifestVersion);
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  if (!existsSync(schemaFile)) {
    return {
      ok: false,
      errors: [
        `no schema for manifestVersion "${manifestVersion}" ships with @microsoft/app-manifest ` +
          `(available: ${availableManifestVersions().join(", ")})`,
      ],
    };
  }

  const errors: string[] = [];
  const declaredSchema = (manifest as { $schema?: unknown }).$schema;
  const declaredFolder =
    typeof declaredSchema === "string" ? /\/teams\/(v[^/]+)\/MicrosoftTeams\.schema\.json$/.exec(declaredSchema)?.[1] : undefined;
  if (declaredFolder !== undefined && declaredFolder !== folderFor(manifestVersion)) {
    errors.push(`/$schema points at the ${declaredFolder} schema but manifestVersion is "${manifestVersion}"`);
  }
  errors.push(
    ...findUnresolvedPlaceholders(manifest).map(
      ({ pointer, name }) => `${pointer} still contains the placeholder \${{${name}}}: substitute it before validating`,
    ),
  );
  const validate = validatorFor(schemaFile);
  if (!validate(manifest)) {
    errors.push(...(validate.errors ?? []).map(describeError));
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors: [...new Set(errors)] };
}

/** Path of the localization file schema for a manifestVersion ("1.30" -> v1.30/MicrosoftTeams.Localization.schema.json). */
export function localizationSchemaPathFor(manifestVersion: string): string {
  return path.join(path.dirname(schemaPathFor(manifestVersion)), "MicrosoftTeams.Localization.schema.json");
}

/** "bots[0].commandLists[1].commands[4].title" -> the value at that path of the manifest, or undefined. */
function valueAtKey(manifest: unknown, key: string): unknown {
  let value: unknown = manifest;
  for (const [, name, index] of key.matchAll(/\.?([A-Za-z]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== "object") return undefined;
    value = index !== undefined ? (value as unknown[])[Number(index)] : (value as Record<string, unknown>)[name!];
  }
  return value;
}

/**
 * Checks one language's localization file against Microsoft's localization schema for the manifest's
 * manifestVersion (shipped in @microsoft/app-manifest next to the manifest schema), and that every string it
 * localizes replaces a string the manifest has: a key naming a command the manifest lacks would be ignored by
 * Teams, silently leaving the English text.
 */
export function validateLocalization(localization: unknown, manifest: unknown): ManifestValidationResult {
  if (localization === null || typeof localization !== "object" || Array.isArray(localization)) {
    return { ok: false, errors: ["the localization file must be a JSON object"] };
  }
  const manifestVersion = (manifest as { manifestVersion?: unknown } | null)?.manifestVersion;
  if (typeof manifestVersion !== "string") return { ok: false, errors: ['the manifest must have a string "manifestVersion"'] };
  let schemaFile: string;
  try {
    schemaFile = localizationSchemaPathFor(manifestVersion);
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  if (!existsSync(schemaFile)) {
    return { ok: false, errors: [`no localization schema for manifestVersion "${manifestVersion}" ships with @microsoft/app-manifest`] };
  }
  const errors: string[] = [];
  const declaredSchema = (localization as { $schema?: unknown }).$schema;
  const declaredFolder =
    typeof declaredSchema === "string"
      ? /\/teams\/(v[^/]+)\/MicrosoftTeams\.Localization\.schema\.json$/.exec(declaredSchema)?.[1]
      : undefined;
  if (declaredFolder !== folderFor(manifestVersion)) {
    errors.push(`/$schema must point at the ${folderFor(manifestVersion)} localization schema (manifestVersion "${manifestVersion}")`);
  }
  for (const key of Object.keys(localization)) {
    if (key === "$schema" || key === "localizationKeys") continue;
    if (typeof valueAtKey(manifest, key) !== "string") errors.push(`"${key}" localizes nothing: the manifest has no such string`);
  }
  const validate = validatorFor(schemaFile, false);
  if (!validate(localization)) errors.push(...(validate.errors ?? []).map(describeError));
  return errors.length === 0 ? { ok: true } : { ok: false, errors: [...new Set(errors)] };
}
