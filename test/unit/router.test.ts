import { expect } from "chai";
import { z } from "zod";
import { ActionRouter, ROUTER_ERRORS, isPayloadFailure, splitSubmitValue } from "../../src/bot/router.js";
import { renderCard, type AdaptiveCardJson, type TemplateName } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { DEMO } from "../../src/demo/constants.js";
import { fail, ok, type Failure } from "../../src/domain/result.js";
import { ROUTES } from "../../src/features/index.js";
import { MENU } from "../../src/features/menu/entries.js";
import { TEXT_COMMANDS } from "../helpers/legacyTextCommands.js";
import { defineRoute, type FeatureContext, type Outcome, type Route } from "../../src/features/types.js";
import { portsNobodyUses } from "../helpers/ports.js";
import { VERBS, type Verb } from "../../src/features/verbs.js";
import { StorageConflictError } from "../../src/storage/errors.js";

const strings = stringsFor("en");

/** A card small enough to compare whole; its text says which template a handler asked for. */
const tinyCard = (name: TemplateName, data: object): AdaptiveCardJson => ({
  type: "AdaptiveCard",
  version: "1.5",
  body: [{ type: "TextBlock", text: name }],
  data,
});

function context(overrides: Partial<FeatureContext> = {}): FeatureContext {
  return {
    identity: { tenantId: DEMO.admin.tenantId, userId: DEMO.admin.userId, name: DEMO.admin.name, locale: "en-US" },
    roles: async () => [],
    strings,
    card: tinyCard,
    ports: portsNobodyUses(),
    correlationId: "corr-1",
    now: new Date("2025-01-01T00:00:00Z"),
    ...overrides,
  };
}

/** A route that records what it was called with. */
function recordingRoute() {
  const calls: unknown[] = [];
  const route = defineRoute({
    verb: VERBS.invitations.show,
    schema: z
      .object({
        invitationId: z
          .string()
          .min(1)
          .transform((id) => id.toUpperCase()),
        page: z.coerce.number().int().default(1),
      })
      .strict(),
    async handle(input, ctx) {
      calls.push(input);
      return ok({ card: ctx.card("error", { message: JSON.stringify(input), reference: "" }) });
    },
  });
  return { route, calls };
}

const throwingRoute = (verb: Verb, error: unknown): Route =>
  defineRoute({
    verb,
    schema: z.object({}),
    async handle(): Promise<Outcome> {
      throw error;
    },
  });

const expectFailure = (outcome: Outcome): Failure => {
  expect(outcome.ok, "expected a failure").to.equal(false);
  return outcome as Failure;
};

describe("ActionRouter", () => {
  it("routes a verb to its handler with the input as the schema parsed and transformed it", async () => {
    const { route, calls } = recordingRoute();
    const router = new ActionRouter([route]);
    const outcome = await router.dispatch(VERBS.invitations.show, { invitationId: "inv-7", page: "2" }, context());
    expect(calls).to.deep.equal([{ invitationId: "INV-7", page: 2 }]);
    expect(outcome).to.deep.equal(
      ok({ card: tinyCard("error", { message: JSON.stringify({ invitationId: "INV-7", page: 2 }), reference: "" }) }),
    );
  });

  it("hands the handler the turn's context", async () => {
    let seen: FeatureContext | undefined;
    const router = new ActionRouter([
      defineRoute({
        verb: VERBS.menu.show,
        schema: z.object({}),
        async handle(_input, ctx) {
          seen = ctx;
          return ok({ card: ctx.card("welcome", { items: [], note: "" }) });
        },
      }),
    ]);
    const ctx = context({ correlationId: "corr-42" });
    await router.dispatch(VERBS.menu.show, {}, ctx);
    expect(seen).to.equal(ctx);
  });

  it("parses a missing payload as an empty object", async () => {
    const calls: unknown[] = [];
    const router = new ActionRouter([
      defineRoute({
        verb: VERBS.relationships.list,
        schema: z.object({ page: z.number().default(3) }),
        async handle(input, ctx) {
          calls.push(input);
          return ok({ card: ctx.card("error", { message: JSON.stringify(input), reference: "" }) });
        },
      }),
    ]);
    const outcome = await router.dispatch(VERBS.relationships.list, undefined, context());
    expect(outcome.ok).to.equal(true);
    expect(calls).to.deep.equal([{ page: 3 }]);
  });

  it("answers an unknown verb with ACTION.UNKNOWN and the strings' message", async () => {
    const { route, calls } = recordingRoute();
    const failure = expectFailure(await new ActionRouter([route]).dispatch("invitation.delete", {}, context()));
    expect(failure.code).to.equal(ROUTER_ERRORS.unknown).and.to.equal("ACTION.UNKNOWN");
    expect(failure.message).to.equal(strings.errors.unknownAction);
    expect(failure.details).to.deep.equal({ verb: "invitation.delete" });
    expect(calls).to.be.empty;
  });

  it("answers a verb that is not a string with ACTION.UNKNOWN and names its type, not its value", async () => {
    const router = new ActionRouter([recordingRoute().route]);
    for (const verb of [42, undefined, null, { toString: () => VERBS.invitations.show }, [VERBS.invitations.show]]) {
      const failure = expectFailure(await router.dispatch(verb, {}, context()));
      expect(failure.code, String(verb)).to.equal("ACTION.UNKNOWN");
      expect(failure.details?.["verb"]).to.equal(typeof verb);
    }
  });

  it("keeps at most 100 characters of an unknown verb in the failure details", async () => {
    const failure = expectFailure(await new ActionRouter([]).dispatch("x".repeat(5000), {}, context()));
    expect(failure.details?.["verb"]).to.have.length(100);
  });

  it("does not treat inherited object keys as verbs", async () => {
    const failure = expectFailure(await new ActionRouter([recordingRoute().route]).dispatch("constructor", {}, context()));
    expect(failure.code).to.equal("ACTION.UNKNOWN");
  });

  it("refuses a payload that fails the schema with ACTION.INVALID, lists the issues and never calls the handler", async () => {
    const { route, calls } = recordingRoute();
    const failure = expectFailure(
      await new ActionRouter([route]).dispatch(VERBS.invitations.show, { invitationId: "", extra: true }, context()),
    );
    expect(failure.code).to.equal(ROUTER_ERRORS.invalid).and.to.equal("ACTION.INVALID");
    expect(failure.message).to.equal(strings.errors.invalidAction);
    expect(failure.details?.["verb"]).to.equal(VERBS.invitations.show);
    const issues = failure.details?.["issues"] as string[];
    expect(issues).to.be.an("array").with.length.of.at.least(2);
    expect(issues.some((issue) => issue.startsWith("invitationId: "))).to.equal(true);
    expect(calls).to.be.empty;
  });

  it("names the whole payload as (data) when it is not an object at all", async () => {
    const { route } = recordingRoute();
    const failure = expectFailure(await new ActionRouter([route]).dispatch(VERBS.invitations.show, "inv-7", context()));
    expect(failure.details?.["issues"])
      .to.be.an("array")
      .that.satisfies((issues: string[]) => issues.every((i) => i.startsWith("(data): ")));
  });

  it("turns a StorageConflictError into STORAGE.CONFLICT with the strings' conflict message", async () => {
    const router = new ActionRouter([throwingRoute(VERBS.invitations.accept, new StorageConflictError("pdInvitations", "inv-7"))]);
    const outcome = await router.dispatch(VERBS.invitations.accept, {}, context());
    expect(outcome).to.deep.equal(fail("STORAGE.CONFLICT", strings.errors.conflict));
  });

  it("lets every other error propagate to the caller", async () => {
    const boom = new Error("table service unavailable");
    const router = new ActionRouter([throwingRoute(VERBS.invitations.accept, boom)]);
    let caught: unknown;
    try {
      await router.dispatch(VERBS.invitations.accept, {}, context());
    } catch (error) {
      caught = error;
    }
    expect(caught).to.equal(boom);
  });

  it("returns a handler's own failure unchanged", async () => {
    const denied = fail("POLICY.MISSING_ROLE", "You need the Global administrator role.");
    const router = new ActionRouter([defineRoute({ verb: VERBS.invitations.accept, schema: z.object({}), handle: async () => denied })]);
    expect(await router.dispatch(VERBS.invitations.accept, {}, context())).to.equal(denied);
  });

  it("answers a verb renamed since an older card was sent with the route that answers it now", async () => {
    const calls: unknown[] = [];
    const router = new ActionRouter([
      defineRoute({
        verb: VERBS.relationships.show,
        schema: z.object({ partnerId: z.string().min(1) }).strict(),
        handle(input, ctx) {
          calls.push(input);
          return Promise.resolve(ok({ card: ctx.card("error", { message: input.partnerId, reference: "" }) }));
        },
      }),
    ]);
    const outcome = await router.dispatch("partners.show", { partnerId: "northwind" }, context());
    expect(outcome.ok).to.equal(true);
    expect(calls).to.deep.equal([{ partnerId: "northwind" }]);
    expect(router.has("partners.show")).to.equal(true);
    // The failure names the verb as it is called now, so logs of old and new cards read alike.
    const failure = expectFailure(await router.dispatch("partners.show", { partnerId: "" }, context()));
    expect(failure.code).to.equal("ACTION.INVALID");
    expect(failure.details?.["verb"]).to.equal(VERBS.relationships.show);
  });

  it("does not answer an old verb whose new name has no route in this router", async () => {
    const router = new ActionRouter([recordingRoute().route]);
    expect(router.has("partners.show")).to.equal(false);
    expect(expectFailure(await router.dispatch("partners.show", {}, context())).code).to.equal("ACTION.UNKNOWN");
  });

  it("refuses to be built with two routes for the same verb", () => {
    const { route } = recordingRoute();
    expect(() => new ActionRouter([route, recordingRoute().route])).to.throw(/two routes claim the verb invitations\.show/);
  });

  it("says which verbs it has", () => {
    const router = new ActionRouter([recordingRoute().route]);
    expect(router.has(VERBS.invitations.show)).to.equal(true);
    expect(router.has(VERBS.invitations.accept)).to.equal(false);
  });
});

describe("splitSubmitValue", () => {
  it("takes the verb out of the submitted value and drops Teams' msteams field", () => {
    const { verb, data } = splitSubmitValue({ verb: "invitation.show", msteams: { type: "messageBack" }, invitationId: "inv-7", page: 2 });
    expect(verb).to.equal("invitation.show");
    expect(data).to.deep.equal({ invitationId: "inv-7", page: 2 });
  });

  it("leaves the verb undefined when the value has none", () => {
    const { verb, data } = splitSubmitValue({ invitationId: "inv-7" });
    expect(verb).to.equal(undefined);
    expect(data).to.deep.equal({ invitationId: "inv-7" });
  });
});

describe("isPayloadFailure", () => {
  it("is true for an unknown verb and an invalid payload", () => {
    expect(isPayloadFailure(fail("ACTION.UNKNOWN", "x"))).to.equal(true);
    expect(isPayloadFailure(fail("ACTION.INVALID", "x"))).to.equal(true);
  });

  it("is false for a conflict, an identity problem or a policy refusal", () => {
    for (const code of ["STORAGE.CONFLICT", "IDENTITY.NO_TENANT", "POLICY.MISSING_ROLE", "UNEXPECTED"]) {
      expect(isPayloadFailure(fail(code, "x")), code).to.equal(false);
    }
  });
});

describe("the bot's routes", () => {
  it("claims every verb once", () => {
    const verbs = ROUTES.map((route) => route.verb);
    expect(new Set(verbs).size).to.equal(verbs.length);
    expect(() => new ActionRouter(ROUTES)).to.not.throw();
  });

  it("has a route for every verb in the main menu", () => {
    const router = new ActionRouter(ROUTES);
    expect(MENU).to.not.be.empty;
    for (const entry of MENU) expect(router.has(entry.verb), entry.verb).to.equal(true);
  });

  it("has a route for every text command", () => {
    const router = new ActionRouter(ROUTES);
    expect(TEXT_COMMANDS.size).to.be.greaterThan(0);
    for (const [command, verb] of TEXT_COMMANDS) expect(router.has(verb), `${command} -> ${verb}`).to.equal(true);
  });

  // Routes that read storage are walked end to end (test/e2e/admin-journey.test.ts); these need nothing but strings.
  it("answers the storage-free menu buttons with a card when pressed with no data, as a menu button sends it", async () => {
    const router = new ActionRouter(ROUTES);
    // The menu asks the directory who the user is (a partner's contact gets the partner's menu); this one is not.
    const partners = {
      partnerOfContact: async () => undefined,
      get: async () => undefined,
      search: async () => ({}) as never,
      places: async () => [],
    };
    const roleHolders = { holdersOf: async () => [] };
    const ctx = context({
      card: (name, data) => renderCard(name, data, { strings, actionStyle: "execute" }),
      ports: portsNobodyUses({ partners, roleHolders }),
    });
    for (const route of ROUTES.filter((r) =>
      new Set<Verb>([VERBS.menu.show, VERBS.partnerTypes.show, VERBS.findPartner.start]).has(r.verb),
    )) {
      const outcome = await router.dispatch(route.verb, {}, ctx);
      expect(outcome.ok, route.verb).to.equal(true);
      if (outcome.ok) expect(outcome.value.card.type).to.equal("AdaptiveCard");
    }
  });
});
