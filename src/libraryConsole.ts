import { format } from "node:util";
import type { Logger } from "pino";

/**
 * botbuilder writes to the console for every request it refuses (jwtTokenExtractor: the token's error with its
 * stack, or "Error finding key" with the whole PEM key set), so any client could fill the log with multi-line
 * output. The bot logs each refusal itself, as one structured line (src/bot/adapter.ts); what libraries write to
 * console.error/warn after start becomes one debug line, first line only, so an operator can still turn it on.
 * Our own code never writes to the console once the logger exists.
 */
export function routeLibraryConsole(logger: Logger): void {
  const log = logger.child({ source: "library console" });
  const oneLine = (args: unknown[]) => {
    const text = format(...args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : arg)));
    return (text.split("\n", 1)[0] ?? "").slice(0, 300);
  };
  console.error = (...args: unknown[]) => log.debug({ output: oneLine(args) }, "a library wrote to console.error");
  console.warn = (...args: unknown[]) => log.debug({ output: oneLine(args) }, "a library wrote to console.warn");
}
