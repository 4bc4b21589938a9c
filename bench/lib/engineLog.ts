import { pino, type Logger } from "pino";

/**
 * An outbox engine's logger in a benchmark child: silent, unless the environment variable `dirVariable` names a
 * directory, where the engine writes its debug log (shard takes, passes and how long their listings took, retries) to
 * `<name>.log`, to see where a run's time went.
 */
export function engineLogger(dirVariable: string, name: string): Logger {
  const dir = process.env[dirVariable];
  return dir ? pino({ level: "debug" }, pino.destination(`${dir}/${name}.log`)) : pino({ level: "silent" });
}
