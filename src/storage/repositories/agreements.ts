import type { TableClient } from "@azure/data-tables";
import { LoadingCache } from "../../cache/loadingCache.js";
import { AgreementSchema, type Agreement } from "../../domain/agreement.js";
import { EntityStore } from "../entityStore.js";

const MCA_PARTITION = "mca";
const VERSIONS = "versions";

export interface AgreementCacheOptions {
  /** How long the list of versions is kept in memory; 0 reads storage every time. */
  ttlMs: number;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  clock?: () => number;
}

/**
 * Versions of the Microsoft Customer Agreement; the current one is the latest effective version.
 *
 * Every invitation and agreement card shows the current version, but Microsoft publishes a new one a few times a
 * year: the versions are kept in memory for a few minutes, which saves a storage round trip on every show, review
 * and accept. A version that becomes effective later is picked at its time from the cached list (the choice uses the
 * caller's `now`); one published in another process is seen within the TTL, and accepting checks that the version
 * the admin read is the current one, so nobody accepts a version they were not shown.
 */
export class AgreementRepository {
  private readonly store: EntityStore<Agreement>;
  /** One key, the whole list. One read in flight at a time: a burst of turns after expiry shares it instead of each reading storage. */
  private readonly cache: LoadingCache<readonly Agreement[]>;

  constructor(client: TableClient, cache: AgreementCacheOptions = { ttlMs: 0 }) {
    this.store = new EntityStore(client, {
      kind: "agreement",
      schema: AgreementSchema,
      keys: (a) => ({ partitionKey: MCA_PARTITION, rowKey: `agreement|${a.version}` }),
    });
    this.cache = new LoadingCache({ max: 1, ttlMs: cache.ttlMs, ...(cache.clock ? { now: cache.clock } : {}) });
  }

  async current(now: Date): Promise<Agreement | undefined> {
    const versions = await this.versions();
    let current: Agreement | undefined;
    for (const a of versions) {
      const from = Date.parse(a.effectiveFrom);
      if (from <= now.getTime() && (!current || from > Date.parse(current.effectiveFrom))) current = a;
    }
    return current;
  }

  async upsert(agreement: Agreement): Promise<void> {
    await this.store.upsert(agreement);
    // A read in flight meanwhile does not store its (older) list.
    this.cache.delete(VERSIONS);
  }

  private versions(): Promise<readonly Agreement[]> {
    return this.cache.get(VERSIONS, async () => (await this.store.listInPartition(MCA_PARTITION)).map((row) => row.value));
  }
}
