import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";
import { expect } from "chai";
import { PNG } from "pngjs";
import { validateLocalization, validateManifest } from "../../scripts/manifest-validation.js";
import { IntentRecogniser } from "../../src/features/typed-requests/recognise.js";
import { PackagingError, buildAppPackage, readAppPackageSources, substitutePlaceholders } from "../../scripts/package-app.js";

const APP_PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "appPackage");
const SAMPLE_APP_ID = "0a6f3c3e-5b7d-4e2a-9c1f-2d8e4b6a1c01";
const SAMPLE_BOT_ID = "7d2b9e41-3f6a-4c8d-b5e2-9a1c0f4d6e02";
const SAMPLE_ENV = { TEAMS_APP_ID: SAMPLE_APP_ID, BOT_ID: SAMPLE_BOT_ID };
const GUID_ANYWHERE = /[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}/;

type Manifest = {
  $schema: string;
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  localizationInfo: { defaultLanguageTag: string; additionalLanguages: { languageTag: string; file: string }[] };
  bots: {
    botId: string;
    scopes: string[];
    commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
};

function manifestText(): string {
  return readFileSync(path.join(APP_PACKAGE_DIR, "manifest.json"), "utf8");
}

function manifestTemplate(): Manifest {
  return JSON.parse(manifestText()) as Manifest;
}

function sampleManifest(): Manifest {
  return substitutePlaceholders(manifestTemplate(), SAMPLE_ENV);
}

function readPng(file: string): PNG {
  return PNG.sync.read(readFileSync(path.join(APP_PACKAGE_DIR, file)));
}

describe("Teams app package", () => {
  it("the manifest passes Microsoft's published schema for its manifest version", () => {
    const manifest = sampleManifest();
    const [major = 0, minor = 0] = manifest.manifestVersion.split(".").map(Number);
    expect(major * 1000 + minor, `manifestVersion ${manifest.manifestVersion}`).to.be.at.least(1025);
    expect(manifest.$schema).to.equal(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );

    const result = validateManifest(manifest);
    if (!result.ok) expect.fail(`schema errors:\n${result.errors.join("\n")}`);
  });

  it("a manifest with an unknown property fails the schema check", () => {
    const result = validateManifest({ ...sampleManifest(), partnerDeskExtra: true });
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.errors.join("\n")).to.contain("partnerDeskExtra");
  });

  it("a manifest that still contains placeholders fails the schema check", () => {
    const result = validateManifest(manifestTemplate());
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.errors.join("\n")).to.contain("${{BOT_ID}}");
  });

  it("the bot id and app id come from environment placeholders, never a hard-coded id", () => {
    const manifest = manifestTemplate();
    expect(manifest.id).to.equal("${{TEAMS_APP_ID}}");
    expect(manifest.bots).to.have.length(1);
    expect(manifest.bots[0]!.botId).to.equal("${{BOT_ID}}");
    expect(manifestText()).not.to.match(GUID_ANYWHERE);
  });

  it("the bot offers the same five commands in personal and team scope", () => {
    const bot = manifestTemplate().bots[0]!;
    expect(bot.scopes).to.have.members(["personal", "team"]);
    const expected = [
      { title: "help", description: "Show what Partner Desk can do" },
      { title: "partner types", description: "What each kind of partner may do" },
      { title: "find partner", description: "Find a solution provider" },
      { title: "invitations", description: "Review partner invitations" },
      { title: "partners", description: "Your partners, their roles and agreements" },
    ];
    for (const scope of ["personal", "team"]) {
      const list = bot.commandLists.find((candidate) => candidate.scopes.includes(scope));
      expect(list, `command list for ${scope}`).to.not.equal(undefined);
      expect(list!.commands).to.deep.equal(expected);
    }
  });

  it("color.png is 192x192 and outline.png is 32x32 with only white or transparent pixels", () => {
    const color = readPng("color.png");
    expect([color.width, color.height]).to.deep.equal([192, 192]);
    for (let i = 3; i < color.data.length; i += 4) {
      if (color.data[i] !== 255) expect.fail(`color.png pixel ${(i - 3) / 4} is not opaque`);
    }

    const outline = readPng("outline.png");
    expect([outline.width, outline.height]).to.deep.equal([32, 32]);
    let visible = 0;
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) {
        transparent++;
      } else if (r === 255 && g === 255 && b === 255) {
        visible++;
      } else {
        expect.fail(`outline.png pixel ${i / 4} is rgba(${r}, ${g}, ${b}, ${a}), neither white nor transparent`);
      }
    }
    expect(visible, "white pixels in outline.png").to.be.greaterThan(0);
    expect(transparent, "transparent pixels in outline.png").to.be.greaterThan(0);
  });

  it("the package zip contains manifest.json, color.png, outline.png and sv-se.json with the ids substituted", () => {
    const { zip } = buildAppPackage(readAppPackageSources(APP_PACKAGE_DIR), SAMPLE_ENV);
    const archive = new AdmZip(zip);
    const entries = archive.getEntries();
    expect(entries.map((entry) => entry.entryName).sort()).to.deep.equal(["color.png", "manifest.json", "outline.png", "sv-se.json"]);
    expect(archive.readAsText("sv-se.json")).to.equal(readFileSync(path.join(APP_PACKAGE_DIR, "sv-se.json"), "utf8"));

    const packaged = JSON.parse(archive.readAsText("manifest.json")) as Manifest;
    expect(packaged.id).to.equal(SAMPLE_APP_ID);
    expect(packaged.bots[0]!.botId).to.equal(SAMPLE_BOT_ID);
    expect(archive.readAsText("manifest.json")).not.to.contain("${{");
    for (const icon of ["color.png", "outline.png"]) {
      expect(archive.readFile(icon)?.equals(readFileSync(path.join(APP_PACKAGE_DIR, icon))), icon).to.equal(true);
    }
  });

  it("packaging without BOT_ID fails with a message that names the setting", () => {
    const sources = readAppPackageSources(APP_PACKAGE_DIR);
    expect(() => buildAppPackage(sources, { TEAMS_APP_ID: SAMPLE_APP_ID })).to.throw(
      PackagingError,
      /BOT_ID is not set: set it to the Microsoft App ID of your Azure Bot \(the same value as MicrosoftAppId\)/,
    );
    expect(() => buildAppPackage(sources, { TEAMS_APP_ID: SAMPLE_APP_ID, BOT_ID: "  " })).to.throw(PackagingError, /BOT_ID is not set/);
    expect(() => buildAppPackage(sources, { BOT_ID: SAMPLE_BOT_ID })).to.throw(PackagingError, /TEAMS_APP_ID is not set/);
    expect(() => buildAppPackage(sources, { TEAMS_APP_ID: SAMPLE_APP_ID, BOT_ID: "my-bot" })).to.throw(
      PackagingError,
      /BOT_ID is "my-bot", which is not a GUID/,
    );
  });

  it("BOT_ID defaults to MicrosoftAppId when only the bot's own setting is present", () => {
    const { manifest } = buildAppPackage(readAppPackageSources(APP_PACKAGE_DIR), {
      TEAMS_APP_ID: SAMPLE_APP_ID,
      MicrosoftAppId: SAMPLE_BOT_ID,
    });
    expect((manifest as Manifest).bots[0]!.botId).to.equal(SAMPLE_BOT_ID);
  });

  describe("in Swedish (localizationInfo)", () => {
    const swedish = () => JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, "sv-se.json"), "utf8")) as Record<string, unknown>;

    it("declares English as the manifest's language and Swedish (sv-se.json) as an additional one", () => {
      expect(manifestTemplate().localizationInfo).to.deep.equal({
        defaultLanguageTag: "en-us",
        additionalLanguages: [{ languageTag: "sv-se", file: "sv-se.json" }],
      });
    });

    it("sv-se.json passes Microsoft's localization schema for the manifest's version", () => {
      const result = validateLocalization(swedish(), sampleManifest());
      if (!result.ok) expect.fail(`localization errors:\n${result.errors.join("\n")}`);
    });

    it("localizes the name, both descriptions and every command title and description, in Swedish", () => {
      const manifest = sampleManifest();
      const file = swedish();
      const expectedKeys = ["name.short", "name.full", "description.short", "description.full"];
      manifest.bots[0]!.commandLists.forEach((list, l) =>
        list.commands.forEach((_, c) =>
          expectedKeys.push(`bots[0].commandLists[${l}].commands[${c}].title`, `bots[0].commandLists[${l}].commands[${c}].description`),
        ),
      );
      expect(Object.keys(file).filter((key) => key !== "$schema")).to.have.members(expectedKeys);
      expect(file["description.full"]).to.include("Microsoft-kundavtalet").and.include('"hjälp"');
      manifest.bots[0]!.commandLists.forEach((list, l) =>
        list.commands.forEach((command, c) => {
          const key = `bots[0].commandLists[${l}].commands[${c}]`;
          expect(file[`${key}.title`], `${key}.title`).to.be.a("string").and.not.equal(command.title);
          expect(file[`${key}.description`], `${key}.description`).to.be.a("string").and.not.equal(command.description);
        }),
      );
    });

    it("every Swedish command title is understood by the bot as its English title is", () => {
      const recogniser = new IntentRecogniser();
      const file = swedish();
      sampleManifest().bots[0]!.commandLists.forEach((list, l) =>
        list.commands.forEach((command, c) => {
          const title = String(file[`bots[0].commandLists[${l}].commands[${c}].title`]);
          const english = recogniser.recognise(command.title).row?.intent;
          expect(english, command.title).to.not.equal(undefined);
          expect(recogniser.recognise(title).row?.intent, title).to.equal(english);
        }),
      );
    });

    it("a localization file the schema refuses, or one naming a string the manifest lacks, fails the check", () => {
      const manifest = sampleManifest();
      const tooLong = validateLocalization({ ...swedish(), "description.short": "x".repeat(81) }, manifest);
      expect(tooLong.ok).to.equal(false);
      const missing = swedish();
      delete missing["description.full"];
      expect(validateLocalization(missing, manifest).ok).to.equal(false);
      const stray = validateLocalization({ ...swedish(), "bots[0].commandLists[0].commands[9].title": "extra" }, manifest);
      expect(stray.ok).to.equal(false);
      if (!stray.ok) expect(stray.errors.join("\n")).to.contain("commands[9].title");
      const unknown = validateLocalization({ ...swedish(), tagline: "x" }, manifest);
      expect(unknown.ok).to.equal(false);
    });

    it("packaging refuses a manifest whose language file is missing", () => {
      const sources = readAppPackageSources(APP_PACKAGE_DIR);
      const { ["sv-se.json"]: _swedish, ...withoutSwedish } = sources.files;
      expect(() => buildAppPackage({ ...sources, files: withoutSwedish }, SAMPLE_ENV)).to.throw(
        PackagingError,
        /sv-se\.json does not exist/,
      );
    });
  });
});
