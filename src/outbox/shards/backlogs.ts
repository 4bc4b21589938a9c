import { shardOf } from "./shareArithmetic.js";

/**
 * Which of the shards are busy: those of the delivery tenants with a backlog in the engine's hands (the engine says
 * which), as the shard keeper writes them into its leases so that instances share busy shards fairly.
 */
export class Backlogs {
  private source: (() => Iterable<string> | undefined) | undefined;
  private lastWritten = "";

  constructor(private readonly shards: number) {}

  reportFrom(source: () => Iterable<string> | undefined): void {
    this.source = source;
  }

  /** The busy shards now; undefined when not known (nothing reports, or a pass is listing): lease rows' flags stand. */
  now(): Set<number> | undefined {
    const tenants = this.source?.();
    return tenants && new Set([...tenants].map((tenant) => shardOf(tenant, this.shards)));
  }

  /** What a tick wrote into the leases. */
  written(busy: ReadonlySet<number> | undefined): void {
    this.lastWritten = key(busy);
  }

  /** The busy shards differ from those the last tick wrote. */
  changed(): boolean {
    return key(this.now()) !== this.lastWritten;
  }
}

const key = (busy: ReadonlySet<number> | undefined) => (busy ? [...busy].sort((a, b) => a - b).join(",") : "");

/** Waiters released together, once (later waiters pass at once). */
export class Gate {
  private waiters: Array<() => void> = [];
  private opened = false;

  get isOpen(): boolean {
    return this.opened;
  }

  wait(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  open(): void {
    this.opened = true;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
