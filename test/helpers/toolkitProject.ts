/**
 * Consistency checks for the Microsoft 365 Agents Toolkit project (m365agents*.yml, env/, infra/), for
 * test/unit/toolkit-project.test.ts. Neither the Toolkit nor the Bicep compiler runs on these machines, so these
 * read the files the way the Toolkit does as far as names go: `${{NAME}}` placeholders are filled from
 * env/.env.<environment> and from what earlier steps wrote (writeToEnvironmentFile, and an arm/deploy template's
 * outputs, whose names are the variables they become). Pure functions over text, so the test can also feed them
 * broken samples and see them complain.
 */

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every `${{NAME}}` in a text (or in any string inside a parsed YAML/JSON value), in order of appearance. */
export function placeholdersIn(value: unknown): string[] {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** KEY=VALUE lines of a dotenv file; comments and blank lines skipped. */
export function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (match) entries.set(match[1]!, match[2]!.trim());
  }
  return entries;
}

export interface BicepParam {
  name: string;
  hasDefault: boolean;
  /** A plain string or number default (`param x string = 'pd'`), when it is one. */
  literalDefault?: string;
}

/** `param name type [= default]` lines (decorators sit on lines of their own, as the Toolkit's templates write them). */
export function bicepParams(bicep: string): BicepParam[] {
  return [...bicep.matchAll(/^param\s+(\w+)\s+\w+(?:\s*=\s*(.+))?$/gm)].map((m) => {
    const raw = m[2]?.trim();
    const literal = raw === undefined ? undefined : (/^'([^'$]*)'$/.exec(raw)?.[1] ?? (/^\d+$/.test(raw) ? raw : undefined));
    return { name: m[1]!, hasDefault: raw !== undefined, ...(literal === undefined ? {} : { literalDefault: literal }) };
  });
}

/** `output NAME type = ...`: the variables an arm/deploy step writes to the environment file. */
export function bicepOutputs(bicep: string): string[] {
  return [...bicep.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1]!);
}

/**
 * Parameters a Bicep file declares against the values given for them: every parameter without a default must be
 * given, and every value given must be a declared parameter (a misspelt name would be refused by ARM).
 */
export function parameterProblems(declared: readonly BicepParam[], given: readonly string[], where: string): string[] {
  const names = new Set(declared.map((p) => p.name));
  const givenSet = new Set(given);
  return [
    ...declared
      .filter((p) => !p.hasDefault && !givenSet.has(p.name))
      .map((p) => `${where}: parameter ${p.name} has no default and no value`),
    ...given.filter((name) => !names.has(name)).map((name) => `${where}: ${name} is given but not declared`),
  ];
}

/** The parameter names given in an ARM deployment parameters file (azure.parameters.json). */
export function armParameterNames(parametersJson: unknown): string[] {
  const parameters = (parametersJson as { parameters?: Record<string, unknown> }).parameters ?? {};
  return Object.keys(parameters);
}

/** The `params: { ... }` a Bicep `module` passes, by module path. */
export function bicepModuleCalls(bicep: string): Array<{ path: string; params: string[] }> {
  return [...bicep.matchAll(/^module\s+\w+\s+'([^']+)'\s*=\s*\{[\s\S]*?\n\s*params:\s*\{([\s\S]*?)\n\s*\}/gm)].map((m) => ({
    path: m[1]!,
    params: [...m[2]!.matchAll(/^\s*(\w+)\s*:/gm)].map((p) => p[1]!),
  }));
}

export interface AppSetting {
  name: string;
  /** The literal value, when the Bicep gives a plain string. */
  literal?: string;
  /** The Bicep expression otherwise (a parameter name, a property, an interpolated string). */
  expression?: string;
}

/** The web app's `appSettings: [ { name: '...' value: ... } ]`, in order. */
export function bicepAppSettings(bicep: string): AppSetting[] {
  const block = /appSettings:\s*\[([\s\S]*?)\n\s*\]/.exec(bicep)?.[1] ?? "";
  return [...block.matchAll(/name:\s*'([^']+)'\s*\n\s*value:\s*(.+)$/gm)].map((m) => {
    const raw = m[2]!.trim();
    const literal = /^'([^'$]*)'(?:\s*\/\/.*)?$/.exec(raw)?.[1];
    return literal !== undefined ? { name: m[1]!, literal } : { name: m[1]!, expression: raw.replace(/\s+\/\/\s.*$/, "") };
  });
}

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export interface LifecycleFiles {
  /** The text of a file of the project, by its path relative to the yml file. */
  read(path: string): string;
}

const LIFECYCLE_STAGES = ["provision", "deploy", "publish"] as const;

/**
 * Walks a Toolkit yml's stages in the order they run (provision, deploy, publish) and its steps in order, and
 * names every `${{NAME}}` a step uses that neither `known` (the environment file, the Toolkit's built-ins) nor an
 * earlier step provides. An arm/deploy step also fills its parameters file, so that file's placeholders are checked
 * at that step, and its templates' outputs become known after it; manifest steps fill the manifest's placeholders.
 */
export function lifecycleProblems(yml: unknown, known: ReadonlySet<string>, files: LifecycleFiles, where: string): string[] {
  const problems: string[] = [];
  const available = new Set(known);
  const need = (names: string[], context: string) => {
    for (const name of names)
      if (!available.has(name)) problems.push(`${where}: ${context} uses \${{${name}}}, which nothing defines before it`);
  };
  const stages = yml as Record<string, Step[] | undefined>;
  for (const stage of LIFECYCLE_STAGES) {
    for (const [index, step] of (stages[stage] ?? []).entries()) {
      const context = `${stage}[${index}] ${step.uses ?? "?"}`;
      need(placeholdersIn(step.with ?? {}), context);
      if (step.uses === "arm/deploy") {
        for (const template of (step.with?.["templates"] as Array<{ path: string; parameters?: string }> | undefined) ?? []) {
          if (template.parameters) need(placeholdersIn(files.read(template.parameters)), `${context} (${template.parameters})`);
          for (const output of bicepOutputs(files.read(template.path))) available.add(output);
        }
      }
      const manifestPath = step.with?.["manifestPath"];
      if (typeof manifestPath === "string") need(placeholdersIn(files.read(manifestPath)), `${context} (${manifestPath})`);
      for (const variable of Object.values(step.writeToEnvironmentFile ?? {})) available.add(variable);
    }
  }
  return problems;
}

/** What the steps of a yml write to the environment file (writeToEnvironmentFile and arm/deploy outputs). */
export function writtenBySteps(yml: unknown, files: LifecycleFiles): Set<string> {
  const written = new Set<string>();
  for (const stage of LIFECYCLE_STAGES) {
    for (const step of (yml as Record<string, Step[] | undefined>)[stage] ?? []) {
      for (const variable of Object.values(step.writeToEnvironmentFile ?? {})) written.add(variable);
      if (step.uses === "arm/deploy") {
        for (const template of (step.with?.["templates"] as Array<{ path: string }> | undefined) ?? []) {
          for (const output of bicepOutputs(files.read(template.path))) written.add(output);
        }
      }
    }
  }
  return written;
}

/**
 * A small .gitignore matcher, enough for the patterns these files use: `*` within one path segment, a pattern
 * with a slash is anchored at the root (a leading slash only anchors), one without matches at any depth, and a
 * trailing slash matches a folder and everything below it. No negation.
 */
export function ignoredBy(ignoreFile: string, path: string): boolean {
  return ignoreFile
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .some((pattern) => {
      const folder = pattern.endsWith("/");
      const body = pattern.replace(/\/$/, "");
      const anchored = body.includes("/");
      const glob = body
        .replace(/^\//, "")
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*");
      const regex = new RegExp(`${anchored ? "^" : "(^|/)"}${glob}${folder ? "/" : "(/|$)"}`);
      return regex.test(path);
    });
}
