import { stringsFor } from "../../cards/strings.js";
import { roleKeyOf } from "../../domain/roles.js";
import { days, GLOBAL_ADMINISTRATOR } from "./graphRules.js";
import { html, page, type Html } from "./html.js";
import type { GdapConsent, HeldRelationship } from "./ledger.js";

/**
 * The pages of the simulated Microsoft 365 admin center: what the customer's Global administrator sees at a GDAP
 * relationship's approval link (the partner, the roles, the duration; "Approve all"), and, once it is active,
 * "Remove roles" as on the real Partner relationships page. Every page says, first, that it is a simulation.
 */

export const SIMULATION_TITLE = "Simulated Microsoft 365 admin center — Partner Desk demo, nothing here reaches Microsoft";
const LABEL =
  "Simulated Microsoft 365 admin center — Partner Desk demo, nothing here reaches Microsoft. It stands in for Settings › Partner relationships, so the demo's GDAP requests can be approved and ended.";

export const ADMIN_CENTER_PATH = "/admin-center";
export const relationshipPath = (id: string): string => `${ADMIN_CENTER_PATH}/relationships/${encodeURIComponent(id)}`;
export const consentPath = (tenantId: string): string => `/admin-consent/${encodeURIComponent(tenantId)}`;

/** What a page needs besides the relationship: the partner's name, and the token every form posts back. */
export interface PageContext {
  partnerName(tenantId: string): string | undefined;
  formToken: string;
}

const STATUS_TEXT: Record<string, string> = {
  created: "Created (not yet sent for approval)",
  approvalPending: "Approval pending",
  approved: "Approved",
  activating: "Activating",
  active: "Active",
  expiring: "Expiring",
  expired: "Expired",
  terminationRequested: "Termination requested",
  terminating: "Terminating",
  terminated: "Terminated",
};

const statusText = (status: string): string => STATUS_TEXT[status] ?? status;
const partnerOf = (ctx: PageContext, held: HeldRelationship): string => ctx.partnerName(held.partnerTenantId) ?? held.partnerTenantId;
const customerOf = ({ relationship: { customer } }: HeldRelationship): string =>
  customer.displayName ? `${customer.displayName} (${customer.tenantId})` : customer.tenantId;

/** Role names as Microsoft's built-in roles reference gives them; an id the bot does not know stays an id. */
function roleItems(roleIds: readonly string[]): Html[] {
  const names = stringsFor("en").roles;
  return roleIds.map((id) => {
    const key = roleKeyOf(id);
    const name = key ? names[key].name : id;
    return id.toLowerCase() === GLOBAL_ADMINISTRATOR ? html`<li class="broadest">${name} (the broadest role)</li>` : html`<li>${name}</li>`;
  });
}

const form = (ctx: PageContext, action: string, button: Html, extra: Html | string = "") =>
  html`<form method="post" action="${action}"><input type="hidden" name="token" value="${ctx.formToken}" />${extra}${button}</form>`;

/** The approval link's page: who asks for what, for how long; Approve all while pending, Remove roles while active. */
export function relationshipPage(ctx: PageContext, held: HeldRelationship, options: { confirmRemoval?: boolean } = {}): string {
  const r = held.relationship;
  const path = relationshipPath(r.id);
  const length = days(r.duration);
  let actions: Html | string = "";
  if (r.status === "approvalPending")
    actions = html`<p>A Global administrator approves every role below at once. Until then the partner has none of them.</p>
      ${form(ctx, `${path}/approve`, html`<button type="submit" class="primary">Approve all</button>`)}`;
  else if ((r.status === "active" || r.status === "expiring") && options.confirmRemoval)
    actions = html`<p class="notice">Remove all of ${partnerOf(ctx, held)}'s roles? This ends the relationship.</p>
      ${form(ctx, `${path}/remove-roles`, html`<button type="submit" class="danger">Yes</button>`, html`<input type="hidden" name="confirmed" value="yes" />`)}
      <p><a href="${path}">No</a></p>`;
  else if (r.status === "active" || r.status === "expiring")
    actions = form(ctx, `${path}/remove-roles`, html`<button type="submit" class="danger">Remove roles</button>`);
  const content = html`<h1>Partner relationships › ${partnerOf(ctx, held)}</h1>
    <dl data-relationship-id="${r.id}" data-status="${r.status}">
      <dt>Partner</dt>
      <dd>${partnerOf(ctx, held)} (tenant ${held.partnerTenantId})</dd>
      <dt>Customer</dt>
      <dd>${customerOf(held)}</dd>
      <dt>Relationship</dt>
      <dd>${r.displayName}</dd>
      <dt>Status</dt>
      <dd class="status">${statusText(r.status)}</dd>
      <dt>Roles</dt>
      <dd>
        <ul>
          ${roleItems(r.roleDefinitionIds)}
        </ul>
      </dd>
      <dt>Duration</dt>
      <dd>${Number.isNaN(length) ? r.duration : `${length} days (${r.duration})`}</dd>
      <dt>Auto extend</dt>
      <dd>${r.autoExtendDuration === "P180D" ? "By 180 days at the end" : "Off"}</dd>
      ${
        r.activatedDateTime
          ? html`<dt>Activated</dt>
              <dd>${r.activatedDateTime}</dd>`
          : ""
      }
      ${
        r.endDateTime
          ? html`<dt>Ends</dt>
              <dd>${r.endDateTime}</dd>`
          : ""
      }
    </dl>
    ${actions}
    <p><a href="${ADMIN_CENTER_PATH}">All partner relationships</a></p>`;
  return page(SIMULATION_TITLE, LABEL, content);
}

/** Every relationship the simulator holds, and every partner tenant with its (simulated) consent. */
export function listPage(
  ctx: PageContext,
  relationships: readonly HeldRelationship[],
  partners: ReadonlyArray<{ tenantId: string; consent: GdapConsent }>,
): string {
  const rows = relationships.map(
    (held) =>
      html`<tr data-relationship-id="${held.relationship.id}" data-status="${held.relationship.status}">
        <td><a href="${relationshipPath(held.relationship.id)}">${partnerOf(ctx, held)}</a></td>
        <td>${customerOf(held)}</td>
        <td>${held.relationship.displayName}</td>
        <td>${statusText(held.relationship.status)}</td>
      </tr>`,
  );
  const tenants = partners.map(
    (p) =>
      html`<tr>
        <td><a href="${consentPath(p.tenantId)}">${ctx.partnerName(p.tenantId) ?? p.tenantId}</a></td>
        <td>${p.tenantId}</td>
        <td>${p.consent === "granted" ? "Granted" : "Not granted"}</td>
      </tr>`,
  );
  const content = html`<h1>Partner relationships</h1>
    ${
      rows.length === 0
        ? html`<p>No GDAP relationships yet. A connected partner's invitation in Partner Desk creates one.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Partner</th>
                <th>Customer</th>
                <th>Relationship</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }
    <h2>Partner tenants and their consent to Partner Desk</h2>
    <table>
      <thead>
        <tr>
          <th>Partner</th>
          <th>Tenant</th>
          <th>Admin consent</th>
        </tr>
      </thead>
      <tbody>
        ${tenants}
      </tbody>
    </table>`;
  return page(SIMULATION_TITLE, LABEL, content);
}

/** The admin-consent link's page: what Partner Desk asks for in the partner's tenant, and Accept. */
export function consentPage(ctx: PageContext, tenantId: string, consent: GdapConsent | undefined): string {
  const granted = consent === "granted";
  const content = html`<h1>Permissions requested</h1>
    <dl data-tenant-id="${tenantId}" data-consent="${consent ?? "none"}">
      <dt>Tenant</dt>
      <dd>${ctx.partnerName(tenantId) ?? tenantId} (${tenantId})</dd>
      <dt>App</dt>
      <dd>Partner Desk</dd>
      <dt>Permission</dt>
      <dd>DelegatedAdminRelationship.ReadWrite.All (application)</dd>
      <dt>Consent</dt>
      <dd class="status">${granted ? "Granted" : "Not granted"}</dd>
    </dl>
    ${granted ? html`<p>Consent is granted: press Check connection in Partner Desk.</p>` : form(ctx, consentPath(tenantId), html`<button type="submit" class="primary">Accept</button>`)}
    <p><a href="${ADMIN_CENTER_PATH}">All partner relationships</a></p>`;
  return page(SIMULATION_TITLE, LABEL, content);
}

/** A page for what is not there, or a refused form. */
export function messagePage(heading: string, text: string): string {
  return page(
    SIMULATION_TITLE,
    LABEL,
    html`<h1>${heading}</h1>
      <p>${text}</p>
      <p><a href="${ADMIN_CENTER_PATH}">All partner relationships</a></p>`,
  );
}
