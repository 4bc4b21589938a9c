import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from "jose";

export type SigningKey = Parameters<SignJWT["sign"]>[0];

/**
 * A loopback OpenID Connect metadata + JWKS endpoint that plays the Bot Framework token service, so tests
 * can sign channel tokens the bot must validate exactly as it validates Microsoft's.
 */
export class OpenIdServer {
  private server?: Server;
  private privateKey!: SigningKey;
  url = "";
  readonly kid = "test-key-1";
  readonly issuer = "https://api.botframework.test";

  async start(): Promise<this> {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    this.privateKey = privateKey;
    const jwk = { ...(await exportJWK(publicKey)), kid: this.kid, use: "sig", alg: "RS256", endorsements: ["msteams", "emulator"] };
    this.server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/.well-known/openid-configuration") {
        res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ["RS256"] }));
      } else if (req.url === "/keys") {
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.statusCode = 404;
        res.end("{}");
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get metadataUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  /** A channel token as the Bot Connector issues it; override claims to make it wrong in one way. */
  async sign(
    claims: JWTPayload & { serviceurl?: string },
    options: { key?: SigningKey; kid?: string; expiresIn?: string } = {},
  ): Promise<string> {
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: options.kid ?? this.kid, typ: "JWT" })
      .setIssuer(claims.iss ?? this.issuer)
      .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000) - 10)
      .setExpirationTime(options.expiresIn ?? "10m")
      .sign(options.key ?? this.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
