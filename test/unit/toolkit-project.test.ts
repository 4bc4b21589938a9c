import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { ConfigError, loadConfig } from "../../src/config.js";
import {
  armParameterNames,
  bicepAppSettings,
  bicepModuleCalls,
  bicepOutputs,
  bicepParams,
  ignoredBy,
  lifecycleProblems,
  parameterProblems,
  parseEnvFile,
  placeholdersIn,
  writtenBySteps,
  type LifecycleFiles,
} from "../helpers/toolkitProject.js";

/*
 * The Microsoft 365 Agents Toolkit project (m365agents.yml, m365agents.local.yml, env/, infra/, .vscode/) cannot be
 * run here: no Azure, no Toolkit, no Bicep compiler. What can be checked is that its pieces fit: every ${{VARIABLE}}
 * is set before a step uses it, every Bicep parameter gets a value, and the app settings the Bicep gives the web
 * app are ones Partner Desk's own config accepts as a production configuration.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const files: LifecycleFiles = { read: (file) => read(path.normalize(file)) };
// js-yaml (a devDependency, also mocha's) ships no types; playground.ts loads it the same way.
const yaml = createRequire(import.meta.url)("js-yaml") as { load(text: string): unknown };

/** Set by the Toolkit itself: it asks for a subscription and resource group when these are empty, and writes the tenant of the Microsoft 365 account you sign in with. */
const TOOLKIT_BUILT_INS = ["AZURE_SUBSCRIPTION_ID", "AZURE_RESOURCE_GROUP_NAME", "TEAMS_APP_TENANT_ID"];
/** Left empty in env/.env.dev on purpose: the operator chooses them before the first provision (the file says how). */
const OPERATOR_CHOICES = ["RESOURCE_SUFFIX", "ALLOWED_TENANTS"];

/** The variables an environment starts with: non-empty values in its env file, the operator's choices, the Toolkit's built-ins. */
function knownAtStart(envFile: string, extra: readonly string[] = []): Set<string> {
  const env = parseEnvFile(read(envFile));
  const set = [...env].filter(([, value]) => value !== "").map(([name]) => name);
  return new Set([...set, ...OPERATOR_CHOICES.filter((name) => env.has(name)), ...TOOLKIT_BUILT_INS, ...extra]);
}

/** What the dev tunnel task writes to env/.env.local before the local provision runs. */
function writtenByTunnel(): string[] {
  const tasks = JSON.parse(read(".vscode/tasks.json")) as { tasks: Array<{ command?: string; args?: any }> };
  return tasks.tasks
    .filter((task) => task.command === "debug-start-local-tunnel")
    .flatMap((task) =>
      task.args.ports.flatMap((port: { writeToEnvironmentFile?: Record<string, string> }) =>
        Object.values(port.writeToEnvironmentFile ?? {}),
      ),
    );
}

describe("the Microsoft 365 Agents Toolkit project", () => {
  const devYml = yaml.load(read("m365agents.yml"));
  const localYml = yaml.load(read("m365agents.local.yml"));
  const bicep = read("infra/azure.bicep");
  const parameters = JSON.parse(read("infra/azure.parameters.json"));

  describe("variables", () => {
    it("m365agents.yml uses no ${{VARIABLE}} that env/.env.dev or an earlier step does not set", () => {
      expect(lifecycleProblems(devYml, knownAtStart("env/.env.dev"), files, "m365agents.yml")).to.deep.equal([]);
    });

    it("m365agents.local.yml uses none that env/.env.local, the dev tunnel or an earlier step does not set", () => {
      const known = knownAtStart("env/.env.local", writtenByTunnel());
      expect(lifecycleProblems(localYml, known, files, "m365agents.local.yml")).to.deep.equal([]);
    });

    it("names every operator choice and every variable the steps write in its env file, so the file documents the environment", () => {
      const dev = parseEnvFile(read("env/.env.dev"));
      for (const name of [...OPERATOR_CHOICES, ...writtenBySteps(devYml, files)].filter((n) => n !== "TEAMS_APP_PUBLISHED_APP_ID")) {
        expect(dev.has(name), `env/.env.dev lists ${name}`).to.equal(true);
      }
      const local = parseEnvFile(read("env/.env.local"));
      for (const name of [...writtenByTunnel(), ...writtenBySteps(localYml, files)].filter((n) => !n.startsWith("SECRET_"))) {
        expect(local.has(name), `env/.env.local lists ${name}`).to.equal(true);
      }
    });

    it("keeps secrets out of the committed env files: no SECRET_ value, and git ignores env/.env.*.user and .localConfigs", () => {
      for (const file of ["env/.env.dev", "env/.env.local"]) {
        for (const [name, value] of parseEnvFile(read(file)))
          expect(name.startsWith("SECRET_") && value !== "", `${file} ${name}`).to.equal(false);
      }
      const gitignore = read(".gitignore");
      expect(ignoredBy(gitignore, "env/.env.dev.user")).to.equal(true);
      expect(ignoredBy(gitignore, "env/.env.local.user")).to.equal(true);
      expect(ignoredBy(gitignore, ".localConfigs")).to.equal(true);
      // The env files themselves are part of the project.
      expect(ignoredBy(gitignore, "env/.env.dev")).to.equal(false);
      expect(ignoredBy(gitignore, "env/.env.local")).to.equal(false);
    });

    it("launches Teams with a TEAMS_APP_ID each environment gets from teamsApp/create", () => {
      const launch = read(".vscode/launch.json");
      const local = [...launch.matchAll(/\$\{\{local:(\w+)\}\}/g)].map((m) => m[1]!);
      const remote = placeholdersIn(launch);
      expect(local).to.include("TEAMS_APP_ID");
      expect(remote).to.include("TEAMS_APP_ID");
      for (const name of local) expect(writtenBySteps(localYml, files).has(name), name).to.equal(true);
      for (const name of remote) expect(writtenBySteps(devYml, files).has(name), name).to.equal(true);
    });

    it("has the Playground and Teams targets in launch.json, each with a task that exists", () => {
      const launch = JSON.parse(read(".vscode/launch.json"));
      const labels = new Set((JSON.parse(read(".vscode/tasks.json")).tasks as Array<{ label: string }>).map((t) => t.label));
      const compounds = launch.compounds.map((c: any) => c.name);
      expect(compounds).to.include.members([
        "Debug in Microsoft 365 Agents Playground",
        "Debug in Teams (Edge)",
        "Debug in Teams (Chrome)",
      ]);
      for (const compound of launch.compounds) expect(labels.has(compound.preLaunchTask), compound.preLaunchTask).to.equal(true);
      for (const task of JSON.parse(read(".vscode/tasks.json")).tasks) {
        for (const dependency of task.dependsOn ?? []) expect(labels.has(dependency), dependency).to.equal(true);
      }
    });
  });

  describe("infra/azure.bicep", () => {
    it("gets a value for every parameter without a default, and only for parameters it declares", () => {
      expect(parameterProblems(bicepParams(bicep), armParameterNames(parameters), "azure.parameters.json")).to.deep.equal([]);
    });

    it("passes every module the parameters it declares", () => {
      const calls = bicepModuleCalls(bicep);
      expect(calls.map((c) => c.path)).to.deep.equal(["./botRegistration/azurebot.bicep"]);
      for (const call of calls) {
        const module = path.join("infra", call.path);
        expect(existsSync(path.join(ROOT, module)), module).to.equal(true);
        expect(parameterProblems(bicepParams(read(module)), call.params, module)).to.deep.equal([]);
      }
    });

    it("writes the outputs the deploy step and the Teams manifest read: the web app's id, the bot id", () => {
      expect(bicepOutputs(bicep)).to.include.members(["BOT_AZURE_APP_SERVICE_RESOURCE_ID", "BOT_ID", "BOT_DOMAIN"]);
    });

    it("runs Node 20 on Linux, on at least two always-on instances, with the health check on /healthz", () => {
      expect(parameters.parameters.linuxFxVersion.value).to.equal("NODE|20-lts");
      expect(bicep).to.match(/kind: 'app,linux'[\s\S]*?reserved: true/);
      expect(bicep).to.match(/linuxFxVersion: linuxFxVersion/);
      expect(bicep).to.match(/@minValue\(2\)\s*\n(?:@description\(.*\)\s*\n)?param instanceCount int/);
      expect(bicep).to.match(/sku: \{\s*name: webAppSKU\s*capacity: instanceCount\s*\}/);
      expect(parameters.parameters.instanceCount.value).to.be.at.least(2);
      expect(bicep).to.match(/alwaysOn: true/);
      expect(bicep).to.match(/healthCheckPath: '\/healthz'/);
    });

    it("gives the managed identity Storage Table Data Contributor on the Storage account, and keys are off", () => {
      expect(bicep).to.match(/storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'/);
      expect(bicep).to.match(
        /roleAssignments@[\w-]+' = if \(!useCosmos\) \{[\s\S]*?scope: storage[\s\S]*?storageTableDataContributorRoleId\)[\s\S]*?principalId: identity\.properties\.principalId/,
      );
      expect(bicep).to.match(/allowSharedKeyAccess: false/);
      expect(bicep).to.match(/capabilities: \[\s*\{\s*name: 'EnableTable'/);
      expect(bicep).to.match(/disableLocalAuth: true/);
      expect(bicep).to.match(/tableRoleAssignments@[\w-]+' = if \(useCosmos\)/);
    });

    it("registers the Azure Bot with the managed identity (UserAssignedMSI) and the Teams channel", () => {
      const bot = read("infra/botRegistration/azurebot.bicep");
      expect(bot).to.match(/msaAppType: 'UserAssignedMSI'/);
      expect(bot).to.match(/channelName: 'MsTeamsChannel'/);
      expect(bot).to.match(/endpoint: 'https:\/\/\$\{botAppDomain\}\/api\/messages'/);
    });
  });

  describe("the web app's settings", () => {
    const settings = bicepAppSettings(bicep);
    const declared = bicepParams(bicep);
    // Stand-ins for what ARM fills in at deployment: an identity's ids, the table endpoint, the site's address.
    const DEPLOYED = {
      MicrosoftAppId: "1f0e0b57-8d4c-4a7a-9a52-1c1a2f7c0d11",
      MicrosoftAppTenantId: "7a3c9e12-5b6d-4f8e-9a0b-2c4d6e8f0a1b",
      TABLES_MANAGED_IDENTITY_CLIENT_ID: "1f0e0b57-8d4c-4a7a-9a52-1c1a2f7c0d11",
      TABLES_ACCOUNT_URL: "https://stabc123.table.core.windows.net/",
      ALLOWED_TENANTS: "7a3c9e12-5b6d-4f8e-9a0b-2c4d6e8f0a1b",
      PUBLIC_BASE_URL: "https://partnerdesk1.azurewebsites.net",
    } as Record<string, string>;
    /** The environment the bot starts with in App Service: each setting's literal, its parameter's default, or a stand-in. */
    function deployedEnvironment(): Record<string, string> {
      const env: Record<string, string> = { PORT: "8080" }; // App Service sets PORT itself.
      for (const setting of settings) {
        const fromParam = declared.find((p) => p.name === setting.expression)?.literalDefault;
        const value = setting.literal ?? fromParam ?? DEPLOYED[setting.name];
        if (value === undefined) throw new Error(`no stand-in for ${setting.name} = ${setting.expression}: add one to DEPLOYED`);
        env[setting.name] = value;
      }
      return env;
    }

    it("are each a setting Partner Desk documents in .env.example, or one of App Service's own", () => {
      const documented = parseEnvFile(read(".env.example"));
      const platform = ["WEBSITE_RUN_FROM_PACKAGE", "SCM_DO_BUILD_DURING_DEPLOYMENT"];
      for (const { name } of settings) expect(documented.has(name) || platform.includes(name), name).to.equal(true);
    });

    it("use a stand-in only where ARM fills the value in, so every stand-in is tested", () => {
      const computed = settings.filter(
        (s) => s.literal === undefined && !declared.some((p) => p.name === s.expression && p.literalDefault),
      );
      expect(computed.map((s) => s.name).sort()).to.deep.equal(Object.keys(DEPLOYED).sort());
    });

    it("are a production configuration the bot starts with: registered, managed identity for the bot and its tables, no demo", () => {
      const config = loadConfig(deployedEnvironment());
      expect(config.localMode).to.equal(false);
      expect(config.host).to.equal("0.0.0.0");
      expect(config.port).to.equal(8080);
      expect(config.auth.MicrosoftAppType).to.equal("UserAssignedMSI");
      expect(config.storage).to.deep.equal({
        kind: "managedIdentity",
        accountUrl: DEPLOYED["TABLES_ACCOUNT_URL"],
        clientId: DEPLOYED["TABLES_MANAGED_IDENTITY_CLIENT_ID"],
      });
      expect(config.simulation.enabled).to.equal(false);
      expect(config.web.consentRedirectUri).to.equal(`${DEPLOYED["PUBLIC_BASE_URL"]}/connect/consented`);
      expect(settings.map((s) => s.name)).to.not.include.members(["MicrosoftAppPassword", "TABLES_CONNECTION_STRING"]);
    });

    it("would be refused without one the bot needs (ALLOWED_TENANTS), so the check above can fail", () => {
      const env = deployedEnvironment();
      delete env["ALLOWED_TENANTS"];
      expect(() => loadConfig(env)).to.throw(ConfigError, /ALLOWED_TENANTS is required/);
    });
  });

  describe(".webappignore", () => {
    const ignore = read(".webappignore");
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { dev?: boolean }> };

    it("leaves the developer's .env, tests and local data out of the zip, and the bot's code and dependencies in", () => {
      for (const file of [".env", ".localConfigs", "env/.env.dev", "test/unit/config.test.ts", ".data/table/x", "appPackage/build/a.zip"]) {
        expect(ignoredBy(ignore, file), file).to.equal(true);
      }
      for (const file of [
        "src/index.ts",
        "package.json",
        "src/cards/strings/sv.json",
        "node_modules/tsx/package.json",
        "node_modules/x/build/a.js",
      ]) {
        expect(ignoredBy(ignore, file), file).to.equal(false);
      }
    });

    it("leaves out only packages npm marks as development-only", () => {
      const leftOut = Object.entries(lock.packages).filter(
        ([key]) => key.startsWith("node_modules/") && ignoredBy(ignore, `${key}/package.json`),
      );
      expect(leftOut.length).to.be.greaterThan(0);
      for (const [key, entry] of leftOut) expect(entry.dev, `${key} is a development dependency`).to.equal(true);
    });
  });

  describe("the checker itself", () => {
    const sampleFiles: LifecycleFiles = {
      read: (file) =>
        ({
          "./infra/t.bicep": "param name string\nparam sku string = 'B1'\noutput WEB_ID string = site.id\n",
          "./infra/p.json": '{"parameters": {"name": {"value": "${{NAME}}"}}}',
        })[file] ?? "",
    };
    const arm = { uses: "arm/deploy", with: { templates: [{ path: "./infra/t.bicep", parameters: "./infra/p.json" }] } };

    it("names a variable used before the step that writes it, one nothing writes, and one the parameters file lacks", () => {
      const broken = {
        provision: [
          { uses: "teamsApp/update", with: { appPackagePath: "./build/${{TEAMS_APP_ID}}.zip" } },
          { uses: "teamsApp/create", writeToEnvironmentFile: { teamsAppId: "TEAMS_APP_ID" } },
          arm,
        ],
        deploy: [{ uses: "azureAppService/zipDeploy", with: { resourceId: "${{WEB_ID}}", other: "${{NOWHERE}}" } }],
      };
      const problems = lifecycleProblems(broken, new Set(), sampleFiles, "sample");
      expect(problems).to.have.length(3);
      expect(problems[0]).to.contain("provision[0] teamsApp/update uses ${{TEAMS_APP_ID}}");
      expect(problems[1]).to.contain("./infra/p.json) uses ${{NAME}}");
      expect(problems[2]).to.contain("${{NOWHERE}}");
      // WEB_ID was an output of the arm/deploy step, so the deploy stage may use it.
      expect(
        lifecycleProblems({ provision: [arm], deploy: broken.deploy.slice(0, 1) }, new Set(["NAME", "NOWHERE"]), sampleFiles, "s"),
      ).to.deep.equal([]);
    });

    it("names a parameter without a value and a value for no parameter", () => {
      const problems = parameterProblems(bicepParams(sampleFiles.read("./infra/t.bicep")), ["nmae"], "p.json");
      expect(problems).to.deep.equal(["p.json: parameter name has no default and no value", "p.json: nmae is given but not declared"]);
    });

    it("reads literal settings, expressions and trailing comments apart", () => {
      const sample =
        "appSettings: [\n  {\n    name: 'A'\n    value: '1' // one\n  }\n  {\n    name: 'B'\n    value: 'https://${x}.net'\n  }\n  {\n    name: 'C'\n    value: id.properties.clientId // why\n  }\n]\n";
      expect(bicepAppSettings(sample)).to.deep.equal([
        { name: "A", literal: "1" },
        { name: "B", expression: "'https://${x}.net'" },
        { name: "C", expression: "id.properties.clientId" },
      ]);
    });
  });
});
