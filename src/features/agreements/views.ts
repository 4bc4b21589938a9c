import type { Banner, ConsentGrant } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import type { Agreement } from "../../domain/agreement.js";
import type { ViewContext } from "../types.js";
import type { Verb } from "../verbs.js";
import { simulationLabel } from "../cardText.js";
import { contactFields, type ContactValues } from "./contact.js";

/**
 * The "Accept agreement" step, shared by both paths of the procedure: with an invitation ("Accept &
 * authorize") and for an existing partner without a signed MCA ("Accept"). The version shown is carried
 * back, so an agreement updated in between is never accepted unread. The admin also gives what Partner Center's
 * Agreement record names the person who accepted by (first and last name, work email, optional phone).
 */
export function acceptAgreementCard(
  ctx: ViewContext,
  agreement: Agreement,
  step: {
    title: string;
    intro: string;
    submitTitle: string;
    verb: Verb;
    data: Record<string, unknown>;
    backVerb: Verb;
    backData: Record<string, unknown>;
    /** The step is a GDAP request's (its intro speaks of Microsoft's approval): labelled while Microsoft is simulated. */
    gdap?: boolean;
    /** What accepting grants (an invitation): shown above the tick box, so consent is given to what is seen. */
    grant?: ConsentGrant;
  },
  banner: Banner | null = null,
  typed: ContactValues = {},
): AdaptiveCardJson {
  const { gdap, grant, ...shown } = step;
  return ctx.card("acceptAgreement", {
    ...shown,
    grant: grant ?? null,
    data: { ...step.data, agreementVersion: agreement.version },
    // In the reader's language: the stored title is Microsoft's English name of the same document.
    agreementTitle: ctx.strings.common.agreementName,
    agreementVersionText: formatMessage(ctx.strings, ctx.strings.invitations.agreementVersion, { version: agreement.version }),
    agreementUrl: agreement.url,
    contact: contactFields(ctx, typed),
    banner,
    simulationLabel: simulationLabel(ctx, gdap === true),
  });
}
