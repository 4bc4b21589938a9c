/**
 * Child process: the baseline. A bare botbuilder ActivityHandler that echoes text and answers an
 * adaptiveCard/action invoke with a tiny card, on exactly the same stack as Partner Desk: the same restify
 * server (src/server.ts: body parser, routes), the same CloudAdapter with the same authentication wrapper
 * (src/bot/adapter.ts), registered as Partner Desk is (JWT validation in, tokens out). No storage, no templates:
 * what the stack alone costs.
 */
import { ActivityHandler, type InvokeResponse, type TurnContext } from "botbuilder";
import { pino } from "pino";
import type restify from "restify";
import { createAdapter } from "../../src/bot/adapter.js";
import { close, createHttpServer, listen } from "../../src/server.js";
import { registrationFromEnv } from "../lib/botRegistration.js";
import { serve } from "../lib/child.js";

const TINY_CARD = {
  type: "AdaptiveCard",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  version: "1.5",
  body: [{ type: "TextBlock", text: "ok" }],
};

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`echo: ${context.activity.text ?? ""}`);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== "adaptiveCard/action") return super.onInvokeActivity(context);
    return { status: 200, body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: TINY_CARD } };
  }
}

let server: restify.Server | undefined;

serve(
  async () => {
    const logger = pino({ level: "silent" });
    // Registered exactly as Partner Desk is in the same run (bench/lib/botRegistration.ts), or anonymous if it is not.
    const adapter = createAdapter({ MicrosoftAppType: "MultiTenant", ...registrationFromEnv() }, logger);
    const bot = new EchoBot();
    server = createHttpServer({
      messages: { process: (req, res) => adapter.process(req, res, (context) => bot.run(context)) },
      checkStorage: async () => undefined,
      logger,
    });
    const { port } = await listen(server, 0, "127.0.0.1");
    return { info: () => ({ url: `http://127.0.0.1:${port}`, pid: process.pid }) };
  },
  async () => {
    if (server) await close(server);
  },
);
