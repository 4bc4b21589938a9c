import type { Banner } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { CarriedOutRemoval } from "../../domain/microsoftRemoval.js";
import type { Failure } from "../../domain/result.js";
import { GDAP_ERROR } from "../../microsoft/gdap/errors.js";
import { roleNames } from "../cardText.js";
import { refusedAsWaiting, refusedStatus } from "../carryOut.js";
import { gdapStatusText } from "../partner-side/gdapSend.js";
import { MICROSOFT_ERRORS } from "../ports.js";
import type { ViewContext } from "../types.js";

/**
 * What the admin reads after a removal, in exactly Microsoft's words: "removed" only when Graph answered the update
 * with the relationship (200); a 202 is "accepted and carrying it out"; a terminate is "being terminated". A removal
 * recorded only says so and sends the admin to the admin center.
 */
export function removedBanner(ctx: ViewContext, partner: string, roleIds: readonly string[], carried?: CarriedOutRemoval): Banner {
  const s = ctx.strings.partners;
  const roles = roleNames(roleIds, ctx.strings);
  if (!carried) return { text: formatMessage(s, s.rolesRemoved, { partner, roles }), style: "good" };
  const texts: Record<CarriedOutRemoval["answer"], string> = {
    removed: s.removedInMicrosoft,
    accepted: s.removalAcceptedInMicrosoft,
    terminationRequested: s.endRequestedInMicrosoft,
    nothingToRemove: s.nothingToRemoveInMicrosoft,
  };
  return {
    text: formatMessage(s, texts[carried.answer], { partner, roles, status: gdapStatusText(ctx, carried.side.status) }),
    style: "good",
  };
}

/**
 * Why nothing was removed, when Microsoft refused or did not answer: Partner Desk stored nothing, and the card says
 * what happened and where the admin can act (the details card under it links the admin center, or the approval).
 */
export function removalRefusedBanner(ctx: ViewContext, partner: string, failure: Failure): Banner {
  const s = ctx.strings.partners;
  if (refusedAsWaiting(failure)) return { text: formatMessage(s, s.removalWaiting, { partner }), style: "warning" };
  const broken = [
    GDAP_ERROR.NO_CONSENT,
    GDAP_ERROR.PERMISSION_MISSING,
    GDAP_ERROR.SERVICE_PRINCIPAL_MISSING,
    GDAP_ERROR.TOKEN_REFUSED,
    MICROSOFT_ERRORS.localMode,
  ] as string[];
  let text: string;
  if (failure.code === GDAP_ERROR.CONFLICT) text = formatMessage(s, s.removalConflict, { partner });
  else if (failure.code === GDAP_ERROR.UNAVAILABLE) text = formatMessage(s, s.removalUnavailable, { partner });
  else if (broken.includes(failure.code)) text = formatMessage(s, s.removalConnectionBroken, { partner });
  else if (failure.code === GDAP_ERROR.NOT_ACTIVE)
    text = formatMessage(s, s.removalNotActive, { partner, status: gdapStatusText(ctx, refusedStatus(failure)) });
  else text = formatMessage(s, s.removalRefused, { reason: failure.message });
  return { text, style: "attention" };
}
