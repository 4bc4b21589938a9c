/**
 * Builds the Teams app package (`npm run package`):
 *
 *   1. reads appPackage/manifest.json,
 *   2. replaces each `${{NAME}}` placeholder with process.env.NAME
 *      (BOT_ID falls back to MicrosoftAppId, the bot's own setting),
 *   3. validates the result against Microsoft's schema for its manifestVersion,
 *      and each language file of its localizationInfo (sv-se.json) against
 *      Microsoft's localization schema,
 *   4. writes build/appPackage.zip with manifest.json, the two icons and the
 *      language files at the zip root, ready to upload in Teams (Apps > Manage your apps >
 *      Upload an app) or the Teams admin center.
 *
 * The pure pieces are exported so tests can run them without touching the
 * real environment or the file system.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AdmZip from "adm-zip";
import { validateLocalization, validateManifest } from "./manifest-validation.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const APP_PACKAGE_DIR = path.join(PROJECT_ROOT, "appPackage");
export const DEFAULT_OUT_FILE = path.join(PROJECT_ROOT, "build", "appPackage.zip");

export type Env = Readonly<Record<string, string | undefined>>;

/** How to fix a missing or malformed setting, by placeholder name. */
export const SETTING_HINTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID:
    "set it to the GUID that identifies this Teams app (create one once with " +
    '`node -e "console.log(crypto.randomUUID())"` and keep it for every release)',
  BOT_ID: "set it to the Microsoft App ID of your Azure Bot (the same value as MicrosoftAppId)",
};

/** Settings that the schema requires to be GUIDs; checked early for a clearer message. */
const GUID_SETTINGS = new Set(["TEAMS_APP_ID", "BOT_ID"]);
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A problem the person running the script can fix; printed without a stack trace. */
export class PackagingError extends Error {
  override name = "PackagingError";
}

function hintFor(name: string): string {
  return SETTING_HINTS[name] ?? "set it in the environment before packaging";
}

/**
 * The values placeholders are filled from: the environment, trimmed, with
 * empty values treated as unset, and BOT_ID defaulting to MicrosoftAppId.
 */
export function settingsFromEnv(env: Env): Record<string, string | undefined> {
  const settings: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const trimmed = value?.trim();
    settings[name] = trimmed === "" ? undefined : trimmed;
  }
  settings.BOT_ID ??= settings.MicrosoftAppId;
  return settings;
}

/**
 * Returns a deep copy of `template` with every `${{NAME}}` in its string
 * values replaced from `env`. Throws a PackagingError naming every setting
 * that is missing (or, for the ids, is not a GUID) and how to set it.
 */
export function substitutePlaceholders<T>(template: T, env: Env): T {
  const settings = settingsFromEnv(env);
  const problems = new Map<string, string>();

  const visit = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(PLACEHOLDER, (placeholder, name: string) => {
        const setting = settings[name];
        if (setting === undefined) {
          problems.set(name, `${name} is not set: ${hintFor(name)}`);
          return placeholder;
        }
        if (GUID_SETTINGS.has(name) && !GUID.test(setting)) {
          problems.set(name, `${name} is "${setting}", which is not a GUID: ${hintFor(name)}`);
        }
        return setting;
      });
    }
    if (Array.isArray(value)) return value.map(visit);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item)]));
    }
    return value;
  };

  const result = visit(template) as T;
  if (problems.size > 0) {
    const names = [...problems.keys()];
    throw new PackagingError(
      [
        "Cannot build the Teams app package:",
        ...[...problems.values()].map((problem) => `  - ${problem}`),
        `For example: ${names.map((name) => `${name}=<guid>`).join(" ")} npm run package`,
      ].join("\n"),
    );
  }
  return result;
}

/** A zip with the given files at its root (the layout Teams expects). */
export function buildPackageZip(files: Readonly<Record<string, Buffer>>): Buffer {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(files)) {
    zip.addFile(name, content);
  }
  return zip.toBuffer();
}

/** File names of the icons the manifest refers to, which must sit at the package root. */
export function iconFilesOf(manifest: unknown): string[] {
  const icons = (manifest as { icons?: Record<string, unknown> } | null)?.icons ?? {};
  return Object.entries(icons).map(([kind, file]) => {
    if (typeof file !== "string" || file === "" || file !== path.posix.basename(file) || file.includes("\\")) {
      throw new PackagingError(
        `icons.${kind} must be a file name at the root of appPackage/ (for example "${kind}.png"), got ${JSON.stringify(file)}`,
      );
    }
    return file;
  });
}

/** File names of the language files the manifest's localizationInfo names (e.g. "sv-se.json"), at the package root. */
export function localizationFilesOf(manifest: unknown): string[] {
  const info = (manifest as { localizationInfo?: { defaultLanguageFile?: unknown; additionalLanguages?: unknown } } | null)
    ?.localizationInfo;
  if (!info) return [];
  const additional = Array.isArray(info.additionalLanguages) ? info.additionalLanguages : [];
  const files = [info.defaultLanguageFile, ...additional.map((language: { file?: unknown } | null) => language?.file)];
  return files
    .filter((file) => file !== undefined)
    .map((file) => {
      if (typeof file !== "string" || file === "" || file !== path.posix.basename(file) || file.includes("\\")) {
        throw new PackagingError(
          `localizationInfo files must be file names at the root of appPackage/ (for example "sv-se.json"), got ${JSON.stringify(file)}`,
        );
      }
      return file;
    });
}

export interface AppPackageSources {
  /** The parsed appPackage/manifest.json, placeholders and all. */
  manifestTemplate: unknown;
  /** Every file in appPackage/ the manifest may refer to, by file name. */
  files: Readonly<Record<string, Buffer>>;
}

/**
 * Substitutes the placeholders, validates the manifest and zips it with its
 * icons. Pure apart from reading the schema shipped in node_modules.
 */
export function buildAppPackage(sources: AppPackageSources, env: Env): { manifest: unknown; zip: Buffer } {
  const manifest = substitutePlaceholders(sources.manifestTemplate, env);

  const validation = validateManifest(manifest);
  if (!validation.ok) {
    throw new PackagingError(
      ["appPackage/manifest.json does not match the Teams manifest schema:", ...validation.errors.map((e) => `  - ${e}`)].join("\n"),
    );
  }

  const files: Record<string, Buffer> = {
    "manifest.json": Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8"),
  };
  for (const icon of iconFilesOf(manifest)) {
    const content = sources.files[icon];
    if (content === undefined) {
      throw new PackagingError(
        `the manifest refers to ${icon}, but appPackage/${icon} does not exist (run \`npx tsx scripts/make-icons.ts\`)`,
      );
    }
    files[icon] = content;
  }
  for (const file of localizationFilesOf(manifest)) {
    const content = sources.files[file];
    if (content === undefined)
      throw new PackagingError(`the manifest's localizationInfo names ${file}, but appPackage/${file} does not exist`);
    let localization: unknown;
    try {
      localization = JSON.parse(content.toString("utf8"));
    } catch (error) {
      throw new PackagingError(`appPackage/${file} is not JSON: ${(error as Error).message}`);
    }
    const checked = validateLocalization(localization, manifest);
    if (!checked.ok) {
      throw new PackagingError(
        [`appPackage/${file} does not match the Teams localization schema:`, ...checked.errors.map((e) => `  - ${e}`)].join("\n"),
      );
    }
    files[file] = content;
  }
  return { manifest, zip: buildPackageZip(files) };
}

/** Reads manifest.json and the icons and language files it names from an appPackage folder. */
export function readAppPackageSources(appPackageDir: string = APP_PACKAGE_DIR): AppPackageSources {
  const manifestFile = path.join(appPackageDir, "manifest.json");
  let manifestTemplate: unknown;
  try {
    manifestTemplate = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch (error) {
    throw new PackagingError(`cannot read ${manifestFile}: ${(error as Error).message}`);
  }
  const files: Record<string, Buffer> = {};
  for (const file of [...iconFilesOf(manifestTemplate), ...localizationFilesOf(manifestTemplate)]) {
    try {
      files[file] = readFileSync(path.join(appPackageDir, file));
    } catch {
      // Reported by buildAppPackage, with a hint on how to create an icon.
    }
  }
  return { manifestTemplate, files };
}

/** Builds the package from disk and writes it; returns the path written. */
export function packageApp(options: { appPackageDir?: string; outFile?: string; env?: Env } = {}): string {
  const outFile = options.outFile ?? DEFAULT_OUT_FILE;
  const { zip } = buildAppPackage(readAppPackageSources(options.appPackageDir), options.env ?? process.env);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, zip);
  return outFile;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  try {
    const written = packageApp();
    const shown = path.relative(process.cwd(), written);
    console.log(`Wrote ${shown.startsWith("..") ? written : shown}`);
  } catch (error) {
    if (!(error instanceof PackagingError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
