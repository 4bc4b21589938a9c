import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { Clock } from "./domain/time.js";
import type { MicrosoftConnection } from "./features/ports.js";
import { GdapSyncEngine, type GdapSyncOptions } from "./gdapSync/engine.js";
import type { DirectoryService } from "./partner-directory/directoryService.js";
import type { Storage } from "./storage/index.js";

/*
 * The composition root's status-sync part: the engine is built from ports (src/gdapSync/ports.ts), and this is
 * where storage, the partner directory and the Microsoft port are plugged into them.
 */

export interface GdapSyncWiring {
  storage: Pick<Storage, "connections" | "invitations" | "relationships" | "decisions" | "gdapSync">;
  directory: Pick<DirectoryService, "get">;
  /** Graph in the partner's tenant, or a simulated Partner Center: the engine only lists. */
  microsoft: Pick<MicrosoftConnection, "listRelationships">;
  logger: Logger;
  clock: Clock;
}

/** The sync engine as the app runs it (tests build it the same way, `options` overriding the engine's defaults). */
export function createGdapSyncEngine(
  config: Pick<Config, "gdapSync" | "allowedTenants">,
  wiring: GdapSyncWiring,
  options: Partial<GdapSyncOptions> = {},
): GdapSyncEngine {
  const { storage } = wiring;
  const allowed = config.allowedTenants;
  return new GdapSyncEngine(
    {
      connections: storage.connections,
      partners: wiring.directory,
      microsoft: wiring.microsoft,
      invitations: storage.invitations,
      relationships: storage.relationships,
      decisions: storage.decisions,
      state: storage.gdapSync,
      logger: wiring.logger,
      now: () => wiring.clock.now(),
      // Customers the bot does not serve get no rows: nobody of theirs could ever see them.
      customerAllowed: (tenantId) => allowed === null || allowed.has(tenantId.toLowerCase()),
    },
    { intervalMs: config.gdapSync.intervalMs, jitter: config.gdapSync.jitter, ...options },
  );
}
