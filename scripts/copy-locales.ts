/**
 * `npm run build` compiles with tsc, which copies only the JSON files the code imports: English is imported, the
 * other languages are found as files at start (src/cards/strings.ts). This copies every language file next to
 * the compiled strings module, so `node dist/src/index.js` speaks every language `npm start` does.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LANGUAGE_FILE_PATTERN, STRINGS_DIRECTORY } from "../src/cards/strings.js";

export function copyLocales(from: URL, to: URL): string[] {
  mkdirSync(to, { recursive: true });
  const copied = readdirSync(from).filter((name) => LANGUAGE_FILE_PATTERN.test(name));
  for (const name of copied) copyFileSync(new URL(name, from), new URL(name, to));
  return copied;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = new URL("../dist/src/cards/strings/", import.meta.url);
  console.log(`copied ${copyLocales(STRINGS_DIRECTORY, target).join(", ")} to ${fileURLToPath(target)}`);
}
