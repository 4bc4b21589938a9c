/**
 * The turns benchmark runs both bots registered, as users run Partner Desk: an app id and secret, every request's
 * JWT validated against a loopback OpenID metadata + JWKS endpoint (the Bot Framework token service's stand-in,
 * as in the end-to-end tests), and every reply sent with an access token from a loopback https login endpoint.
 * The channel signs one token per serviceUrl and reuses it until near its expiry, as the Bot Connector does.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LoginServer } from "../../test/helpers/loginServer.js";
import { OpenIdServer } from "../../test/helpers/openIdServer.js";

export const BENCH_APP_ID = "be4c0a99-1111-4222-8333-444444444444";

export interface BotRegistration {
  /** The environment a bot process needs to run registered (NODE_EXTRA_CA_CERTS trusts the login server). */
  env: Record<string, string>;
  /** The Authorization header the channel sends with activities for `serviceUrl`. */
  authorization(serviceUrl: string): Promise<string>;
  stop(): Promise<void>;
}

const TOKEN_LIFETIME_MS = 60 * 60_000;

export async function startBotRegistration(): Promise<BotRegistration> {
  const openId = await new OpenIdServer().start();
  const login = await new LoginServer().start();
  const certDir = await mkdtemp(join(tmpdir(), "pd-bench-login-"));
  await writeFile(join(certDir, "login.pem"), login.certificate);
  const tokens = new Map<string, { header: string; until: number }>();
  return {
    env: {
      NODE_EXTRA_CA_CERTS: join(certDir, "login.pem"),
      MicrosoftAppId: BENCH_APP_ID,
      MicrosoftAppPassword: "bench-secret-not-real",
      MicrosoftAppType: "MultiTenant",
      ToBotFromChannelOpenIdMetadataUrl: openId.metadataUrl,
      ToBotFromChannelTokenIssuer: openId.issuer,
      ToChannelFromBotLoginUrl: login.loginUrl(),
      ToChannelFromBotOAuthScope: "https://api.botframework.com",
    },
    async authorization(serviceUrl) {
      const cached = tokens.get(serviceUrl);
      if (cached && cached.until > Date.now()) return cached.header;
      const token = await openId.sign({ aud: BENCH_APP_ID, serviceurl: serviceUrl }, { expiresIn: "60m" });
      const header = `Bearer ${token}`;
      tokens.set(serviceUrl, { header, until: Date.now() + TOKEN_LIFETIME_MS / 2 });
      return header;
    },
    async stop() {
      await Promise.all([openId.stop(), login.stop()]);
      await rm(certDir, { recursive: true, force: true });
    },
  };
}

/** The registration settings a bot process reads from its environment (set by `startBotRegistration().env`). */
export function registrationFromEnv(): Record<string, string> {
  const names = [
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "ToBotFromChannelOpenIdMetadataUrl",
    "ToBotFromChannelTokenIssuer",
    "ToChannelFromBotLoginUrl",
    "ToChannelFromBotOAuthScope",
  ];
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value) out[name] = value;
  }
  return out;
}
