import { Logger } from '@nestjs/common';
import { type Cache, createCache } from 'cache-manager';
import { createWebCacheStore } from './cache/web-cache-store';

/** A shared store slower than this counts as away for the read that waited on it. */
export const SHARED_STORE_TIMEOUT_MS = 250;
/** After a shared-store failure, reads skip it this long (an outage costs one wait, not each read). */
export const SHARED_STORE_RETRY_MS = 5000;

export interface ReadCacheOptions {
  /** The store is remote (CACHE_URL): bound each call and survive its outages. */
  shared?: boolean;
  now?: () => number;
}

/**
 * Every page and API read goes through here: a result is kept in the cache-manager store for
 * WEB_CACHE_SECONDS, and requests that arrive while the same read is running wait for it instead
 * of starting another (single flight), so a burst of visitors costs the database one query per key
 * and period. A failed read is not kept: the next request tries again. cache-manager's own `wrap`
 * is not used: it stores every value (we skip "not found yet" ones), treats a TTL of 0 as "forever"
 * and fails the read when the store fails; here a store that fails only costs a database read.
 */
export class ReadCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly ttlMs: number;
  private readonly shared: boolean;
  private readonly now: () => number;
  private storeAwayUntil = 0;
  private readonly logger = new Logger('WebCache');

  constructor(
    private readonly cache: Cache,
    ttlSeconds: number,
    options: ReadCacheOptions = {},
  ) {
    this.ttlMs = ttlSeconds * 1000;
    this.shared = options.shared ?? false;
    this.now = options.now ?? Date.now;
    for (const store of cache.stores)
      store.on('error', (error: unknown) => this.storeFailed(error));
  }

  /** `keep` decides whether a loaded value may be reused (e.g. not a "not found"). */
  get<T>(
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const read = this.read(key, load, keep).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, read);
    return read;
  }

  private async read<T>(key: string, load: () => Promise<T>, keep: (value: T) => boolean) {
    if (this.ttlMs > 0 && this.storeUsable()) {
      const hit = await this.bounded(this.cache.get<T>(key));
      if (hit !== undefined) return hit;
    }
    const value = await load();
    // Stored after the read finished, so a slow read is still reused for the full period.
    if (this.ttlMs > 0 && keep(value) && this.storeUsable()) {
      await this.bounded(this.cache.set(key, value, this.ttlMs));
    }
    return value;
  }

  private storeUsable(): boolean {
    return !this.shared || this.now() >= this.storeAwayUntil;
  }

  /** The store's answer, or undefined when it fails or (shared) is too slow. */
  private async bounded<T>(call: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!this.shared) return await call;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          this.storeFailed(new Error(`no answer within ${SHARED_STORE_TIMEOUT_MS} ms`));
          resolve(undefined);
        }, SHARED_STORE_TIMEOUT_MS);
      });
      return await Promise.race([call, late]);
    } catch (error) {
      this.storeFailed(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private storeFailed(error: unknown): void {
    const now = this.now();
    if (now < this.storeAwayUntil) return;
    this.storeAwayUntil = now + SHARED_STORE_RETRY_MS;
    this.logger.warn(
      `cache store failed (${(error as Error)?.message ?? String(error)}); reading from the database for ${SHARED_STORE_RETRY_MS / 1000} s`,
    );
  }
}

/** A ReadCache over this process's memory, outside Nest (unit tests, tools). */
export function memoryReadCache(ttlSeconds: number): ReadCache {
  return new ReadCache(createCache({ stores: [createWebCacheStore(null)] }), ttlSeconds);
}
