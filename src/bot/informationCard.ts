import { renderCard, type ActionStyle, type AdaptiveCardJson } from "../cards/render.js";
import type { Strings } from "../cards/strings.js";
import type { Failure } from "../domain/result.js";
import { POLICY_ERRORS } from "../features/authorize.js";
import { VERBS } from "../features/verbs.js";

/**
 * A refusal that is information, not a failure: the user may not do this, and the card says who can. It gets no
 * reference (there is nothing for support to look up) and no attention colour (nothing went wrong). Any other
 * failure returns undefined and is shown as the error card.
 */
export function informationCard(failure: Failure, strings: Strings, actionStyle: ActionStyle): AdaptiveCardJson | undefined {
  if (failure.code !== POLICY_ERRORS.missingRole) return undefined;
  return renderCard(
    "notice",
    {
      title: strings.errors.refusalTitle,
      message: failure.message,
      facts: [],
      detailsTitle: "",
      details: "",
      actions: [{ title: strings.errors.back, verb: VERBS.menu.show, data: {} }],
      banner: null,
      simulationLabel: "",
    },
    { strings, actionStyle },
  );
}
