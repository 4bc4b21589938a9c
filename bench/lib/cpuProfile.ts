/**
 * Where a server's CPU went, from a V8 CPU profile (.cpuprofile, as the inspector's Profiler or --cpu-prof write
 * it): self time per component, by the file each sampled function lives in.
 *
 * A frame whose file names a component (botbuilder, zod, our src/cards, ...) is charged to it. A frame that names
 * none (Node's own http and streams, V8 builtins such as JSON.stringify, @azure/core-* which both the SDK and
 * @azure/data-tables use, small helpers like tslib or uuid) is charged to its nearest caller that does: a
 * JSON.stringify our handler calls is our handler's cost, a socket write restify makes is restify's. With no such
 * caller on the stack (a callback straight from the event loop) it falls to "Node.js runtime" or "other". zod
 * called by botbuilder (which validates with zod itself) is the SDK's, not our schemas'.
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number; columnNumber?: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export const COMPONENTS = [
  "SDK and restify",
  "zod",
  "card templating",
  "storage mapping",
  "our handlers",
  "outbox (background delivery)",
  "Node.js runtime",
  "garbage collection",
  "other",
] as const;
export type Component = (typeof COMPONENTS)[number];

const SDK_PACKAGES = [
  "botbuilder",
  "botbuilder-core",
  "botbuilder-stdlib",
  "botframework-connector",
  "botframework-schema",
  "botframework-streaming",
  "restify",
  "restify-errors",
  "find-my-way",
  "jsonwebtoken",
  "jws",
  "jwa",
  "@azure/msal-node",
  "@azure/msal-common",
  "axios",
  "node-fetch",
  "cross-fetch",
  "openssl-wrapper",
  "rsa-pem-from-mod-exp",
  "base64url",
];
const TEMPLATING_PACKAGES = [
  "adaptivecards-templating",
  "adaptive-expressions",
  "adaptivecards",
  "antlr4ts",
  "intl-messageformat",
  "@formatjs",
];
const STORAGE_PACKAGES = ["@azure/data-tables"];

/** The package a node_modules path belongs to (the last node_modules segment: nested copies count as themselves). */
export function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf("/node_modules/");
  if (at < 0) return undefined;
  const parts = url.slice(at + "/node_modules/".length).split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : parts[0];
}

/** The component a frame's own file names, or undefined when the frame is charged to its caller. */
export function ownComponentOf(callFrame: CpuProfileNode["callFrame"]): Component | undefined {
  const { url, functionName } = callFrame;
  if (functionName === "(garbage collector)") return "garbage collection";
  const pkg = packageOf(url);
  if (pkg !== undefined) {
    if (SDK_PACKAGES.includes(pkg)) return "SDK and restify";
    if (pkg === "zod") return "zod";
    if (TEMPLATING_PACKAGES.includes(pkg)) return "card templating";
    if (STORAGE_PACKAGES.includes(pkg)) return "storage mapping";
    return undefined;
  }
  const src = /\/src\/([^/]+)(\/|$)/.exec(url.replace(/\\/g, "/"));
  if (src && !url.includes("/node_modules/")) {
    const area = src[1]!;
    if (area === "cards") return "card templating";
    if (area === "storage") return "storage mapping";
    if (area === "outbox" || area === "outboxWiring.ts") return "outbox (background delivery)";
    return "our handlers";
  }
  return undefined;
}

/** Frames that are not work: the profiler's own idle marker and the root. */
const NOT_WORK = new Set(["(idle)", "(root)"]);

export interface Breakdown {
  /** Sampled CPU time, in milliseconds, per component (idle excluded). */
  ms: Record<Component, number>;
  totalMs: number;
  /** The profile's wall time. */
  wallMs: number;
}

/** Self time (ms) of every node, from the sample sequence if present (exact deltas), else hit counts x interval. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length && samples.length > 0) {
    // timeDeltas[i] is the time before sample i; the time a sample stands for is the gap to the next one.
    for (let i = 0; i < samples.length; i++) {
      const next = i + 1 < timeDeltas.length ? timeDeltas[i + 1]! : 0;
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + Math.max(0, next) / 1000);
    }
    return self;
  }
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const perHit = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * perHit);
  return self;
}

/** The component every node's self time is charged to. */
export function componentsOf(profile: CpuProfile): Map<number, Component | null> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const charged = new Map<number, Component | null>();
  // With no owning caller: Node's runtime if the nearest frame with a file is Node's own (a native write under a
  // stream callback), else other.
  const fallback = (id: number): Component => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url) return url.startsWith("node:") ? "Node.js runtime" : "other";
    }
    return "other";
  };
  const owner = (id: number): Component | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const own = ownComponentOf(byId.get(at)!.callFrame);
      if (own !== undefined) return own;
    }
    return undefined;
  };
  for (const node of profile.nodes) {
    if (NOT_WORK.has(node.callFrame.functionName)) {
      charged.set(node.id, null);
      continue;
    }
    let component = ownComponentOf(node.callFrame) ?? owner(node.id) ?? fallback(node.id);
    // botbuilder validates with zod itself: that is the SDK's cost, not our schemas'.
    if (component === "zod") {
      let at = parent.get(node.id);
      while (at !== undefined && ownComponentOf(byId.get(at)!.callFrame) === "zod") at = parent.get(at);
      if (at !== undefined && owner(at) === "SDK and restify") component = "SDK and restify";
    }
    charged.set(node.id, component);
  }
  return charged;
}

export function breakdownOf(profile: CpuProfile): Breakdown {
  const self = selfTimes(profile);
  const charged = componentsOf(profile);
  const ms = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  let totalMs = 0;
  for (const node of profile.nodes) {
    const component = charged.get(node.id);
    const time = self.get(node.id) ?? 0;
    if (!component || time === 0) continue;
    ms[component] += time;
    totalMs += time;
  }
  return { ms, totalMs, wallMs: (profile.endTime - profile.startTime) / 1000 };
}

/** CPU milliseconds per turn by component. */
export function perTurn(breakdown: Breakdown, turns: number): Breakdown {
  const n = Math.max(1, turns);
  const ms = Object.fromEntries(COMPONENTS.map((c) => [c, breakdown.ms[c] / n])) as Record<Component, number>;
  return { ms, totalMs: breakdown.totalMs / n, wallMs: breakdown.wallMs };
}

/** The functions with the most self time (for finding what to cut), with their component. */
export function topFunctions(profile: CpuProfile, count: number): Array<{ name: string; where: string; component: Component; ms: number }> {
  const self = selfTimes(profile);
  const charged = componentsOf(profile);
  const byKey = new Map<string, { name: string; where: string; component: Component; ms: number }>();
  for (const node of profile.nodes) {
    const component = charged.get(node.id);
    const time = self.get(node.id) ?? 0;
    if (!component || time === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/src\//, "src/")}:${(lineNumber ?? 0) + 1}`;
    const key = `${functionName}@${where}`;
    const entry = byKey.get(key) ?? { name: functionName || "(anonymous)", where, component, ms: 0 };
    entry.ms += time;
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => b.ms - a.ms).slice(0, count);
}
