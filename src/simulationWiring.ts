import type { Logger } from "pino";
import type { Config } from "./config.js";
import { seedSimulatedPartnerCenter } from "./demo/seed.js";
import { SimulatedPartnerCenter } from "./demo/simulated-partner-center/index.js";
import type { MicrosoftEndpoints } from "./microsoftWiring.js";

/*
 * The composition root's simulation part: with MICROSOFT_SIMULATION on (local mode only; config refuses it with an
 * app id), the Microsoft port talks to the simulated Partner Center on loopback instead of Microsoft, and its
 * approval and consent links are the simulator's pages.
 */

export interface RunningSimulation {
  /** The simulated admin center's list of relationships (the start banner names it). */
  url: string;
  /** What the Microsoft port is built with instead of Microsoft's endpoints. */
  endpoints: MicrosoftEndpoints;
  stop(): Promise<void>;
}

export async function startSimulation(config: Pick<Config, "simulation">, logger: Logger): Promise<RunningSimulation | undefined> {
  if (!config.simulation.enabled) return undefined;
  const center = await new SimulatedPartnerCenter().start({ port: config.simulation.port, stateFile: config.simulation.stateFile });
  // As Microsoft does, a partner's terminate request ends the relationship without anyone's further say.
  center.completesTerminations = true;
  seedSimulatedPartnerCenter(center);
  logger.info({ url: center.adminCenterUrl }, "simulated Partner Center started");
  return {
    url: center.adminCenterUrl,
    endpoints: {
      graphBaseUrl: center.baseUrl,
      // A simulated token per partner tenant, which only the simulator recognises: no login server is involved.
      token: (partnerTenantId) => center.tokenFor(partnerTenantId)(),
      adminConsentLink: (partnerTenantId) => center.adminConsentLink(partnerTenantId),
      approvalLink: (relationshipId) => center.approvalLink(relationshipId),
    },
    stop: () => center.stop(),
  };
}
