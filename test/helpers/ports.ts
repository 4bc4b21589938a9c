import type { Ports } from "../../src/features/ports.js";

/**
 * The ports for a test whose routes must read and write nothing (the router's own tests): any port asked for
 * fails the test, naming it, instead of a cast that would let a stray read pass unnoticed.
 */
export function portsNobodyUses(): Ports {
  return new Proxy({} as Ports, {
    get(_target, name) {
      throw new Error(`this test's routes use no ports, but one asked for "${String(name)}"`);
    },
  });
}
