import { fail, type Failure } from "../domain/result.js";
import type { FeatureContext, Outcome, Route } from "../features/types.js";
import { currentVerb, type Verb } from "../features/verbs.js";
import { isStorageUnavailable, StorageConflictError } from "../storage/errors.js";
import { isStorageOutcomeUnknown } from "../storage/timeouts.js";

export const ROUTER_ERRORS = {
  unknown: "ACTION.UNKNOWN",
  invalid: "ACTION.INVALID",
  conflict: "STORAGE.CONFLICT",
  unavailable: "STORAGE.UNAVAILABLE",
  outcomeUnknown: "STORAGE.OUTCOME_UNKNOWN",
} as const;

/** Failures caused by the payload itself: on the Teams path these become an HTTP-400-style invoke error. */
export const isPayloadFailure = (failure: Failure): boolean =>
  failure.code === ROUTER_ERRORS.unknown || failure.code === ROUTER_ERRORS.invalid;

/**
 * The one way from a card verb to a handler. Pure: no botbuilder, no I/O of its own, so it is tested alone.
 * Teams (invoke adaptiveCard/action) and the Emulator (message with value) both end up here.
 * A verb that was renamed still reaches its route (see LEGACY_VERBS): cards already in people's chats keep it.
 */
export class ActionRouter {
  private readonly routes = new Map<Verb, Route>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      if (this.routes.has(route.verb)) throw new Error(`two routes claim the verb ${route.verb}`);
      this.routes.set(route.verb, route);
    }
  }

  /** Whether a card sending this verb (current or renamed) gets an answer. */
  has(verb: string): boolean {
    return this.routeFor(verb) !== undefined;
  }

  async dispatch(verb: unknown, data: unknown, ctx: FeatureContext): Promise<Outcome> {
    const route = this.routeFor(verb);
    if (!route) {
      return fail(ROUTER_ERRORS.unknown, ctx.strings.errors.unknownAction, {
        verb: typeof verb === "string" ? verb.slice(0, 100) : typeof verb,
      });
    }
    const parsed = route.schema.safeParse(data ?? {});
    if (!parsed.success) {
      return fail(ROUTER_ERRORS.invalid, ctx.strings.errors.invalidAction, {
        verb: route.verb,
        issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(data)"}: ${issue.message}`),
      });
    }
    try {
      return await route.handle(parsed.data, ctx);
    } catch (error) {
      // A concurrent change is expected, not a crash: the user is told, nothing was written.
      if (error instanceof StorageConflictError) return fail(ROUTER_ERRORS.conflict, ctx.strings.errors.conflict);
      // Before "unavailable": a write that got no answer in time may have been stored, so "nothing was changed" would
      // not be known to be true.
      if (isStorageOutcomeUnknown(error)) return fail(ROUTER_ERRORS.outcomeUnknown, ctx.strings.errors.storageOutcomeUnknown);
      if (isStorageUnavailable(error)) return fail(ROUTER_ERRORS.unavailable, ctx.strings.errors.storageUnavailable);
      throw error;
    }
  }

  private routeFor(sent: unknown): Route | undefined {
    const verb = currentVerb(sent);
    return verb === undefined ? undefined : this.routes.get(verb);
  }
}

/** Card data comes back with the verb (Emulator: inside `value`) and, in Teams, with a `msteams` field we ignore. */
export function splitSubmitValue(value: Record<string, unknown>): { verb: unknown; data: Record<string, unknown> } {
  const { verb, msteams: _msteams, ...data } = value;
  return { verb, data };
}
