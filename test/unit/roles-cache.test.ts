import { expect } from "chai";
import { ROLE, type RoleTemplateId } from "../../src/domain/roles.js";
import { CachingRoleDirectory } from "../../src/entra-roles/cachingRoleDirectory.js";
import { GraphUnavailableError } from "../../src/entra-roles/errors.js";
import { GraphRoleDirectory } from "../../src/entra-roles/graphRoleDirectory.js";
import type { RoleDirectory } from "../../src/entra-roles/roleDirectory.js";
import { FakeGraph, GRAPH_ROLES } from "../helpers/fakeGraph.js";

const CONTOSO = "c0ffee00-0000-4000-8000-000000000001";
const FABRIKAM = "fab00000-0000-4000-8000-000000000002";
const ADELE = "a1a1a1a1-1111-4111-8111-111111111111";
const BEN = "b2b2b2b2-2222-4222-8222-222222222222";
const MINUTE = 60_000;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  expect.fail("expected the lookup to fail");
}

describe("CachingRoleDirectory", () => {
  const graph = new FakeGraph();
  let now: number;
  const clock = () => now;

  /** Graph behind the cache, exactly as production composes them. */
  const cached = (options: { ttlMs?: number; maxEntries?: number } = {}) =>
    new CachingRoleDirectory(
      new GraphRoleDirectory({ baseUrl: graph.baseUrl, credentialFor: graph.credentialFor, retry: { maxAttempts: 1 } }),
      { now: clock, ...options },
    );

  before(async () => {
    await graph.start();
    graph
      .tenant(CONTOSO, { users: { [ADELE]: [GRAPH_ROLES.globalAdministrator], [BEN]: [GRAPH_ROLES.billingAdministrator] } })
      .tenant(FABRIKAM, { users: { [ADELE]: [GRAPH_ROLES.helpdeskAdministrator] } });
  });

  beforeEach(() => {
    graph.reset();
    now = Date.parse("2026-11-01T10:00:00Z");
  });

  after(() => graph.stop());

  it("answers a second lookup within the TTL without calling Graph", async () => {
    const roles = cached();
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
    now += 4 * MINUTE;
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
    expect(graph.requests).to.have.length(1);
  });

  it("calls Graph again once the TTL (5 minutes by default) has passed", async () => {
    const roles = cached();
    await roles.rolesOf(CONTOSO, ADELE);
    now += 5 * MINUTE;
    await roles.rolesOf(CONTOSO, ADELE);
    expect(graph.requests).to.have.length(2);
  });

  it("honours a configured TTL", async () => {
    const roles = cached({ ttlMs: 30_000 });
    await roles.rolesOf(CONTOSO, ADELE);
    now += 29_999;
    await roles.rolesOf(CONTOSO, ADELE);
    now += 1;
    await roles.rolesOf(CONTOSO, ADELE);
    expect(graph.requests).to.have.length(2);
  });

  it("keys by tenant and user: the same user in another tenant is another lookup", async () => {
    const roles = cached();
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
    expect(await roles.rolesOf(FABRIKAM, ADELE)).to.deep.equal([ROLE.helpdeskAdministrator]);
    expect(await roles.rolesOf(CONTOSO, BEN)).to.deep.equal([ROLE.billingAdministrator]);
    expect(graph.requests).to.have.length(3);
  });

  it("shares one Graph call between concurrent lookups of the same user", async () => {
    const roles = cached();
    const answers = await Promise.all([roles.rolesOf(CONTOSO, ADELE), roles.rolesOf(CONTOSO, ADELE), roles.rolesOf(CONTOSO, ADELE)]);
    expect(answers).to.deep.equal([[ROLE.globalAdministrator], [ROLE.globalAdministrator], [ROLE.globalAdministrator]]);
    expect(graph.requests).to.have.length(1);
  });

  it("does not remember a failure: the next lookup calls Graph again", async () => {
    const roles = cached();
    graph.answerNext({ status: 503 });
    expect(await rejection(roles.rolesOf(CONTOSO, ADELE))).to.be.instanceOf(GraphUnavailableError);
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
    expect(graph.requests).to.have.length(2);
  });

  it("hands a shared failure to every concurrent caller, then forgets it", async () => {
    const roles = cached();
    graph.answerNext({ status: 503 });
    const results = await Promise.allSettled([roles.rolesOf(CONTOSO, ADELE), roles.rolesOf(CONTOSO, ADELE)]);
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "rejected"]);
    expect(graph.requests).to.have.length(1);
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
  });

  it("returns roles nobody can change behind the cache's back", async () => {
    const roles = cached();
    const first = await roles.rolesOf(CONTOSO, ADELE);
    expect(() => (first as RoleTemplateId[]).push(ROLE.billingAdministrator)).to.throw(TypeError);
    expect(await roles.rolesOf(CONTOSO, ADELE)).to.deep.equal([ROLE.globalAdministrator]);
  });

  it("remembers nothing with a TTL of 0, but still shares concurrent lookups", async () => {
    const roles = cached({ ttlMs: 0 });
    await Promise.all([roles.rolesOf(CONTOSO, ADELE), roles.rolesOf(CONTOSO, ADELE)]);
    await roles.rolesOf(CONTOSO, ADELE);
    expect(graph.requests).to.have.length(2);
    expect(roles.size).to.equal(0);
  });

  describe("size bound", () => {
    /** A directory that counts its lookups: enough to watch which users the cache keeps. */
    class CountingDirectory implements RoleDirectory {
      readonly calls: string[] = [];
      async rolesOf(_tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
        this.calls.push(userId);
        return [ROLE.globalReader];
      }
      async holdersOf(tenantId: string): Promise<readonly string[]> {
        this.calls.push(`holders of ${tenantId}`);
        return ["Ada"];
      }
    }

    it("keeps a tenant's role holders for the TTL too, apart from any user's roles", async () => {
      const inner = new CountingDirectory();
      const roles = new CachingRoleDirectory(inner, { now: clock });
      expect(await roles.holdersOf(CONTOSO, [ROLE.globalAdministrator, ROLE.billingAdministrator])).to.deep.equal(["Ada"]);
      // The same roles in another order are the same question.
      await roles.holdersOf(CONTOSO, [ROLE.billingAdministrator, ROLE.globalAdministrator]);
      await roles.rolesOf(CONTOSO, "u1");
      now += 5 * MINUTE + 1;
      await roles.holdersOf(CONTOSO, [ROLE.globalAdministrator, ROLE.billingAdministrator]);
      expect(inner.calls).to.deep.equal([`holders of ${CONTOSO}`, "u1", `holders of ${CONTOSO}`]);
    });

    it("keeps at most maxEntries users, dropping the least recently used first", async () => {
      const inner = new CountingDirectory();
      const roles = new CachingRoleDirectory(inner, { maxEntries: 2, now: clock });
      await roles.rolesOf(CONTOSO, "u1");
      await roles.rolesOf(CONTOSO, "u2");
      await roles.rolesOf(CONTOSO, "u1"); // u1 is now the most recently used
      await roles.rolesOf(CONTOSO, "u3"); // pushes out u2
      expect(roles.size).to.equal(2);
      await roles.rolesOf(CONTOSO, "u1");
      await roles.rolesOf(CONTOSO, "u2");
      expect(inner.calls).to.deep.equal(["u1", "u2", "u3", "u2"]);
    });

    it("holds 10,000 users by default", async () => {
      const inner = new CountingDirectory();
      const roles = new CachingRoleDirectory(inner, { now: clock });
      for (let i = 0; i < 10_001; i++) await roles.rolesOf(CONTOSO, `user-${i}`);
      expect(roles.size).to.equal(10_000);
      await roles.rolesOf(CONTOSO, "user-0");
      expect(inner.calls).to.have.length(10_002);
    });
  });
});
