import { GUID, isLoopbackHost, isLoopbackUrl } from "./settings.js";
import { simulationProblems } from "./simulation.js";

type RawEnv = Record<string, string | undefined>;

function isLocalConnectionString(connectionString: string): boolean {
  if (/UseDevelopmentStorage=true/i.test(connectionString)) return true;
  const endpoint = /TableEndpoint=([^;]+)/i.exec(connectionString)?.[1];
  return endpoint !== undefined && isLoopbackUrl(endpoint);
}

/** A registered bot needs its secret, its tenant (unless multi-tenant) and an allow list of tenants. */
function registrationProblems(value: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const appType = value("MicrosoftAppType") ?? "MultiTenant";
  if (appType !== "UserAssignedMSI" && !value("MicrosoftAppPassword")) {
    problems.push(
      `MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is ${appType}: use the client secret of the app registration`,
    );
  }
  if (appType !== "MultiTenant" && !value("MicrosoftAppTenantId")) {
    problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${appType}: use the tenant id of the app registration`);
  }
  if (!value("ALLOWED_TENANTS")) {
    problems.push(
      "ALLOWED_TENANTS is required when MicrosoftAppId is set: list the customer and partner tenant ids that may use this bot (comma separated), or * to allow every tenant",
    );
  }
  return problems;
}

/** Without an app id nobody is authenticated, so the bot stays on loopback and on local storage. */
function localModeProblems(value: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const host = value("HOST") ?? "127.0.0.1";
  const accountUrl = value("TABLES_ACCOUNT_URL");
  const connectionString = value("TABLES_CONNECTION_STRING");
  if (!isLoopbackHost(host)) {
    problems.push(
      `HOST=${host} but MicrosoftAppId is not set: without an app id the bot cannot check who is calling, so it only listens on loopback (127.0.0.1). Set MicrosoftAppId, MicrosoftAppPassword (and MicrosoftAppType) to listen on ${host}, or leave HOST unset for local mode.`,
    );
  }
  if (accountUrl && !isLoopbackUrl(accountUrl)) {
    problems.push(
      "TABLES_ACCOUNT_URL points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage. Set MicrosoftAppId, or remove TABLES_ACCOUNT_URL to use the embedded Azurite.",
    );
  }
  if (connectionString && !isLocalConnectionString(connectionString)) {
    problems.push(
      "TABLES_CONNECTION_STRING points at a real storage account but MicrosoftAppId is not set: an unauthenticated bot may only use local storage (Azurite on loopback). Set MicrosoftAppId, or remove TABLES_CONNECTION_STRING to use the embedded Azurite.",
    );
  }
  return problems;
}

function allowedTenantsProblems(allowedTenants: string | undefined): string[] {
  if (!allowedTenants || allowedTenants === "*") return [];
  const tenants = allowedTenants
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (tenants.length === 0) return ["ALLOWED_TENANTS lists no tenant: list tenant ids separated by commas, or use * to allow every tenant"];
  return tenants
    .filter((tenant) => !GUID.test(tenant))
    .map((tenant) => `ALLOWED_TENANTS holds "${tenant}", which is not a tenant id (GUID); list tenant ids separated by commas, or use *`);
}

/**
 * Rules that relate settings to each other. They read the raw values (trimmed, empty = unset) so they run
 * even when a single field is malformed: one start reports every problem, not one per attempt.
 */
export function crossSettingProblems(raw: RawEnv): string[] {
  const value = (name: string) => {
    const v = raw[name]?.trim();
    return v ? v : undefined;
  };
  const appId = value("MicrosoftAppId");
  const connectionString = value("TABLES_CONNECTION_STRING");
  const problems = appId ? registrationProblems(value) : localModeProblems(value);
  if (value("ROLE_SOURCE") === "graph" && !appId) {
    problems.push(
      "ROLE_SOURCE=graph needs MicrosoftAppId: roles are read from Microsoft Graph with the app's own identity. Set MicrosoftAppId (and MicrosoftAppPassword), or use ROLE_SOURCE=table.",
    );
  }
  if (connectionString && value("TABLES_ACCOUNT_URL")) {
    problems.push("Set either TABLES_CONNECTION_STRING or TABLES_ACCOUNT_URL, not both");
  }
  if (connectionString && !/TableEndpoint=|UseDevelopmentStorage=true|AccountName=/i.test(connectionString)) {
    problems.push(
      "TABLES_CONNECTION_STRING does not look like a storage connection string: copy it from the storage account's 'Access keys' page",
    );
  }
  problems.push(...allowedTenantsProblems(value("ALLOWED_TENANTS")));
  problems.push(...simulationProblems(value));
  return problems;
}
