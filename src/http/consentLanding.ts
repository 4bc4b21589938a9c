import { z } from "zod";

/**
 * The page Microsoft's admin consent endpoint sends a partner's administrator back to ("Admin consent on the
 * Microsoft identity platform": `admin_consent=True&tenant=…` on success, `error=…&error_description=…` when
 * consent was not given). It only tells the person what happened and what to do next: the connection itself is
 * proven in chat, where "Check connection" lists the partner's relationships with a token in its tenant. Nothing
 * here is trusted or stored; every value is escaped.
 */

const QuerySchema = z.object({
  admin_consent: z.string().max(10).optional(),
  tenant: z.string().max(100).optional(),
  error: z.string().max(100).optional(),
  error_description: z.string().max(1000).optional(),
});

export interface LandingPage {
  status: number;
  html: string;
  headers: Record<string, string>;
}

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  // The page runs no script and loads nothing; the query holds a tenant id, which no other site needs to see.
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Reads the query of the consent redirect and says, in plain words, what happened and what to do next. */
export function consentLandingPage(search: URLSearchParams): LandingPage {
  const parsed = QuerySchema.safeParse(Object.fromEntries(search));
  const query = parsed.success ? parsed.data : {};
  if (query.error !== undefined) {
    // AADSTS codes lead the description; the first line is what an administrator can act on.
    const reason = (query.error_description ?? query.error).split(/\r?\n/)[0] ?? query.error;
    return page(200, "Consent was not given", [
      `Microsoft answered: ${reason}`,
      "Partner Desk can't act for your organization until a Global administrator (or a Privileged Role Administrator) of your tenant consents. Go back to Partner Desk in Teams, open Connect to Microsoft and use the consent link again.",
    ]);
  }
  if (query.admin_consent?.toLowerCase() === "true") {
    return page(200, "Consent given", [
      query.tenant
        ? `Your organization (tenant ${query.tenant}) consented to Partner Desk.`
        : "Your organization consented to Partner Desk.",
      "Go back to Partner Desk in Teams and press Check connection. Microsoft can take a few minutes before the permission works; if the check says consent is missing, try again shortly.",
    ]);
  }
  return page(400, "Nothing to show here", [
    "This page is where Microsoft sends an administrator after consenting to Partner Desk. To connect your organization, open Partner Desk in Teams and type connect.",
  ]);
}

function page(status: number, title: string, paragraphs: string[]): LandingPage {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner Desk: ${escapeHtml(title)}</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#242424}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
  return { status, html, headers: HEADERS };
}
