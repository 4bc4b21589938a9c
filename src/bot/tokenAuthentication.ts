import { StatusCodes, type Activity } from "botbuilder";
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from "botframework-connector";

/** Errors jsonwebtoken raises for a token that is forged, expired or not yet valid. */
const TOKEN_ERRORS = new Set(["JsonWebTokenError", "TokenExpiredError", "NotBeforeError"]);

/**
 * botbuilder's validation reports some bad tokens (a wrong signature, a malformed token) as plain errors,
 * which CloudAdapter answers with 500. A bad token is the caller's fault: answer 401, so monitoring sees
 * refused callers as refusals and not as bot failures. Everything else passes through unchanged.
 */
export class StrictTokenAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await this.inner.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
    // botbuilder checks the token's serviceurl claim only against an activity that has a serviceUrl: a signed token
    // with an activity that has none would pass unbound. Every channel sends one, so its absence is refused.
    if (result.claimsIdentity.isAuthenticated && (typeof activity.serviceUrl !== "string" || activity.serviceUrl === "")) {
      throw new AuthenticationError(
        "Unauthorized: the activity has no serviceUrl to check the token's serviceurl claim against",
        StatusCodes.UNAUTHORIZED,
      );
    }
    return result;
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (error) {
      throw asUnauthorized(error);
    }
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

function asUnauthorized(error: unknown): unknown {
  if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
    return new AuthenticationError(`Unauthorized: ${error.message}`, StatusCodes.UNAUTHORIZED);
  }
  return error;
}
