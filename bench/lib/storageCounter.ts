/**
 * Counts every HTTP request the Table Storage clients send: a pipeline policy added to each client
 * (createTableClients' `additionalPolicies`, per retry so a retried request counts twice, as on the wire).
 */
import type { TablePipelinePolicies } from "../../src/storage/index.js";
import { now, sleep } from "./stats.js";

type PolicyConfig = TablePipelinePolicies[number];
type Policy = PolicyConfig["policy"];

export interface StorageCall {
  method: string;
  /** What the request does, e.g. "point read tenant inv|…", "query conversations", "batch tenant". */
  what: string;
  status: number;
  at: number;
  /** A query whose filter pins no PartitionKey: a scan of the table on Azure Tables. */
  acrossPartitions?: true;
}

export class StorageCounter {
  /** @param tablePrefix stripped from table names in descriptions ("benchtenant" -> "tenant"). */
  constructor(private readonly tablePrefix = "") {}

  /** Every request since the process started, the outbox engine's included. */
  total = 0;
  /** Of those, the outbox engine's (its clients carry `outboxMarker`): background work, not any turn's. */
  outbox = 0;
  private readonly fromOutbox = new WeakSet<object>();
  private recording: StorageCall[] | undefined;
  private inFlight = 0;
  private lastActivity = 0;

  /** For the outbox engine's own clients (AppOptions.outboxTablePolicies): runs before `policy` and marks the request. */
  readonly outboxMarker: PolicyConfig = {
    position: "perRetry",
    policy: {
      name: "benchOutboxMarker",
      sendRequest: (request, next) => {
        this.fromOutbox.add(request);
        return next(request);
      },
    } satisfies Policy,
  };

  readonly policy: PolicyConfig = {
    position: "perRetry",
    policy: {
      name: "benchStorageCounter",
      sendRequest: async (request, next) => {
        this.total++;
        // The outbox's requests are counted, but are no turn's round trips (nor activity a turn waits out).
        if (this.fromOutbox.has(request)) {
          this.outbox++;
          return next(request);
        }
        this.inFlight++;
        this.lastActivity = now();
        const at = now();
        let status = 0;
        try {
          const response = await next(request);
          status = response.status;
          return response;
        } finally {
          this.inFlight--;
          this.lastActivity = now();
          this.recording?.push({
            method: request.method,
            what: describe(request.method, request.url, request.headers.get("x-http-method") ?? undefined, this.tablePrefix),
            status,
            at,
            ...(isCrossPartitionQuery(request.method, request.url) ? { acrossPartitions: true as const } : {}),
          });
        }
      },
    } satisfies Policy,
  };

  start(): void {
    this.recording = [];
  }

  /** Waits until nothing has been in flight for `quietMs` (bounded by `maxMs`), then returns what was recorded. */
  async stop(quietMs = 200, maxMs = 5_000): Promise<StorageCall[]> {
    const deadline = now() + maxMs;
    while (now() < deadline && (this.inFlight > 0 || now() - this.lastActivity < quietMs)) await sleep(20);
    const calls = this.recording ?? [];
    this.recording = undefined;
    return calls.sort((a, b) => a.at - b.at);
  }
}

/** A GET of a table's entities (not one entity) whose $filter does not name a PartitionKey. */
export function isCrossPartitionQuery(method: string, rawUrl: string): boolean {
  const url = new URL(rawUrl);
  if (method !== "GET" || !/\(\)$/.test(decodeURIComponent(url.pathname))) return false;
  return !/PartitionKey eq/.test(url.searchParams.get("$filter") ?? "");
}

/** A readable name for one Table Storage REST call, from its method and URL. */
export function describe(method: string, rawUrl: string, override?: string, tablePrefix = ""): string {
  const url = new URL(rawUrl);
  let path = decodeURIComponent(url.pathname).replace(/^\/[^/]+\//, ""); // drop the account segment (Azurite: /devstoreaccount1/)
  if (tablePrefix && path.startsWith(tablePrefix)) path = path.slice(tablePrefix.length);
  const verb = override ?? method;
  if (path === "$batch") return "entity group transaction ($batch)";
  const entity = /^([A-Za-z0-9]+)\(PartitionKey='(.*)',RowKey='(.*)'\)$/.exec(path);
  if (entity) {
    const [, table, , rowKey] = entity;
    const row = (rowKey ?? "").replace(/''/g, "'").split("|")[0];
    const op =
      verb === "GET"
        ? "point read"
        : verb === "PUT"
          ? "upsert/replace"
          : verb === "MERGE" || verb === "PATCH"
            ? "merge"
            : verb === "DELETE"
              ? "delete"
              : verb;
    return `${op} ${table} ${row}|…`;
  }
  const query = /^([A-Za-z0-9]+)\(\)$/.exec(path);
  if (query) {
    const filter = url.searchParams.get("$filter") ?? "";
    const kind = /RowKey ge '([^|']+)\|/.exec(filter)?.[1];
    return `query ${query[1]}${kind ? ` ${kind}|…` : ""}`;
  }
  if (path === "Tables" || path.startsWith("Tables")) return `${verb} Tables`;
  if (verb === "POST") return `insert ${path}`;
  return `${verb} ${path}`;
}
