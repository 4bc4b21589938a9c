import { z } from "zod";
import { connectPartner, disconnectPartner, recordFailedCheck } from "../../domain/connectionDecisions.js";
import { ok } from "../../domain/result.js";
import { conflictBanner } from "../commitDecision.js";
import { decisionContext } from "../decisionContext.js";
import type { Ports } from "../ports.js";
import { defineRoute, type FeatureContext, type Outcome } from "../types.js";
import { VERBS } from "../verbs.js";
import { connectedBanner, connectionCard, isPartnersToFix, refusalBanner } from "./connectionView.js";
import { actingPartner } from "./partnerActor.js";
import type { Banner } from "../../cards/models.js";
import type { Partner } from "../../domain/partner.js";

/** The connection cards read the directory (who the partner is), the connection, Microsoft, and decide. */
export type ConnectionContext = FeatureContext<Pick<Ports, "partners" | "connections" | "microsoft" | "decisions">>;

/**
 * The partner's tenant is the acting contact's own (the channel vouched for it), never one from card data: a
 * contact connects only the tenant they sign in to Teams with, and the buttons carry no data at all.
 */
const NoData = z.object({}).strict();

async function show(ctx: ConnectionContext, partner: Partner, banner: Banner | null): Promise<Outcome> {
  const partnerTenantId = ctx.identity.tenantId;
  const connection = await ctx.ports.connections.get(partnerTenantId, partner.id);
  const consentUrl = ctx.ports.microsoft.adminConsentLink(partnerTenantId);
  return ok({ card: connectionCard(ctx, { partner, partnerTenantId, connection: connection?.value, consentUrl, banner }) });
}

/** "Connect to Microsoft" (text: connect): what connecting means and needs, the consent link, check, disconnect. */
export const partnerConnection = defineRoute({
  verb: VERBS.partnerSide.connection,
  schema: NoData,
  async handle(_input, ctx: ConnectionContext) {
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    return show(ctx, partner.value, null);
  },
});

/**
 * "Check connection": lists the partner's GDAP relationships with an app-only token in its tenant. Success is
 * stored and audited (connected, with the count Graph showed); a refusal names what is missing. It is stored (and
 * audited) only for a connected partner and a reason the partner must fix, so its cards stop saying "connected".
 */
export const partnerCheckConnection = defineRoute({
  verb: VERBS.partnerSide.checkConnection,
  schema: NoData,
  async handle(_input, ctx: ConnectionContext) {
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    const [checked, read] = await Promise.all([
      ctx.ports.microsoft.checkConnection(ctx.identity.tenantId),
      ctx.ports.connections.get(ctx.identity.tenantId, partner.value.id),
    ]);
    if (!checked.ok) {
      const failed = recordFailedCheck(read?.value, checked.code, isPartnersToFix(checked.code), decisionContext(ctx));
      // A refused commit only means someone else checked meanwhile; the card shows what is stored either way.
      if (failed) await ctx.ports.decisions.commit(failed.decision, [read]);
      return show(ctx, partner.value, refusalBanner(ctx, checked, failed !== undefined));
    }
    const decided = connectPartner(
      read?.value,
      { partnerId: partner.value.id, relationships: checked.value.relationships },
      decisionContext(ctx),
    );
    const committed = await ctx.ports.decisions.commit(decided.decision, [read]);
    if (!committed.ok) return show(ctx, partner.value, conflictBanner(ctx));
    return show(ctx, partner.value, connectedBanner(ctx, checked.value.relationships));
  },
});

/** "Disconnect": Partner Desk stops acting for the partner; stored and audited. The consent is the tenant's to remove. */
export const partnerDisconnect = defineRoute({
  verb: VERBS.partnerSide.disconnect,
  schema: NoData,
  async handle(_input, ctx: ConnectionContext) {
    const partner = await actingPartner(ctx);
    if (!partner.ok) return partner;
    const s = ctx.strings.partnerSide.connection;
    const read = await ctx.ports.connections.get(ctx.identity.tenantId, partner.value.id);
    const decided = disconnectPartner(read?.value, decisionContext(ctx));
    if (!decided.ok) return show(ctx, partner.value, { text: s.notConnectedBanner, style: "warning" });
    const committed = await ctx.ports.decisions.commit(decided.value.decision, [read]);
    if (!committed.ok) return show(ctx, partner.value, conflictBanner(ctx));
    return show(ctx, partner.value, { text: s.disconnectedBanner, style: "good" });
  },
});
