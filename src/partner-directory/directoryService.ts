import type { Partner } from "../domain/partner.js";
import { PartnerSearch, type SearchPage, type SearchQuery } from "./search.js";

/** What the service needs from storage: the whole directory (PartnerRepository fits). */
export interface DirectorySource {
  listAll(): Promise<Partner[]>;
}

/**
 * The directory as the bot sees it: one search index built from storage on first use and kept in memory
 * (every partner read in one range query; see bench/RESULTS.md for the build time at 500,000). Concurrent first calls share one load; a failed load
 * is not remembered, so the next call tries again. `reload()` swaps in a fresh index once it is built, and
 * searches keep using the old one meanwhile.
 */
export class DirectoryService {
  private loading: Promise<PartnerSearch> | undefined;
  /** The most recently started load: an older reload finishing late must not replace a newer index. */
  private latest: Promise<PartnerSearch> | undefined;

  constructor(private readonly source: DirectorySource) {}

  async search(query: SearchQuery): Promise<SearchPage> {
    return (await this.index()).search(query);
  }

  async get(id: string): Promise<Partner | undefined> {
    return (await this.index()).get(id);
  }

  async partnerOfContact(tenantId: string, userId: string): Promise<Partner | undefined> {
    return (await this.index()).partnerOfContact(tenantId, userId);
  }

  async places(): Promise<readonly string[]> {
    return (await this.index()).places;
  }

  /** Reads the directory again (after an import). Resolves when the new index serves searches. */
  async reload(): Promise<void> {
    const next = this.load();
    const built = await next;
    // Only the latest reload wins when two overlap; a failed reload leaves the current index in place.
    if (this.latest === next) this.loading = Promise.resolve(built);
  }

  private index(): Promise<PartnerSearch> {
    if (!this.loading) {
      const first = this.load();
      this.loading = first;
      first.catch(() => {
        if (this.loading === first) this.loading = undefined;
      });
    }
    return this.loading;
  }

  private load(): Promise<PartnerSearch> {
    const next = this.source.listAll().then((partners) => PartnerSearch.build(partners));
    this.latest = next;
    return next;
  }
}
