import {
  AuthenticationConstants,
  ConnectorFactory,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from "botframework-connector";
import { LRUCache } from "lru-cache";

/**
 * botbuilder builds a new ConnectorFactory, ConnectorClient (with its HTTP pipeline) and UserTokenClient for every
 * turn, and again for every proactive send. They hold no per-turn state: what they depend on is the bot's app id
 * (the token's audience), the channel's serviceUrl and the token audience for outgoing calls, and their credentials
 * fetch (and cache) tokens per request. So one of each per such key is built once and reused; the token checks on
 * the way in are untouched. Bounded: a serviceUrl comes from an authenticated activity, but a cache never grows
 * without limit.
 */
const MAX_CLIENTS = 1_000;

/** The app id botbuilder builds its factories for (parameterizedBotFrameworkAuthentication's getAppId). */
export function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ""
  );
}

/** A ConnectorFactory that builds each ConnectorClient once per serviceUrl and audience. */
class ReusingConnectorFactory extends ConnectorFactory {
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: MAX_CLIENTS });

  constructor(private readonly inner: ConnectorFactory) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${serviceUrl}\u0000${audience ?? ""}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.inner.create(serviceUrl, audience);
      this.clients.set(key, client);
      // A failed build (credentials could not be made) is not kept: the next turn tries again.
      client.catch(() => {
        if (this.clients.get(key) === client) this.clients.delete(key);
      });
    }
    return client;
  }
}

export class ReusedClients {
  private readonly factories = new LRUCache<string, ReusingConnectorFactory>({ max: MAX_CLIENTS });
  private readonly userTokenClients = new LRUCache<string, Promise<UserTokenClient>>({ max: MAX_CLIENTS });

  /** The reusing factory for this app id, wrapping `build()`'s the first time. */
  connectorFactory(claimsIdentity: ClaimsIdentity, build: () => ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    let factory = this.factories.get(appId);
    if (!factory) {
      factory = new ReusingConnectorFactory(build());
      this.factories.set(appId, factory);
    }
    return factory;
  }

  userTokenClient(claimsIdentity: ClaimsIdentity, build: () => Promise<UserTokenClient>): Promise<UserTokenClient> {
    const appId = appIdOf(claimsIdentity);
    let client = this.userTokenClients.get(appId);
    if (!client) {
      client = build();
      this.userTokenClients.set(appId, client);
      client.catch(() => {
        if (this.userTokenClients.get(appId) === client) this.userTokenClients.delete(appId);
      });
    }
    return client;
  }
}
