import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/storage/azurite.js";
import { personalChat, teamsCardAction, type TeamsPerson } from "./activities.js";
import { ChannelEmulator } from "./channelEmulator.js";
import type { LoginServer } from "./loginServer.js";
import type { OpenIdServer } from "./openIdServer.js";

export interface RegisteredBotOptions {
  appId: string;
  secret: string;
  /** Signs the channel's tokens: the bot validates every incoming request against it. */
  openId: OpenIdServer;
  /** The https login server the bot's own tokens (Bot Connector and Graph) come from; its certificate is trusted. */
  login: LoginServer;
  connectionString: string;
  prefix: string;
  /** The rest of the bot's settings (ALLOWED_TENANTS, ROLE_SOURCE, GRAPH_BASE_URL, ...). */
  env: Record<string, string>;
}

export interface RegisteredBot {
  url: string;
  /** Everything the process wrote to stdout and stderr so far (its pino log lines, any warnings). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real bot as `npm start` runs it, in its own process, registered (app id and secret, so real credentials
 * and token validation run), with every Microsoft endpoint pointed at a loopback stand-in. The login server's
 * certificate is trusted through NODE_EXTRA_CA_CERTS, as an operator would trust a private cloud's.
 */
export async function startRegisteredBot(options: RegisteredBotOptions): Promise<RegisteredBot> {
  const certDir = await mkdtemp(join(tmpdir(), "pd-login-"));
  await writeFile(join(certDir, "login.pem"), options.login.certificate);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bot: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      NODE_EXTRA_CA_CERTS: join(certDir, "login.pem"),
      PORT: String(port),
      TABLES_CONNECTION_STRING: options.connectionString,
      TABLE_PREFIX: options.prefix,
      LOG_LEVEL: "warn",
      MicrosoftAppId: options.appId,
      MicrosoftAppPassword: options.secret,
      MicrosoftAppType: "MultiTenant",
      ToBotFromChannelOpenIdMetadataUrl: options.openId.metadataUrl,
      ToBotFromChannelTokenIssuer: options.openId.issuer,
      ToChannelFromBotLoginUrl: options.login.loginUrl(),
      ToChannelFromBotOAuthScope: "https://api.botframework.com",
      GRAPH_AUTHORITY_HOST: options.login.authorityHost,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  bot.stdout?.on("data", (chunk) => (output += chunk));
  bot.stderr?.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    bot.kill("SIGTERM");
    await new Promise((r) => (bot.exitCode !== null ? r(undefined) : bot.once("exit", r)));
    await rm(certDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || bot.exitCode !== null) {
      await stop();
      throw new Error("the bot process did not start");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, output: () => output, stop };
}

/**
 * One card button pressed in Teams by `person` in their own tenant, posted as Teams posts it: an
 * `adaptiveCard/action` invoke with a token the channel's OpenID server signed for this bot. The raw answer.
 */
export async function signedInvoke(
  bot: { url: string; appId: string; openId: OpenIdServer },
  person: TeamsPerson,
  tenantId: string,
  verb: string,
  data: Record<string, unknown> = {},
): Promise<{ status: number; body: any }> {
  const teams = await new ChannelEmulator(bot.url, {
    channelId: "msteams",
    token: (serviceUrl) => bot.openId.sign({ aud: bot.appId, serviceurl: serviceUrl }),
  }).start();
  try {
    return await teams.post(teamsCardAction(verb, data, personalChat(person, tenantId)));
  } finally {
    await teams.stop();
  }
}
