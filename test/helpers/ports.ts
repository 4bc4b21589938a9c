import type { Ports } from "../../src/features/ports.js";

/**
 * The ports for a test whose routes must read and write nothing (the router's own tests): any port asked for
 * fails the test, naming it, instead of a cast that would let a stray read pass unnoticed. `allowed` names the few
 * a route may use (the menu asks the directory whether the user is a partner's contact).
 */
export function portsNobodyUses(allowed: Partial<Ports> = {}): Ports {
  return new Proxy({} as Ports, {
    get(_target, name) {
      if (typeof name === "string" && Object.hasOwn(allowed, name)) return allowed[name as keyof Ports];
      throw new Error(`this test's routes use no ports, but one asked for "${String(name)}"`);
    },
  });
}
