import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";

const require = createRequire(import.meta.url);

/** Where the Playground's bundle lives (the devDependency's own files; nothing copied into this repository). */
export const PLAYGROUND_BUNDLE = require.resolve("@microsoft/m365agentsplayground/dist/index.js");
export const PLAYGROUND_CLI = require.resolve("@microsoft/m365agentsplayground/cli.js");

/**
 * The JSON schema the Playground validates `.m365agentsplayground.yml` against, read from the installed package:
 * webpack inlines it as `JSON.parse('...')`, so the string literal is found by the schema's `$id` and evaluated
 * alone (a string literal, in an empty context) to undo its escapes. A Playground update brings its schema along.
 */
export function playgroundConfigSchema(): Record<string, unknown> {
  const bundle = readFileSync(PLAYGROUND_BUNDLE, "utf8");
  const at = bundle.indexOf(`{"$id":"https://aka.ms/teams-app-test-tool-config/`);
  if (at < 0) throw new Error("the Playground's config schema was not found in its bundle");
  const open = bundle.lastIndexOf("JSON.parse('", at);
  const close = bundle.indexOf("')", at);
  const literal = bundle.slice(open + "JSON.parse(".length, close + 1);
  if (!/^'[^\n]*'$/.test(literal)) throw new Error("the Playground's config schema is not a plain string literal");
  return JSON.parse(runInNewContext(literal, Object.create(null)) as string) as Record<string, unknown>;
}

/** The committed config, parsed with the YAML parser the test tools already bring (mocha's js-yaml). */
export function playgroundConfig(path = ".m365agentsplayground.yml"): any {
  const yaml = require("js-yaml") as { load(text: string): unknown };
  return yaml.load(readFileSync(path, "utf8"));
}
