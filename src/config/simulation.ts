import { join } from "node:path";
import { z } from "zod";
import { portSetting, setting } from "./settings.js";

/**
 * Local mode's simulated Partner Center (src/demo/simulated-partner-center): a loopback stand-in for Microsoft
 * Graph's GDAP API and the admin center's approval page, so the connected flows can be tried without Microsoft.
 * On by default in the embedded demo (local mode with the embedded Azurite: what `npm start` runs with nothing
 * configured), where it keeps its state next to Azurite's; on request in other local setups; never with an app id,
 * where the bot may act for real tenants.
 */

const SIMULATION_MESSAGE = "MICROSOFT_SIMULATION must be on or off";

export const simulationSettings = {
  // The default depends on MicrosoftAppId and the storage, so it is decided in simulationFrom.
  MICROSOFT_SIMULATION: setting(z.enum(["on", "off"], { message: SIMULATION_MESSAGE }).optional()),
  // Fixed by default, like Azurite's: the approval links Partner Desk stores point at it, and must work after a restart.
  MICROSOFT_SIMULATION_PORT: portSetting("MICROSOFT_SIMULATION_PORT", 10010),
};

type SimulationSettings = z.output<z.ZodObject<typeof simulationSettings>>;

export function simulationFrom(e: SimulationSettings, demo: { localMode: boolean; embeddedStorage: boolean; localDataDir: string }) {
  const byDefault = demo.localMode && demo.embeddedStorage ? "on" : "off";
  return {
    /** Partner Desk's Microsoft port talks to the simulated Partner Center, and every card says so. */
    enabled: (e.MICROSOFT_SIMULATION ?? byDefault) === "on",
    /** Its loopback port; 0 picks a free one. */
    port: e.MICROSOFT_SIMULATION_PORT,
    /** Where it keeps its relationships between starts, next to the embedded Azurite's data. */
    stateFile: join(demo.localDataDir, "simulated-partner-center.json"),
  };
}

/** A bot with an app id acts for real tenants: a simulated Microsoft there would tell real admins untrue things. */
export function simulationProblems(value: (name: string) => string | undefined): string[] {
  if (!value("MicrosoftAppId") || value("MICROSOFT_SIMULATION")?.toLowerCase() !== "on") return [];
  return [
    "MICROSOFT_SIMULATION=on needs local mode, but MicrosoftAppId is set: the simulated Partner Center is a demo stand-in and must never answer for real tenants. Remove MICROSOFT_SIMULATION (or set it to off), or leave MicrosoftAppId empty for the local demo.",
  ];
}
