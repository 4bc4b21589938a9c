import { expect } from "chai";
import { stringsFor } from "../../src/cards/strings.js";
import { ROLE, type RoleTemplateId } from "../../src/domain/roles.js";
import { authorize, POLICY_ERRORS, type AuthorizeContext } from "../../src/features/authorize.js";
import type { RoleHolders } from "../../src/features/ports.js";

const TENANT = "c0ffee00-0000-4000-8000-000000000001";

/** Exactly what authorize reads: who acts, their roles, the strings, and the role holders for names. */
function contextFor(roles: readonly RoleTemplateId[], directory: RoleHolders): { ctx: AuthorizeContext; asked: string[] } {
  const asked: string[] = [];
  const roleHolders: RoleHolders = {
    holdersOf: async (tenantId, roleIds) => {
      asked.push(`${tenantId}:${[...roleIds].sort().join(",")}`);
      return directory.holdersOf(tenantId, roleIds);
    },
  };
  const strings = stringsFor("en");
  const ctx: AuthorizeContext = {
    identity: { tenantId: TENANT, userId: "u1", name: "Max Member", locale: "en-US" },
    roles: async () => roles,
    strings,
    card: () => {
      throw new Error("authorize renders no card");
    },
    now: new Date("2026-11-29T10:00:00Z"),
    correlationId: "corr-guard",
    ports: { roleHolders },
  };
  return { ctx, asked };
}

describe("authorize: who may decide, and whom a refused user should ask", () => {
  const s = stringsFor("en");

  it("lets a Billing administrator accept without looking anyone up", async () => {
    const { ctx, asked } = contextFor([ROLE.billingAdministrator], { holdersOf: async () => ["Ada"] });
    expect(await authorize(ctx, "invitation.accept")).to.equal(undefined);
    expect(asked).to.deep.equal([]);
  });

  it("refuses anyone else, naming the role and the tenant's Global and Billing administrators", async () => {
    const { ctx, asked } = contextFor([ROLE.helpdeskAdministrator], { holdersOf: async () => ["Ada Admin", "Bea Billing"] });
    const refusal = await authorize(ctx, "invitation.accept");
    expect(refusal?.code).to.equal(POLICY_ERRORS.missingRole);
    expect(refusal?.message).to.equal(
      "Only a Global or Billing administrator can accept a partner's invitation. Ask Ada Admin or Bea Billing.",
    );
    expect(asked).to.deep.equal([`${TENANT}:${[ROLE.globalAdministrator, ROLE.billingAdministrator].sort().join(",")}`]);
  });

  it("names at most five of them", async () => {
    const { ctx } = contextFor([], { holdersOf: async () => ["A1", "A2", "A3", "A4", "A5", "A6", "A7"] });
    const refusal = await authorize(ctx, "relationship.removeRoles");
    expect(refusal?.message).to.include("Ask A1, A2, A3, A4, or A5.");
    expect(refusal?.message).to.not.include("A6");
  });

  it("still refuses, asking for an administrator, when nobody can be named or the lookup fails or hangs", async () => {
    const neverAnswers = () => new Promise<readonly string[]>(() => {});
    for (const holdersOf of [async () => [], async () => Promise.reject(new Error("Graph is down")), neverAnswers]) {
      const { ctx } = contextFor([], { holdersOf });
      const refusal = await authorize(ctx, "invitation.decline");
      expect(refusal?.code).to.equal(POLICY_ERRORS.missingRole);
      expect(refusal?.message).to.include(s.errors.askAnAdmin);
    }
  });
});
