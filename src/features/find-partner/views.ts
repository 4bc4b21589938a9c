import type { Banner, FindQuery } from "../../cards/models.js";
import { formatMessage } from "../../cards/messages.js";
import type { AdaptiveCardJson } from "../../cards/render.js";
import { ORGANIZATION_SIZES } from "../../domain/partner.js";
import type { SearchPage } from "../../partner-directory/search.js";
import type { ViewContext } from "../types.js";
import { typeNames } from "../cardText.js";

export const ANY_SIZE = "any";

export function searchFormCard(ctx: ViewContext, query: FindQuery, banner: Banner | null = null): AdaptiveCardJson {
  const s = ctx.strings.findPartner;
  return ctx.card("findPartnerForm", {
    ...query,
    size: query.size || ANY_SIZE,
    sizes: [{ title: s.sizeAny, value: ANY_SIZE }, ...ORGANIZATION_SIZES.map((size) => ({ title: s.sizes[size], value: size }))],
    banner,
  });
}

/**
 * One page of ranked results, a compact row per partner with its own toggle (`pick.<partnerId>`) beside its name
 * and its details on demand. Selections survive paging: ticked partners on other pages travel in `carried` (card
 * data), the ones on this page come back ticked.
 */
export function resultsCard(
  ctx: ViewContext,
  query: FindQuery,
  page: SearchPage,
  selected: ReadonlySet<string>,
  banner: Banner | null = null,
): AdaptiveCardJson {
  const s = ctx.strings;
  const onPage = new Set(page.hits.map((h) => h.partner.id));
  const carried = [...selected].filter((id) => !onPage.has(id));
  const base = { location: query.location, size: query.size, keywords: query.keywords, carried: carried.join(",") };
  const criteria = [
    query.keywords,
    query.location || s.findPartner.anywhere,
    query.size && query.size !== ANY_SIZE ? s.findPartner.sizes[query.size as keyof typeof s.findPartner.sizes] : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return ctx.card("findPartnerResults", {
    banner,
    summary: formatMessage(s, s.findPartner.resultsSummary, { count: page.total, page: page.page + 1, pageCount: page.pageCount }),
    criteria: formatMessage(s, s.findPartner.criteria, { criteria }),
    hits: page.hits.map((hit, i) => {
      const typesText = typeNames(hit.partner.types, s);
      const places = hit.partner.locations.map((l) => `${l.city}, ${l.country}`);
      return {
        rank: page.page * page.pageSize + i + 1,
        id: hit.partner.id,
        name: hit.partner.name,
        // The row shows who and where at a glance; Details opens the rest.
        summaryText: [typesText, places[0]].filter(Boolean).join(" · "),
        typesText,
        locationText: places.join("; "),
        servicesText: hit.partner.services.join(", "),
        selected: selected.has(hit.partner.id),
      };
    }),
    carriedCount: carried.length,
    carriedText: formatMessage(s, s.findPartner.carried, { count: carried.length }),
    carry: { ...base, page: page.page },
    previousPage: { ...base, page: page.page - 1 },
    nextPage: { ...base, page: page.page + 1 },
    hasPrevious: page.page > 0,
    hasNext: page.page + 1 < page.pageCount,
    query,
  });
}
