/**
 * Every card the bot can send, as the gallery and the rendering test see it: each template with each of its
 * samples (test/helpers/cardSamples.ts), expanded in a locale for one action style.
 */
import { TEMPLATES, renderCard, type ActionStyle, type AdaptiveCardJson, type TemplateName } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import { cardSamples } from "./cardSamples.js";

export interface GalleryCard {
  template: TemplateName;
  /** 1-based, in the order of cardSamples. */
  sample: number;
  locale: string;
  card: AdaptiveCardJson;
}

export function galleryCards(locale: string, actionStyle: ActionStyle): GalleryCard[] {
  const s = stringsFor(locale);
  const samples: Record<TemplateName, readonly object[]> = cardSamples(s);
  const missing = (Object.keys(TEMPLATES) as TemplateName[]).filter((name) => !samples[name] || samples[name].length === 0);
  // The types already ask for samples; an empty list would pass them, and the gallery would silently skip a card.
  if (missing.length > 0) throw new Error(`No sample data for template(s) ${missing.join(", ")}: add some to test/helpers/cardSamples.ts`);
  return (Object.keys(TEMPLATES) as TemplateName[]).flatMap((template) =>
    samples[template].map((data, i) => ({
      template,
      sample: i + 1,
      locale,
      card: renderCard(template, data as never, { strings: s, actionStyle }),
    })),
  );
}
