import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { isStructurallySame, parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { expect } from "chai";
import { formatMessage, type MessageValues } from "../../src/cards/messages.js";
import { DEFAULT_LOCALE, LOCALES, readLocaleFiles, registerLocale } from "../../src/cards/strings.js";

const en = LOCALES[DEFAULT_LOCALE]!;

/** Every leaf of a strings tree with its dotted path ("errors.conflict"). */
function leaves(node: unknown, prefix = ""): [string, unknown][] {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

const at = (tree: unknown, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), tree);

/** A sample for every argument a message takes, read from its syntax tree; selects and plurals list the cases to try. */
interface Samples {
  base: Record<string, string | number | Date>;
  cases: Record<string, (string | number)[]>;
}

function samplesOf(elements: readonly MessageFormatElement[], into: Samples = { base: {}, cases: {} }): Samples {
  for (const el of elements) {
    if (el.type === TYPE.argument) into.base[el.value] ??= `‹${el.value}›`;
    else if (el.type === TYPE.number) into.base[el.value] = 1234.5;
    else if (el.type === TYPE.date || el.type === TYPE.time) into.base[el.value] = new Date("2027-05-28T14:05:00Z");
    else if (el.type === TYPE.plural) {
      into.base[el.value] = 1;
      into.cases[el.value] = [0, 1, 2, 5, 21, 1000];
      for (const option of Object.values(el.options)) samplesOf(option.value, into);
    } else if (el.type === TYPE.select) {
      into.base[el.value] = "other";
      into.cases[el.value] = Object.keys(el.options);
      for (const option of Object.values(el.options)) samplesOf(option.value, into);
    } else if (el.type === TYPE.tag) samplesOf(el.children, into);
  }
  return into;
}

/**
 * What is wrong with one language's file against English: keys it lacks or adds, non-strings, messages that do
 * not parse, take other arguments than English's, or do not format. Empty when the file is right.
 */
function catalogueProblems(language: string, file: unknown): string[] {
  const problems: string[] = [];
  const reference = new Map(leaves(en));
  const own = new Map(leaves(file));
  for (const path of reference.keys()) if (!own.has(path)) problems.push(`${language}: missing ${path}`);
  for (const path of own.keys()) if (!reference.has(path)) problems.push(`${language}: extra ${path}`);
  const restore = registerLocale(`${language}`, file);
  try {
    const registered = LOCALES[language]!;
    for (const [path, message] of own) {
      if (!reference.has(path)) continue;
      if (typeof message !== "string" || message.trim() === "") {
        problems.push(`${language}: ${path} is not a sentence`);
        continue;
      }
      let ast: MessageFormatElement[];
      try {
        ast = parse(message, { ignoreTag: true });
      } catch (error) {
        problems.push(`${language}: ${path} does not parse: ${(error as Error).message}`);
        continue;
      }
      const same = isStructurallySame(parse(String(reference.get(path)), { ignoreTag: true }), ast);
      if (!same.success) problems.push(`${language}: ${path} takes other arguments than English's: ${same.error?.message}`);
      const { base, cases } = samplesOf(ast);
      const tries: MessageValues[] = [
        base,
        ...Object.entries(cases).flatMap(([name, values]) => values.map((v) => ({ ...base, [name]: v }))),
      ];
      for (const values of tries) {
        try {
          const text = formatMessage(registered, String(at(registered, path)), values);
          if (text.trim() === "" || /[{}]/.test(text)) problems.push(`${language}: ${path} formats as "${text}"`);
        } catch (error) {
          problems.push(`${language}: ${path} does not format with ${JSON.stringify(values)}: ${(error as Error).message}`);
        }
      }
    }
  } finally {
    // English is the reference and stays; any other language goes back to what was registered before.
    if (language !== DEFAULT_LOCALE) restore();
  }
  return problems;
}

describe("the message catalogue: every message of every locale file", () => {
  const files: Record<string, unknown> = { [DEFAULT_LOCALE]: en, ...readLocaleFiles() };

  it("English parses and formats every message with sample values, every plural and select case included", () => {
    expect(catalogueProblems(DEFAULT_LOCALE, en)).to.deep.equal([]);
  });

  for (const language of Object.keys(files).filter((l) => l !== DEFAULT_LOCALE)) {
    it(`${language}.json has exactly English's keys, and every message parses, takes English's arguments and formats`, () => {
      expect(catalogueProblems(language, files[language])).to.deep.equal([]);
    });
  }

  it("registers every file in src/cards/strings as a language", () => {
    for (const language of Object.keys(files)) expect(LOCALES, language).to.have.property(language);
  });

  describe("the check itself (on a made-up language, so it is known to fail when it should)", () => {
    const broken = (): Record<string, unknown> => {
      const copy = structuredClone(en) as unknown as Record<string, Record<string, unknown>>;
      delete copy["errors"]!["conflict"];
      copy["errors"]!["notInEnglish"] = "Extra";
      copy["welcome"]!["title"] = "Välkommen {";
      copy["findPartner"]!["resultsSummary"] = "{total} partner · sida {page} av {pageCount}";
      return copy;
    };

    it("names a missing key, an extra key, a message that does not parse, and one with other arguments", () => {
      const problems = catalogueProblems("qx", broken());
      expect(problems).to.include("qx: missing errors.conflict");
      expect(problems).to.include("qx: extra errors.notInEnglish");
      expect(problems.some((p) => p.startsWith("qx: welcome.title does not parse"))).to.equal(true);
      expect(problems.some((p) => p.startsWith("qx: findPartner.resultsSummary takes other arguments"))).to.equal(true);
      expect(LOCALES).to.not.have.property("qx");
    });

    it("accepts a complete third language that is only a file in the strings directory", async () => {
      const directory = await mkdtemp(join(tmpdir(), "pd-strings-"));
      try {
        await writeFile(join(directory, "en.json"), "{}");
        await writeFile(join(directory, "notes.md"), "not a language");
        await writeFile(join(directory, "qx.json"), JSON.stringify(en));
        const found = readLocaleFiles(pathToFileURL(`${directory}/`));
        expect(Object.keys(found)).to.deep.equal(["qx"]);
        expect(catalogueProblems("qx", found["qx"])).to.deep.equal([]);
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });
});
