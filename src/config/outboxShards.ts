import { hostname } from "node:os";
import { z } from "zod";
import { setting, wholeNumber } from "./settings.js";

/** This process in lease rows: the host name and process id, unless OUTBOX_INSTANCE_ID names it. */
const defaultInstanceId = () => `${hostname().replace(/[^A-Za-z0-9._-]/g, "-")}-${process.pid}`;

/** How the outbox is spread over instances (src/outbox/shards): tenant shards held by leases, and the sweep. */
export const outboxShardSettings = {
  OUTBOX_INSTANCE_ID: setting(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, { message: "OUTBOX_INSTANCE_ID must be 1-100 letters, digits, '.', '_' or '-'" })
      .optional(),
  ),
  OUTBOX_SHARDS: wholeNumber("OUTBOX_SHARDS", 16, 1, 256),
  // 9 s: a dead instance's tenants are taken over as its leases lapse, about 9 s (the scale-out benchmark kills one mid-run); renewals
  // every 3 s cost three or so requests per instance, and sending stops only after 6 s without one.
  OUTBOX_SHARD_LEASE_SECONDS: wholeNumber("OUTBOX_SHARD_LEASE_SECONDS", 9, 3, 3600),
  OUTBOX_SWEEP_MINUTES: wholeNumber("OUTBOX_SWEEP_MINUTES", 15, 0, 10_080),
};

type OutboxShardSettings = z.output<z.ZodObject<typeof outboxShardSettings>>;

export function outboxShardsFrom(e: OutboxShardSettings) {
  return {
    instanceId: e.OUTBOX_INSTANCE_ID ?? defaultInstanceId(),
    count: e.OUTBOX_SHARDS,
    leaseMs: e.OUTBOX_SHARD_LEASE_SECONDS * 1000,
    /** 0: never (only for a deployment that never loses an index write; not recommended). */
    sweepIntervalMs: e.OUTBOX_SWEEP_MINUTES * 60_000,
  };
}
export type OutboxShardOptions = ReturnType<typeof outboxShardsFrom>;

/** The settings' defaults, for an engine built without a config (tests, the benchmark): one source for both. */
export const outboxShardDefaults = (): OutboxShardOptions => outboxShardsFrom(z.object(outboxShardSettings).parse({}));
