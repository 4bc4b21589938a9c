import { expect } from "chai";
import { breakdownOf, ownComponentOf, packageOf, perTurn, topFunctions, type CpuProfile } from "../../bench/lib/cpuProfile.js";

const NM = "file:///app/node_modules";
const SRC = "file:///app/src";

/**
 * A small synthetic profile: 1 ms between samples; each sample names the leaf node it hit.
 *
 *   (root) 1
 *   ├─ (idle) 2
 *   ├─ (garbage collector) 3
 *   ├─ processTicksAndRejections (node:internal) 4
 *   │   └─ writev (native, no url) 5
 *   ├─ CloudAdapter.processActivity (botbuilder) 6
 *   │   ├─ parse (zod, called by the SDK) 7
 *   │   └─ onInvoke (src/bot) 8
 *   │       ├─ parse (zod, called by our handler) 9
 *   │       ├─ render (src/cards) 10
 *   │       │   └─ Template.expand (adaptivecards-templating) 11
 *   │       │       └─ stringify (V8 builtin, no url) 12
 *   │       └─ read (src/storage) 13
 *   │           └─ sendRequest (@azure/core-rest-pipeline: shared, charged to its caller) 14
 *   └─ format (pino: no component, no owning caller) 15
 */
function syntheticProfile(): CpuProfile {
  const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
  const nodes = [
    { id: 1, callFrame: frame("(root)"), children: [2, 3, 4, 6, 15] },
    { id: 2, callFrame: frame("(idle)") },
    { id: 3, callFrame: frame("(garbage collector)") },
    { id: 4, callFrame: frame("processTicksAndRejections", "node:internal/process/task_queues"), children: [5] },
    { id: 5, callFrame: frame("writev") },
    { id: 6, callFrame: frame("processActivity", `${NM}/botbuilder/lib/cloudAdapterBase.js`), children: [7, 8] },
    { id: 7, callFrame: frame("parse", `${NM}/zod/v3/types.cjs`) },
    { id: 8, callFrame: frame("onInvoke", `${SRC}/bot/partnerDeskBot.ts`), children: [9, 10, 13] },
    { id: 9, callFrame: frame("parse", `${NM}/zod/v4/core/schemas.js`) },
    { id: 10, callFrame: frame("render", `${SRC}/cards/render.ts`), children: [11] },
    { id: 11, callFrame: frame("expand", `${NM}/adaptivecards-templating/lib/template-engine.js`), children: [12] },
    { id: 12, callFrame: frame("stringify") },
    { id: 13, callFrame: frame("read", `${SRC}/storage/entityStore.ts`), children: [14] },
    { id: 14, callFrame: frame("sendRequest", `${NM}/@azure/core-rest-pipeline/dist/esm/nodeHttpClient.js`) },
    { id: 15, callFrame: frame("format", `${NM}/pino/lib/tools.js`) },
  ];
  // Samples in ms of self time per node: idle 50, GC 4, writev 3, processActivity 2, SDK's zod 5, onInvoke 1,
  // our zod 6, render 2, expand 3, stringify 4, read 1, sendRequest 7, pino 2.
  const hits: Array<[number, number]> = [
    [2, 50],
    [3, 4],
    [5, 3],
    [6, 2],
    [7, 5],
    [8, 1],
    [9, 6],
    [10, 2],
    [11, 3],
    [12, 4],
    [13, 1],
    [14, 7],
    [15, 2],
  ];
  const samples = hits.flatMap(([id, count]) => Array.from({ length: count }, () => id));
  // Every sample 1 ms after the previous one (microseconds); the last one's time is unknown, so one more sample
  // of idle ends the sequence.
  samples.push(2);
  return {
    nodes,
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe("bench CPU profile: self time per component", () => {
  it("names the package of a node_modules path, scoped or not, nested copies as themselves", () => {
    expect(packageOf(`${NM}/zod/v3/types.cjs`)).to.equal("zod");
    expect(packageOf(`${NM}/@azure/data-tables/dist/esm/TableClient.js`)).to.equal("@azure/data-tables");
    expect(packageOf(`${NM}/botbuilder/node_modules/uuid/index.js`)).to.equal("uuid");
    expect(packageOf(`${SRC}/cards/render.ts`)).to.equal(undefined);
  });

  it("charges a frame to the component its file names, and leaves shared code to its caller", () => {
    expect(ownComponentOf({ functionName: "x", url: `${NM}/restify/lib/server.js` })).to.equal("SDK and restify");
    expect(ownComponentOf({ functionName: "x", url: `${NM}/adaptive-expressions/lib/expression.js` })).to.equal("card templating");
    expect(ownComponentOf({ functionName: "x", url: `${SRC}/storage/rowMappings.ts` })).to.equal("storage mapping");
    expect(ownComponentOf({ functionName: "x", url: `${SRC}/features/invitations/accept.ts` })).to.equal("our handlers");
    expect(ownComponentOf({ functionName: "x", url: `${SRC}/outbox/engine.ts` })).to.equal("outbox (background delivery)");
    expect(ownComponentOf({ functionName: "x", url: `${NM}/@azure/core-client/dist/esm/serializer.js` })).to.equal(undefined);
    expect(ownComponentOf({ functionName: "JSON.stringify", url: "" })).to.equal(undefined);
  });

  it("sums self time per component, callers owning shared frames, idle left out", () => {
    const breakdown = breakdownOf(syntheticProfile());
    expect(breakdown.ms).to.deep.equal({
      // processActivity 2 + zod called by botbuilder 5
      "SDK and restify": 7,
      // only the zod our handler called
      zod: 6,
      // render 2 + expand 3 + the JSON.stringify expand called 4
      "card templating": 9,
      // read 1 + the @azure/core-rest-pipeline request it made 7
      "storage mapping": 8,
      "our handlers": 1,
      "outbox (background delivery)": 0,
      // writev below a Node internal with no component above it
      "Node.js runtime": 3,
      "garbage collection": 4,
      // pino with no owning caller
      other: 2,
    });
    expect(breakdown.totalMs).to.equal(40);
    expect(breakdown.wallMs).to.equal(91);
  });

  it("divides by the turns of the profiled load", () => {
    const per = perTurn(breakdownOf(syntheticProfile()), 4);
    expect(per.totalMs).to.equal(10);
    expect(per.ms["card templating"]).to.equal(2.25);
  });

  it("falls back to hit counts when the profile has no sample sequence", () => {
    const profile = syntheticProfile();
    const counts = new Map<number, number>();
    for (const id of profile.samples!) counts.set(id, (counts.get(id) ?? 0) + 1);
    const withHits: CpuProfile = {
      nodes: profile.nodes.map((n) => ({ ...n, hitCount: counts.get(n.id) ?? 0 })),
      startTime: 0,
      endTime: 91_000,
    };
    // 91 samples over 91 ms: 1 ms each, idle (51 hits) left out.
    expect(breakdownOf(withHits).totalMs).to.equal(40);
    expect(breakdownOf(withHits).ms.zod).to.equal(6);
  });

  it("lists the functions with the most self time first", () => {
    const top = topFunctions(syntheticProfile(), 2);
    expect(top.map((t) => [t.name, t.component, t.ms])).to.deep.equal([
      ["sendRequest", "storage mapping", 7],
      ["parse", "zod", 6],
    ]);
  });
});
