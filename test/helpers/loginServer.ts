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
          const token = `test-token-${randomBytes(8).toString("hex")}`;
          this.issued.push(token);
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

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
