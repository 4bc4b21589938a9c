import { expect } from "chai";
import type { Activity } from "botbuilder";
import {
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type UserTokenClient,
} from "botframework-connector";
import { StrictTokenAuthentication } from "../../src/bot/tokenAuthentication.js";

/** Counts what botbuilder's authentication would build: a new factory, client and user-token client every time. */
class CountingAuthentication extends BotFrameworkAuthentication {
  factories = 0;
  clients: Array<{ serviceUrl: string; audience: string | undefined }> = [];
  userTokenClients = 0;
  failNextClient = false;

  private factory(): ConnectorFactory {
    this.factories++;
    const build = async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      if (this.failNextClient) {
        this.failNextClient = false;
        throw new Error("credentials could not be made");
      }
      this.clients.push({ serviceUrl, audience });
      return { serviceUrl } as unknown as ConnectorClient;
    };
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return build(serviceUrl, audience);
      }
    })();
  }

  override async authenticateRequest(activity: Activity): Promise<AuthenticateRequestResult> {
    const claimsIdentity = new ClaimsIdentity([{ type: "aud", value: String(activity.recipient?.id ?? "app-1") }], true);
    return { claimsIdentity, audience: "https://api.botframework.com", callerId: "", connectorFactory: this.factory() };
  }
  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error("not used");
  }
  override createConnectorFactory(): ConnectorFactory {
    return this.factory();
  }
  override async createUserTokenClient(): Promise<UserTokenClient> {
    this.userTokenClients++;
    return { n: this.userTokenClients } as unknown as UserTokenClient;
  }
  override createBotFrameworkClient(): BotFrameworkClient {
    throw new Error("not used");
  }
  override getOriginatingAudience(): string {
    return "https://api.botframework.com";
  }
  override authenticateChannelRequest(): Promise<ClaimsIdentity> {
    throw new Error("not used");
  }
}

const activity = (serviceUrl: string, appId = "app-1") => ({ serviceUrl, recipient: { id: appId } }) as unknown as Activity;

describe("connector and user-token clients are built once per app id and serviceUrl, not per turn", () => {
  it("reuses the ConnectorClient of an earlier turn to the same serviceUrl, and builds one per serviceUrl and audience", async () => {
    const inner = new CountingAuthentication();
    const auth = new StrictTokenAuthentication(inner);
    const turn = async (serviceUrl: string, audience?: string, appId?: string) => {
      const result = await auth.authenticateRequest(activity(serviceUrl, appId), "Bearer x");
      return result.connectorFactory!.create(serviceUrl, audience ?? result.audience);
    };
    const first = await turn("https://smba.example/emea/");
    const second = await turn("https://smba.example/emea/");
    expect(second).to.equal(first);
    const other = await turn("https://smba.example/amer/");
    expect(other).to.not.equal(first);
    await turn("https://smba.example/emea/", "another-audience");
    expect(inner.clients).to.deep.equal([
      { serviceUrl: "https://smba.example/emea/", audience: "https://api.botframework.com" },
      { serviceUrl: "https://smba.example/amer/", audience: "https://api.botframework.com" },
      { serviceUrl: "https://smba.example/emea/", audience: "another-audience" },
    ]);
    // Another app id (a skill, another registration) never gets the first one's clients.
    await turn("https://smba.example/emea/", undefined, "app-2");
    expect(inner.clients).to.have.length(4);
  });

  it("shares the clients between turns and proactive sends of the same app id", async () => {
    const inner = new CountingAuthentication();
    const auth = new StrictTokenAuthentication(inner);
    const result = await auth.authenticateRequest(activity("https://smba.example/emea/"), "Bearer x");
    const viaTurn = await result.connectorFactory!.create("https://smba.example/emea/", "aud");
    const proactive = auth.createConnectorFactory(new ClaimsIdentity([{ type: "aud", value: "app-1" }], true));
    expect(await proactive.create("https://smba.example/emea/", "aud")).to.equal(viaTurn);
    const identity = new ClaimsIdentity([{ type: "aud", value: "app-1" }], true);
    expect(await auth.createUserTokenClient(identity)).to.equal(await auth.createUserTokenClient(identity));
    expect(inner.userTokenClients).to.equal(1);
  });

  it("does not keep a client that failed to build: the next turn tries again", async () => {
    const inner = new CountingAuthentication();
    const auth = new StrictTokenAuthentication(inner);
    const factory = auth.createConnectorFactory(new ClaimsIdentity([{ type: "aud", value: "app-1" }], true));
    inner.failNextClient = true;
    await factory.create("https://smba.example/emea/", "aud").then(
      () => expect.fail("the first build fails"),
      (error: Error) => expect(error.message).to.equal("credentials could not be made"),
    );
    const client = await factory.create("https://smba.example/emea/", "aud");
    expect(client).to.deep.equal({ serviceUrl: "https://smba.example/emea/" });
  });
});
