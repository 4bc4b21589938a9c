import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_CENTER_PATH, consentPage, consentPath, listPage, messagePage, relationshipPage, relationshipPath } from "./adminCenter.js";
import { SimulatedGraph, type GraphAnswer } from "./graphApi.js";
import { PAGE_HEADERS } from "./html.js";
import { readState, writeState } from "./stateFile.js";

/**
 * The simulated Partner Center: a loopback Microsoft Graph `delegatedAdminRelationships` (the partner side, as
 * Partner Desk calls it) and a small simulated Microsoft 365 admin center (the customer side: the approval link's
 * page with "Approve all", and "Remove roles"), on one http server bound to 127.0.0.1. Local mode's demo runs it so
 * a connected partner can be tried without Microsoft; the tests run the same code (test/helpers/fakeGdap.ts).
 * Nothing in it ever calls Microsoft.
 */

export interface SimulatedPartnerCenterOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Keep the relationships in this file between starts (the demo); none keeps them in memory only (tests). */
  stateFile?: string;
}

/** A request body larger than this is refused: Graph's bodies here are a few hundred bytes, forms a few dozen. */
const MAX_BODY_BYTES = 64 * 1024;

export class SimulatedPartnerCenter extends SimulatedGraph {
  private server?: Server;
  private stateFile: string | undefined;
  /** Every form of the admin center posts it back: another site's page cannot make the browser approve or remove roles. */
  private readonly formToken = randomBytes(24).toString("base64url");

  async start(options: SimulatedPartnerCenterOptions = {}): Promise<this> {
    if (options.stateFile) {
      const saved = readState(options.stateFile);
      if (saved) this.restore(saved);
      this.stateFile = options.stateFile;
    }
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => (server.off("error", reject), resolve()));
    });
    this.server = server;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where the customer approves a relationship: its page in the simulated admin center. */
  approvalLink(relationshipId: string): string {
    return `${this.origin}${relationshipPath(relationshipId)}`;
  }

  /** Where a partner tenant's admin consents to Partner Desk: a page of the simulator, not Entra ID. */
  adminConsentLink(tenantId: string): string {
    return `${this.origin}${consentPath(tenantId)}`;
  }

  /** The simulated admin center's list of every relationship. */
  get adminCenterUrl(): string {
    return `${this.origin}${ADMIN_CENTER_PATH}`;
  }

  protected override onChange(): void {
    if (this.stateFile) writeState(this.stateFile, this.snapshot());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", this.origin || "http://127.0.0.1");
      const raw = await readBody(req);
      if (raw === undefined) return sendJsonOrEmpty(res, { status: 413, body: "" });
      if (url.pathname.startsWith("/v1.0/")) {
        const answer = await this.answerGraph(req.method ?? "", url, req.headers, raw);
        if (!res.destroyed) sendJsonOrEmpty(res, answer);
        return;
      }
      this.adminCenter(req.method ?? "", url, raw, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : "error");
    }
  }

  /** The customer's side: pages, and the forms that approve, remove roles and consent. */
  private adminCenter(method: string, url: URL, raw: string, res: ServerResponse): void {
    const ctx = { partnerName: (tenantId: string) => this.partnerName(tenantId), formToken: this.formToken };
    if (method === "GET") this.settleTerminations();
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (method === "GET" && (path === "/" || path === ADMIN_CENTER_PATH))
      return sendPage(res, 200, listPage(ctx, this.allRelationships(), this.partnerTenants()));
    const item = /^\/admin-center\/relationships\/([^/]+)(?:\/(approve|remove-roles))?$/.exec(path);
    const consent = /^\/admin-consent\/([0-9a-fA-F-]{36})$/.exec(path);
    if (item) {
      const held = this.relationship(decodeURIComponent(item[1]!));
      if (!held) return sendPage(res, 404, messagePage("Not found", "There is no GDAP relationship with this id."));
      if (method === "GET" && !item[2]) return sendPage(res, 200, relationshipPage(ctx, held));
      if (method !== "POST" || !item[2]) return sendPage(res, 405, messagePage("Not allowed", `${method} is not allowed here.`));
      const form = new URLSearchParams(raw);
      if (form.get("token") !== this.formToken)
        return sendPage(
          res,
          403,
          messagePage("Refused", "This form is not from this admin center (or it was restarted): open the page again."),
        );
      const status = held.relationship.status;
      if (item[2] === "approve") {
        if (status !== "approvalPending") return sendPage(res, 409, messagePage("Nothing to approve", `The relationship is ${status}.`));
        this.customerApproves(held.relationship.id, "active", held.relationship.customer.displayName);
      } else {
        if (status !== "active" && status !== "expiring")
          return sendPage(res, 409, messagePage("No roles to remove", `The relationship is ${status}.`));
        // As in the admin center: "Remove roles" asks first, and only "Yes" ends the relationship.
        if (form.get("confirmed") !== "yes") return sendPage(res, 200, relationshipPage(ctx, held, { confirmRemoval: true }));
        this.customerRemovesRoles(held.relationship.id);
      }
      return redirect(res, relationshipPath(held.relationship.id));
    }
    if (consent) {
      const tenantId = consent[1]!.toLowerCase();
      if (method === "GET") return sendPage(res, 200, consentPage(ctx, tenantId, this.consentOf(tenantId)));
      if (method !== "POST") return sendPage(res, 405, messagePage("Not allowed", `${method} is not allowed here.`));
      if (new URLSearchParams(raw).get("token") !== this.formToken)
        return sendPage(
          res,
          403,
          messagePage("Refused", "This form is not from this admin center (or it was restarted): open the page again."),
        );
      this.partner(tenantId, "granted");
      return redirect(res, consentPath(tenantId));
    }
    sendPage(res, 404, messagePage("Not found", "This page is not part of the simulated admin center."));
  }
}

/** The body as text, or undefined when it is larger than MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJsonOrEmpty(res: ServerResponse, answer: GraphAnswer): void {
  const empty = answer.body === "";
  res.writeHead(answer.status, { ...(empty ? {} : { "content-type": "application/json" }), ...answer.headers });
  res.end(empty ? undefined : JSON.stringify(answer.body));
}

function sendPage(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(body);
}

/** After a form: See Other, so reloading the page does not post it again. */
function redirect(res: ServerResponse, path: string): void {
  res.writeHead(303, { location: path, "cache-control": "no-store" });
  res.end();
}
