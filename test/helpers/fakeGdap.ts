import {
  graphError,
  SimulatedPartnerCenter,
  type GdapConsent,
  type GraphAnswer,
  type GraphRequest,
  type SimulatedRelationship,
} from "../../src/demo/simulated-partner-center/index.js";

/**
 * The loopback Microsoft Graph `delegatedAdminRelationships` the tests speak to: the simulated Partner Center of
 * local mode's demo (src/demo/simulated-partner-center, written from Microsoft's pages, with the controls
 * customerApproves, timePasses, terminationCompletes), plus what only tests need: every Graph request recorded, and
 * scripted answers (faults, throttling, an outage) played before Graph's own.
 */

export type { GdapConsent };
export type FakeRelationship = SimulatedRelationship;
export type RecordedGdapRequest = GraphRequest;

export interface ScriptedGdapAnswer {
  status: number;
  retryAfter?: string;
  body?: unknown;
  delayMs?: number;
}

export class FakeGdap extends SimulatedPartnerCenter {
  private readonly script: ScriptedGdapAnswer[] = [];
  readonly requests: RecordedGdapRequest[] = [];
  /** When set, every request gets this answer (an outage) after any scripted ones. */
  outage: ScriptedGdapAnswer | undefined;
  /**
   * Called with each request as it arrives, before it is answered: a test changes a relationship "meanwhile" here
   * (between the bot's read and its PATCH), as Partner Center or another instance would.
   */
  onRequest: ((request: RecordedGdapRequest) => void) | undefined;

  /** Answers the next requests with these, in order, before playing Graph normally again. */
  answerNext(...answers: ScriptedGdapAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  /**
   * Microsoft's auto-extension of a relationship as Graph holds it: "P180D" when on, "PT0S" (or "P0D") when off.
   * The PATCH that changes it is the simulation's (If-Match required, refused with Global Administrator).
   */
  autoExtensionOf(relationshipId: string): string | undefined {
    return this.relationship(relationshipId)?.relationship.autoExtendDuration;
  }

  /** The partner turned auto-extension off in Partner Center (a relationship Partner Desk asked for has it on). */
  autoExtensionTurnedOffElsewhere(relationshipId: string): void {
    this.change(this.find(relationshipId), { autoExtendDuration: "PT0S" });
  }

  /** The PATCHes that asked Graph to change auto-extension, as recorded. */
  autoExtendPatches(): RecordedGdapRequest[] {
    return this.requests.filter(
      (r) => r.method === "PATCH" && (r.body as { autoExtendDuration?: unknown } | undefined)?.autoExtendDuration !== undefined,
    );
  }

  /** Forgets recorded requests, scripts and hooks; keeps partners and relationships. */
  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.outage = undefined;
    this.onRequest = undefined;
    this.activeUpdateAnswer = 202;
    this.pageSize = 100;
  }

  protected override async interceptGraph(request: GraphRequest): Promise<GraphAnswer | undefined> {
    this.requests.push(request);
    this.onRequest?.(request);
    const scripted = this.script.shift() ?? this.outage;
    if (!scripted) return undefined;
    if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
    return {
      status: scripted.status,
      body: scripted.body ?? graphError(codeFor(scripted.status), "scripted"),
      ...(scripted.retryAfter ? { headers: { "retry-after": scripted.retryAfter } } : {}),
    };
  }
}

function codeFor(status: number): string {
  if (status === 429) return "TooManyRequests";
  if (status === 503) return "ServiceUnavailable";
  if (status === 504) return "GatewayTimeout";
  return "UnknownError";
}
