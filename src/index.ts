import { existsSync } from "node:fs";
import { pino } from "pino";
import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { DEMO } from "./demo/constants.js";
import { seededSentence } from "./demo/seed.js";
import { routeLibraryConsole } from "./libraryConsole.js";

/** Composition root: environment in, running bot out. Everything else receives what it needs. */
async function main(): Promise<void> {
  // A local .env (git-ignored) is read if present; variables already set in the environment win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, redact: ["req.headers.authorization", "*.MicrosoftAppPassword", "*.connectionString"] });
  const app = await startApp(config, { logger });

  if (config.localMode) {
    const lines = [
      "",
      "Partner Desk is running in local mode (no MicrosoftAppId: anonymous, loopback only).",
      `  Bot Framework Emulator: open ${app.url}/api/messages (leave App ID and password empty)`,
      `  Agents Playground:      npm run playground starts the bot with Microsoft 365 Agents Playground, as Demo Admin`,
      `  Health:                 ${app.url}/healthz`,
      app.azurite
        ? `  Storage:                embedded Azurite on 127.0.0.1:${app.azurite.port}, data in ${config.storage.kind === "embedded" ? config.storage.dataDir : ""}/`
        : "  Storage:                the configured table endpoint",
      app.simulation
        ? `  Microsoft:              the demo runs a simulated Partner Center at ${app.simulation.url} (nothing reaches Microsoft; cards say "Simulated Partner Center")`
        : "  Microsoft:              no simulated Partner Center (MICROSOFT_SIMULATION is off): connecting a partner is refused in local mode",
      "",
      "Demo users:",
      `  any Emulator user      -> ${DEMO.admin.name}, Global administrator of "${DEMO.customerName}"`,
      `  Emulator user id "${config.demo.partnerUserId}" -> ${DEMO.partnerContact.name} of Contoso Cloud Partners`,
      app.seeded ? seededSentence(app.seeded) : "",
      app.seeded ? `Type "reset demo" to put the demo back as it started.` : "",
      app.simulation ? `To try a connected partner: as "${config.demo.partnerUserId}" type connect, then Check connection.` : "",
      `Type help in the Emulator to begin. Ctrl-C stops the bot, Azurite${app.simulation ? " and the simulated Partner Center" : ""}.`,
      "",
    ];
    console.log(lines.filter((l, i, all) => l !== "" || all[i - 1] !== "").join("\n"));
  } else {
    logger.info({ url: app.url }, "Partner Desk listening");
    if (!config.web.consentRedirectUri)
      logger.warn(
        { setting: "PUBLIC_BASE_URL" },
        "PUBLIC_BASE_URL is not set: partners' admin-consent links carry no redirect_uri, which Microsoft requires; set it and register its /connect/consented as a reply URL",
      );
  }

  routeLibraryConsole(logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Partner Desk could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
