import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

/** One token request as the login endpoint received it. */
export interface TokenRequest {
  path: string;
  form: Record<string, string>;
}

/**
 * A loopback stand-in for the Microsoft identity platform's login endpoint: the OpenID configuration MSAL reads
 * and the client-credentials token endpoint. MSAL only talks https, so it serves a certificate made for 127.0.0.1
 * at start; `certificate` is what the client must trust.
 */
export class LoginServer {
  readonly tokenRequests: TokenRequest[] = [];
  /** The access tokens handed out, in order. */
  readonly issued: string[] = [];
  certificate = "";
  /** Tenants whose token requests are refused, with the AADSTS code Entra ID would give (see refuseTenant). */
  private readonly refusedTenants = new Map<string, Record<string, unknown>>();
  /** The tenant (the first path segment of the token request) each access token was issued for. */
  private readonly tenantOfToken = new Map<string, string>();
  private server?: Server;
  private origin = "";

  async start(): Promise<this> {
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      keySize: 2048,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    this.certificate = pems.cert;
    this.server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = new URL(req.url ?? "/", this.origin).pathname;
        const tenant = path.split("/")[1] ?? "common";
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (req.method === "GET" && path.endsWith("/v2.0/.well-known/openid-configuration")) {
          return send(200, {
            issuer: `${this.origin}/${tenant}/v2.0`,
            authorization_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/authorize`,
            token_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/token`,
            end_session_endpoint: `${this.origin}/${tenant}/oauth2/v2.0/logout`,
            jwks_uri: `${this.origin}/${tenant}/discovery/v2.0/keys`,
          });
        }
        if (req.method === "POST" && path.endsWith("/oauth2/v2.0/token")) {
          const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
          this.tokenRequests.push({ path, form });
          const refusal = this.refusedTenants.get(tenant.toLowerCase());
          if (refusal) return send(400, refusal);
          const token = `test-token-${randomBytes(8).toString("hex")}`;
          this.issued.push(token);
          this.tenantOfToken.set(token, tenant.toLowerCase());
          return send(200, { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: token });
        }
        send(404, { error: "not_found", error_description: path });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.origin = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The login URL with its tenant, as ToChannelFromBotLoginUrl takes it. */
  loginUrl(tenant = "botframework.com"): string {
    return `${this.origin}/${tenant}`;
  }

  /** The https origin without a tenant, as GRAPH_AUTHORITY_HOST takes it. */
  get authorityHost(): string {
    return this.origin;
  }

  /** The tenant an access token of ours was issued for (lower case), as a resource reads the token's tid claim. */
  tenantOf = (token: string): string | undefined => this.tenantOfToken.get(token);

  /**
   * Plays a tenant whose admins never consented to the app: Entra ID refuses the client-credentials request with
   * AADSTS700016 ("application ... was not found in the directory"), in the OAuth error body it uses.
   */
  refuseTenant(tenantId: string): this {
    this.refusedTenants.set(tenantId.toLowerCase(), {
      error: "unauthorized_client",
      error_description: `AADSTS700016: Application with identifier 'test' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      error_codes: [700016],
    });
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
