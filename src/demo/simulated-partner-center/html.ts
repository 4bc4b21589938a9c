/**
 * HTML for the simulated admin center, escaped by construction: `html` escapes every value put into it unless the
 * value is itself `html`, so a relationship's name or a customer's name (set by whoever called the Graph API) is
 * always text, never markup, in an element or in a double-quoted attribute.
 */

export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

function render(value: unknown): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === undefined || value === null || value === false) return "";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return escapeHtml(String(value));
  throw new TypeError("html`` takes text, numbers, html`` and arrays of them");
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let markup = strings[0] ?? "";
  values.forEach((value, i) => (markup += render(value) + (strings[i + 1] ?? "")));
  return new Html(markup);
}

/** Whoever serves a page also sends these: no script runs, nothing is loaded, and forms post only back here. */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
} as const;

const STYLE = `
body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; color: #242424; background: #f5f5f5; }
.simulated { background: #fde7e9; color: #750b1c; padding: 12px 24px; font-weight: 600; border-bottom: 2px solid #c50f1f; }
main { max-width: 880px; margin: 24px auto; background: #fff; padding: 24px 32px; border-radius: 4px; }
dl { display: grid; grid-template-columns: 12em 1fr; gap: 6px 16px; }
dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e0e0e0; }
button { font: inherit; padding: 6px 16px; margin-right: 8px; cursor: pointer; }
.primary { background: #0f6cbd; color: #fff; border: 1px solid #0f6cbd; }
.danger { background: #c50f1f; color: #fff; border: 1px solid #c50f1f; }
.notice { background: #f0f6ff; padding: 8px 12px; border-left: 4px solid #0f6cbd; }
.broadest { color: #c50f1f; font-weight: 600; }
`;

/** A whole page: the label on top of everything, then the content. */
export function page(title: string, label: string, content: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <div class="simulated" role="note">${label}</div>
        <main>${content}</main>
      </body>
    </html> `.markup;
}
