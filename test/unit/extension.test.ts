import { expect } from "chai";
import { renderCard } from "../../src/cards/render.js";
import { stringsFor } from "../../src/cards/strings.js";
import type { DecisionContext } from "../../src/domain/decisionRows.js";
import { autoExtensionRefusal, EXTENSION_ERRORS, recordAutoExtension, requestExtension } from "../../src/domain/extension.js";
import type { Notification } from "../../src/domain/notification.js";
import type { Relationship } from "../../src/domain/relationship.js";
import { ROLE } from "../../src/domain/roles.js";
import { extensionRequestedCard } from "../../src/features/lifecycle/extensionCards.js";
import { GDAP_ERROR, GdapClient } from "../../src/microsoft/gdap/index.js";
import { turnOnAutoExtend } from "../../src/microsoftAutoExtend.js";
import { FakeGdap } from "../helpers/fakeGdap.js";
import { buttonTitles } from "../helpers/journey.js";

const CUSTOMER = "c0ffee00-0000-4000-8000-0000000000e1";
const PARTNER_TENANT = "5d027261-0000-4000-8000-0000000000e2";
const NOW = "2026-12-03T10:00:00.000Z";
const ctx: DecisionContext = {
  tenantId: CUSTOMER,
  actor: { userId: "ada", name: "Ada" },
  now: NOW,
  correlationId: "c",
  newId: () => "id-1",
};

const relationship = (overrides: Partial<Relationship> = {}): Relationship => ({
  tenantId: CUSTOMER,
  partnerId: "contoso",
  partnerName: "Contoso",
  types: ["resellerAndDelegatedAdministrator"],
  roles: [{ roleId: ROLE.helpdeskAdministrator, expiresAt: "2027-01-01T00:00:00.000Z" }],
  agreement: { status: "accepted" },
  status: "active",
  since: "2026-01-01T00:00:00.000Z",
  endsAt: "2027-01-01T00:00:00.000Z",
  microsoft: {
    relationshipId: "gdap-1",
    displayName: "PD-1",
    status: "active",
    approvalLink: "https://x",
    syncedAt: NOW,
    autoExtendDuration: "PT0S",
  },
  ...overrides,
});

describe("extension rules", () => {
  it("allows auto-extension only for an active, connected relationship without Global administrator", () => {
    expect(autoExtensionRefusal(relationship(), true)).to.equal(undefined);
    const ga = relationship({ roles: [{ roleId: ROLE.globalAdministrator, expiresAt: NOW }] });
    expect(autoExtensionRefusal(ga, true)).to.equal(EXTENSION_ERRORS.globalAdministrator);
    expect(autoExtensionRefusal(relationship({ status: "expired" }), true)).to.equal(EXTENSION_ERRORS.ended);
    expect(autoExtensionRefusal(relationship(), false)).to.equal(EXTENSION_ERRORS.notConnected);
    expect(autoExtensionRefusal(relationship({ microsoft: undefined }), true)).to.equal(EXTENSION_ERRORS.notConnected);
    const on = relationship();
    on.microsoft!.autoExtendDuration = "P180D";
    expect(autoExtensionRefusal(on, true)).to.equal(EXTENSION_ERRORS.alreadyOn);
  });

  it("asks the partner with an audit event and a card naming roles, end and message; an ended one can't be asked", () => {
    const asked = requestExtension(relationship(), "Another year", true, ctx);
    if (!asked.ok) throw new Error(asked.message);
    const [audit, card] = asked.value.decision.writes;
    expect(audit?.kind === "audit" && audit.value.action).to.equal("extension.request");
    expect(card?.kind === "notification" && card.value).to.deep.include({
      type: "extensionRequested",
      recipient: { kind: "partner", partnerId: "contoso" },
    });
    expect(card?.kind === "notification" && card.value.payload).to.deep.equal({
      roles: [ROLE.helpdeskAdministrator],
      endsAt: "2027-01-01T00:00:00.000Z",
      status: "active",
      autoExtendPossible: true,
      message: "Another year",
    });
    expect(requestExtension(relationship({ status: "terminated" }), undefined, false, ctx).ok).to.equal(false);
  });

  it("records auto-extension as Microsoft showed it and tells the customer's admins (Microsoft sends no email)", () => {
    const side = { ...relationship().microsoft!, autoExtendDuration: "P180D" };
    const recorded = recordAutoExtension(relationship(), side, ctx);
    expect(recorded.relationship.microsoft?.autoExtendDuration).to.equal("P180D");
    expect(recorded.decision.writes.map((w) => (w.kind === "notification" ? `${w.kind}:${w.value.type}` : w.kind))).to.deep.equal([
      "relationship",
      "audit",
      "notification:autoExtensionOn",
    ]);
  });
});

describe("the partner's card of a request to extend", () => {
  const s = stringsFor("en");
  const notice = (
    title: string,
    message: string,
    options: { actions?: Array<{ title: string; verb: string; data: Record<string, unknown> }> } = {},
  ) =>
    renderCard(
      "notice",
      {
        title,
        message,
        facts: [],
        detailsTitle: "",
        details: "",
        actions: (options.actions ?? []) as never,
        banner: null,
        simulationLabel: "",
      },
      { strings: s, actionStyle: "execute" },
    );
  const request = (payload: Notification["payload"]): Notification => ({
    id: "n",
    tenantId: CUSTOMER,
    recipient: { kind: "partner", partnerId: "contoso" },
    type: "extensionRequested",
    payload,
    status: "pending",
    attempts: 0,
    createdAt: NOW,
    correlationId: "c",
    deliveries: {},
  });

  it("offers a new invitation and auto-extension, and says auto-extension sends no email", () => {
    const card = extensionRequestedCard(
      request({ roles: [ROLE.helpdeskAdministrator], endsAt: NOW, status: "active", autoExtendPossible: true }),
      s,
      "Fabrikam",
      "en-GB",
      notice,
    );
    expect(buttonTitles(card)).to.deep.equal(["Send a new invitation", "Turn on auto-extension"]);
    expect(JSON.stringify(card)).to.include("sends no email").and.include("Fabrikam reviews it like any invitation");
  });

  it("offers only a new invitation with Global administrator, saying why", () => {
    const card = extensionRequestedCard(
      request({ roles: [ROLE.globalAdministrator], endsAt: NOW, status: "active", autoExtendPossible: true }),
      s,
      "Fabrikam",
      "en-GB",
      notice,
    );
    expect(buttonTitles(card)).to.deep.equal(["Send a new invitation"]);
    expect(JSON.stringify(card)).to.include("Global administrator, so Microsoft doesn't allow auto-extension");
  });

  it("says an expired relationship can't be restored, only replaced by a new invitation", () => {
    const card = extensionRequestedCard(
      request({ roles: [ROLE.helpdeskAdministrator], endsAt: NOW, status: "expired", autoExtendPossible: false }),
      s,
      "Fabrikam",
      "en-GB",
      notice,
    );
    expect(buttonTitles(card)).to.deep.equal(["Send a new invitation"]);
    expect(JSON.stringify(card)).to.include("can't be restored: answer with a new invitation");
  });
});

describe("turning auto-extension on in Graph (loopback delegatedAdminRelationships)", () => {
  const graph = new FakeGdap();
  before(() => graph.start());
  after(() => graph.stop());
  beforeEach(() => graph.reset());
  const client = () => new GdapClient({ baseUrl: graph.baseUrl, token: graph.tokenFor(PARTNER_TENANT), sleep: () => Promise.resolve() });
  const active = (roles: string[]) => {
    const id = graph.seed(PARTNER_TENANT, {
      displayName: `PD-${roles.length}-${Math.random().toString(16).slice(2, 8)}`,
      customer: { tenantId: CUSTOMER, displayName: "Fabrikam" },
      roleDefinitionIds: roles,
      status: "active",
      autoExtendDuration: "PT0S",
    }).id;
    graph.reset();
    return id;
  };

  it("PATCHes autoExtendDuration P180D with the ETag it just read, and reports what Graph shows", async () => {
    const id = active([ROLE.helpdeskAdministrator]);
    const etag = graph.relationship(id)!.relationship.etag;
    const turned = await turnOnAutoExtend(client(), id, () => new Date(NOW));
    expect(turned.ok && turned.value.answer).to.equal("turnedOn");
    expect(turned.ok && turned.value.side.autoExtendDuration).to.equal("P180D");
    expect(graph.autoExtendPatches().map((r) => r.ifMatch)).to.deep.equal([etag]);
  });

  it("refuses Global administrator before sending anything", async () => {
    const id = active([ROLE.globalAdministrator, ROLE.helpdeskAdministrator]);
    const turned = await turnOnAutoExtend(client(), id, () => new Date(NOW));
    expect(!turned.ok && turned.code).to.equal(GDAP_ERROR.INVALID_REQUEST);
    expect(graph.autoExtendPatches()).to.deep.equal([]);
    expect(graph.autoExtensionOf(id)).to.equal("PT0S");
  });

  it("reads a stale ETag again and tries once more", async () => {
    const id = active([ROLE.helpdeskAdministrator]);
    let changed = false;
    graph.onRequest = (request) => {
      if (request.method === "PATCH" && !changed) {
        changed = true;
        graph.changeElsewhere(id);
      }
    };
    const turned = await turnOnAutoExtend(client(), id, () => new Date(NOW));
    expect(turned.ok && turned.value.answer).to.equal("turnedOn");
    expect(graph.requests.map((r) => r.method)).to.deep.equal(["GET", "PATCH", "GET", "PATCH"]);
  });

  it("sends nothing when Microsoft already extends it", async () => {
    const id = active([ROLE.helpdeskAdministrator]);
    expect((await turnOnAutoExtend(client(), id, () => new Date(NOW))).ok).to.equal(true);
    graph.reset();
    const again = await turnOnAutoExtend(client(), id, () => new Date(NOW));
    expect(again.ok && again.value.answer).to.equal("alreadyOn");
    expect(graph.autoExtendPatches()).to.deep.equal([]);
  });
});
