import { TableClient, TableServiceClient, type TableServiceClientOptions } from "@azure/data-tables";
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { storageTimeoutPolicies, type StorageTimeouts } from "./timeouts.js";

/** Every table the bot owns. Tenant-owned aggregates share one table so one change can be one entity group transaction. */
export const TABLES = {
  tenant: "tenant",
  directory: "directory",
  agreements: "agreements",
  roles: "roles",
  conversations: "conversations",
  /** The scheduler's due index (PK = due day "YYYY-MM-DD", UTC) and its lease row (src/jobs). */
  schedule: "schedule",
} as const;
export type TableName = keyof typeof TABLES;

export type TableConnection =
  { kind: "connectionString"; connectionString: string } | { kind: "managedIdentity"; accountUrl: string; clientId?: string };

export interface TableClients {
  readonly service: TableServiceClient;
  client(name: TableName): TableClient;
  tableName(name: TableName): string;
}

/**
 * A user waits for every storage call (Teams retries an invoke after about 3 s), so retries are few and
 * short: an outage is reported as "try again in a moment" within a second or two instead of hanging.
 */
const RETRY = { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 500 };

/** Extra HTTP pipeline policies for every table client (e.g. the benchmark's request counter). */
export type TablePipelinePolicies = NonNullable<TableServiceClientOptions["additionalPolicies"]>;

export interface TableClientsOptions {
  /** Added to the pipeline of the service client and of every table client; none by default. */
  additionalPolicies?: TablePipelinePolicies;
  /** Per-try timeout and deadline of every request (the app always sets them; a hanging endpoint is cut off). */
  timeouts?: StorageTimeouts;
}

/** Azurite speaks plain http on loopback; the SDK refuses shared-key auth over http unless told otherwise. */
function optionsFor(url: string, extra: TableClientsOptions = {}): TableServiceClientOptions {
  const all = [...(extra.timeouts ? storageTimeoutPolicies(extra.timeouts) : []), ...(extra.additionalPolicies ?? [])];
  const policies = all.length ? { additionalPolicies: all } : {};
  return url.startsWith("http://")
    ? { allowInsecureConnection: true, retryOptions: RETRY, ...policies }
    : { retryOptions: RETRY, ...policies };
}

export function createTableClients(connection: TableConnection, prefix: string, clientOptions: TableClientsOptions = {}): TableClients {
  const tableName = (name: TableName) => `${prefix}${TABLES[name]}`;
  let service: TableServiceClient;
  let clientFor: (table: string) => TableClient;
  if (connection.kind === "connectionString") {
    const cs = connection.connectionString;
    const endpoint = /TableEndpoint=([^;]+)/i.exec(cs)?.[1] ?? "";
    const options = optionsFor(endpoint, clientOptions);
    service = TableServiceClient.fromConnectionString(cs, options);
    clientFor = (table) => TableClient.fromConnectionString(cs, table, options);
  } else {
    const credential: TokenCredential = connection.clientId
      ? new ManagedIdentityCredential({ clientId: connection.clientId })
      : new DefaultAzureCredential();
    const options = optionsFor(connection.accountUrl, clientOptions);
    service = new TableServiceClient(connection.accountUrl, credential, options);
    clientFor = (table) => new TableClient(connection.accountUrl, table, credential, options);
  }
  const cache = new Map<TableName, TableClient>();
  return {
    service,
    tableName,
    client(name) {
      let client = cache.get(name);
      if (!client) {
        client = clientFor(tableName(name));
        cache.set(name, client);
      }
      return client;
    },
  };
}

/** Creates every table that does not exist yet (idempotent: the SDK treats 409 TableAlreadyExists as success). */
export async function ensureTables(tables: TableClients): Promise<void> {
  await Promise.all((Object.keys(TABLES) as TableName[]).map((name) => tables.client(name).createTable()));
}

/** Cheap reachability probe for /healthz: one small query against the service. */
export async function pingStorage(tables: TableClients): Promise<void> {
  const iterator = tables.service
    .listTables({ queryOptions: { filter: `TableName eq '${tables.tableName("tenant")}'` } })
    .byPage({ maxPageSize: 1 });
  await iterator.next();
}
