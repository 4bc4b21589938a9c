/**
 * 2. Storage round trips per user action: every request the bot's Table Storage clients send while one action
 * runs alone (a pipeline policy in the bot process counts them, including work the bot does after it has
 * answered, such as storing the conversation reference). Warm = a user who has talked to the bot before in
 * this conversation (roles cached, reference stored), the steady state; cold = a user's very first turn.
 */
import { stringsFor } from "../src/cards/strings.js";
import { DEMO } from "../src/demo/constants.js";
import type { Child } from "./lib/child.js";
import type { StorageCall } from "./lib/storageCounter.js";
import { ACCEPTING_CONTACT, RT } from "./servers/fixtures.js";
import { STEADY } from "./servers/steadyFixtures.js";
import { LoadGenerator, type Step, type Talker } from "./turns/load.js";

export interface ActionTrips {
  action: string;
  kind: "message" | "invoke";
  who: "admin" | "partner contact";
  trips: number;
  calls: StorageCall[];
  target: number;
  met: boolean;
  error?: string;
}

export interface RoundTripsResult {
  warm: ActionTrips[];
  cold: ActionTrips[];
  /** What a first turn adds: the calls a cold action makes beyond the same action warm. */
  coldExtra: string[];
  /** Steady-state reads that once scanned every customer's partition: a partner's home, the GDAP sync's passes. */
  steady?: SteadyTrips[];
}

export interface SteadyTrips {
  pass: string;
  requests: number;
  /** Of those, queries that name no PartitionKey (a table scan on Azure Tables): 0 is the point. */
  acrossPartitions: number;
  calls: StorageCall[];
  error?: string;
}

const TARGET = { invoke: 3, message: 2 } as const;
const errorTitle = stringsFor("en").errors.title;

const warmAdmin: Talker = { index: 9000, tenantId: RT.tenantId, userId: RT.warmAdmin, name: "RT Warm Admin", conversationId: "a:rt-warm" };
const coldAdmin = (i: number): Talker => ({
  index: 9100 + i,
  tenantId: RT.tenantId,
  userId: RT.coldAdmin(i),
  name: `RT Cold Admin ${i}`,
  conversationId: `a:rt-cold-${i}`,
});
const partnerContact: Talker = {
  index: 9200,
  tenantId: DEMO.partnerContact.tenantId,
  userId: DEMO.partnerContact.userId,
  name: DEMO.partnerContact.name,
  conversationId: "a:rt-partner",
};

const message = (text: string): Step => ({
  kind: "message",
  label: `message "${text}"`,
  text,
  check: (a: any) => (JSON.stringify(a).includes(errorTitle) ? `error card: ${JSON.stringify(a).slice(0, 300)}` : undefined),
});
const invoke = (verb: string, data: Record<string, unknown> = {}, extraCheck?: (body: any) => string | undefined): Step => ({
  kind: "invoke",
  label: `invoke ${verb}`,
  verb,
  data,
  check: (b: any) => (JSON.stringify(b).includes(errorTitle) ? `error card: ${JSON.stringify(b).slice(0, 300)}` : extraCheck?.(b)),
});

export async function runRoundTrips(
  desk: Child,
  log: (line: string) => void,
  authorize?: (serviceUrl: string) => Promise<string>,
): Promise<RoundTripsResult> {
  const botUrl = (await desk.call<{ url: string }>("info")).url;
  await desk.call("setupRoundTrips", {}, 60_000);
  const generator = await new LoadGenerator(4, authorize).start();
  const count = async (talker: Talker, step: Step, who: ActionTrips["who"]): Promise<ActionTrips & { body?: string }> => {
    await desk.call("trips.start");
    const sample = await generator.turn(botUrl, talker, step, 15_000);
    const calls = await desk.call<StorageCall[]>("trips.stop", { quietMs: 250, maxMs: 5_000 });
    const target = TARGET[step.kind];
    const result: ActionTrips = {
      action: step.label,
      kind: step.kind,
      who,
      trips: calls.length,
      calls,
      target,
      met: calls.length <= target,
      ...(sample.error ? { error: sample.error } : {}),
    };
    log(
      `  ${step.label.padEnd(42)} ${String(calls.length).padStart(2)} round trips${sample.error ? `  ERROR ${sample.error.slice(0, 120)}` : ""}`,
    );
    return result;
  };
  try {
    // Cold: each action is some admin's first turn ever.
    const cold: ActionTrips[] = [];
    cold.push(await count(coldAdmin(0), message("help"), "admin"));
    cold.push(await count(coldAdmin(1), invoke("invitations.show", { invitationId: RT.invitations.showCold }), "admin"));
    cold.push(
      await count(
        coldAdmin(2),
        invoke("invitations.accept", {
          invitationId: RT.invitations.acceptCold,
          agreementVersion: DEMO.agreementVersion,
          agreed: "true",
          ...ACCEPTING_CONTACT,
        }),
        "admin",
      ),
    );
    cold.push(await count(coldAdmin(3), invoke("partners.list"), "admin"));

    // Warm: the admin (and the partner contact) talked to the bot in this conversation before.
    await generator.turn(botUrl, warmAdmin, message("help"), 15_000);
    await generator.turn(botUrl, partnerContact, message("help"), 15_000);
    const warm: ActionTrips[] = [];
    for (const text of ["help", "find partner", "invitations", "partners", "partner types"])
      warm.push(await count(warmAdmin, message(text), "admin"));
    const steps: Step[] = [
      invoke("menu.show"),
      invoke("partnerTypes.show"),
      invoke("findPartner.start"),
      invoke("findPartner.search", { location: "Sweden", size: "any", keywords: "security", page: 0 }),
      invoke("findPartner.contactForm", { location: "", size: "any", keywords: "", page: 0, selected: DEMO.invitingPartnerId }),
    ];
    for (const step of steps) warm.push(await count(warmAdmin, step, "admin"));
    // "Send" stores a contact request; the partner side below answers it, so read its reference from the card.
    let contactRequestId = "";
    const send = invoke(
      "findPartner.send",
      {
        partnerIds: DEMO.invitingPartnerId,
        businessNeeds: "Move 300 mailboxes to Exchange Online",
        organization: "Round Trip Corp",
        contactName: "RT Warm Admin",
      },
      (body) => {
        contactRequestId = /CR-[0-9A-F]{10}/.exec(JSON.stringify(body))?.[0] ?? "";
        return contactRequestId ? undefined : `no contact request reference in ${JSON.stringify(body).slice(0, 300)}`;
      },
    );
    warm.push(await count(warmAdmin, send, "admin"));
    const more: Step[] = [
      invoke("invitations.list"),
      invoke("invitations.show", { invitationId: RT.invitations.show }),
      invoke("invitations.review", { invitationId: RT.invitations.show }),
      invoke("invitations.accept", {
        invitationId: RT.invitations.acceptWarm,
        agreementVersion: DEMO.agreementVersion,
        agreed: "true",
        ...ACCEPTING_CONTACT,
      }),
      invoke("invitations.declineForm", { invitationId: RT.invitations.decline }),
      invoke("invitations.decline", { invitationId: RT.invitations.decline, reason: "Not this quarter" }),
      invoke("partners.list"),
      invoke("partners.show", { partnerId: RT.partners.removeRoles }),
      invoke("agreement.review", { partnerId: RT.partners.agreement }),
      invoke("agreement.accept", {
        partnerId: RT.partners.agreement,
        agreementVersion: DEMO.agreementVersion,
        agreed: "true",
        ...ACCEPTING_CONTACT,
      }),
      invoke("relationship.removeRolesConfirm", { partnerId: RT.partners.removeRoles }),
      invoke("relationship.removeRoles", { partnerId: RT.partners.removeRoles }),
      invoke("relationship.endForm", { partnerId: RT.partners.end }),
      invoke("relationship.requestEnd", { partnerId: RT.partners.end, message: "We are consolidating providers" }),
    ];
    for (const step of more) warm.push(await count(warmAdmin, step, "admin"));
    const partnerSteps: Step[] = [
      invoke("partner.invitationForm", { customerTenantId: RT.tenantId, contactRequestId }),
      invoke("partner.sendInvitation", {
        customerTenantId: RT.tenantId,
        contactRequestId,
        types: "reseller",
        roles: "",
        durationDays: 180,
        message: "Happy to help",
      }),
      invoke("partner.confirmEnd", { customerTenantId: RT.tenantId }),
    ];
    for (const step of partnerSteps) warm.push(await count(partnerContact, step, "partner contact"));

    const warmByAction = new Map(warm.map((w) => [w.action, w]));
    const coldExtra = cold.flatMap((c) => {
      const same = warmByAction.get(c.action);
      if (!same) return [];
      const remaining = [...same.calls.map((x) => x.what)];
      const extra = c.calls
        .map((x) => x.what)
        .filter((what) => {
          const i = remaining.indexOf(what);
          if (i >= 0) {
            remaining.splice(i, 1);
            return false;
          }
          return true;
        });
      return [`${c.action}: +${c.trips - same.trips} (${extra.join("; ") || "none"})`];
    });
    return { warm, cold, coldExtra, steady: await steadyPasses(desk, botUrl, generator, log) };
  } finally {
    await generator.stop();
  }
}

/**
 * The steady-state passes: the demo partner's home views with records in many customer tenants, and the GDAP status
 * sync over several connected partners, a full pass and then an idle one (every partner checked within the hour).
 */
async function steadyPasses(desk: Child, botUrl: string, generator: LoadGenerator, log: (line: string) => void): Promise<SteadyTrips[]> {
  await desk.call("steady.setup", { partnerId: DEMO.invitingPartnerId }, 120_000);
  log(`  steady state: ${STEADY.customers} more customers of the partner, ${STEADY.connectedPartners} connected partners`);
  const out: SteadyTrips[] = [];
  const measure = async (pass: string, act: () => Promise<string | undefined>) => {
    await desk.call("trips.start");
    const error = await act();
    const calls = await desk.call<StorageCall[]>("trips.stop", { quietMs: 250, maxMs: 5_000 });
    const across = calls.filter((c) => c.acrossPartitions).length;
    out.push({ pass, requests: calls.length, acrossPartitions: across, calls, ...(error ? { error } : {}) });
    log(`  ${pass.padEnd(42)} ${String(calls.length).padStart(3)} requests, ${across} across partitions${error ? `  ERROR ${error}` : ""}`);
  };
  for (const view of ["requests", "invitations", "customers"]) {
    const step = invoke(`partnerSide.${view}`);
    await measure(`partner home: ${view}`, async () => (await generator.turn(botUrl, partnerContact, step, 15_000)).error);
  }
  await measure(`GDAP sync pass (${STEADY.connectedPartners} partners)`, async () => {
    await desk.call("steady.gdapSyncPass", { freshWithinMs: 0 }, 60_000);
    return undefined;
  });
  await measure(`GDAP sync idle pass (all checked)`, async () => {
    await desk.call("steady.gdapSyncPass", { freshWithinMs: 3_600_000 }, 60_000);
    return undefined;
  });
  return out;
}
