import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../../config/app-config';
import { MinerRepository, MinerRow } from './miner.repository';

export interface ResolvedWorker {
  miner: MinerRow;
  /** null: a new worker name past MAX_WORKERS_PER_MINER with every slot productive (nothing changed). */
  workerId: number | null;
}

interface CachedMiner {
  row: MinerRow;
  expiresAt: number;
  workers: Map<string, number>;
}

/**
 * Find-or-create for miners and workers with an in-process cache, so a steady getwork costs one
 * INSERT (the work row) and no reads. Concurrent first requests for the same miner share one
 * lookup. The miner row (disabled flag, rated hash target) is re-read after MINER_CACHE_SECONDS.
 * The cache is a bounded LRU of MINER_CACHE_ENTRIES miners: past it the least recently seen miner
 * is dropped, one at a time, so a flood of new addresses never sends every miner to the database;
 * miners not seen for MINER_CACHE_SECONDS are swept out, so it holds the active miners.
 * It stays a synchronous in-process map rather than cache-manager: it is read on every getwork,
 * holds live worker maps, and a promise per lookup would cost the hot path for nothing.
 */
@Injectable()
export class MinerRegistryService {
  private readonly miners: LRUCache<string, CachedMiner>;
  private readonly pending = new Map<string, Promise<unknown>>();
  /** When expired miners are next swept out (unix ms). */
  private nextSweep = 0;

  constructor(
    private readonly repository: MinerRepository,
    private readonly config: AppConfig,
  ) {
    this.miners = new LRUCache({ max: config.minerCacheEntries });
  }

  async resolve(
    network: string,
    address: string,
    email: string | null,
    workerName: string,
  ): Promise<ResolvedWorker> {
    this.sweepExpired(Date.now());
    const key = `${network}:${address}`;
    let cached = this.miners.get(key);
    if (!cached || cached.expiresAt <= Date.now()) {
      const row = await this.once(`m:${key}`, () =>
        this.repository.findOrCreateMiner(network, address, email),
      );
      // Worker names are re-read too: another frontend may have given an idle slot a new name.
      cached = this.remember(key, row);
    }
    let workerId: number | null | undefined = cached.workers.get(workerName);
    if (workerId === undefined) {
      const minerId = cached.row.id;
      const workers = cached.workers;
      const idleSince = new Date(Date.now() - this.config.workerIdleDays * 86_400_000);
      const found = await this.once(`w:${minerId}:${workerName}`, () =>
        this.repository.findOrCreateWorker(
          minerId,
          workerName,
          this.config.maxWorkersPerMiner,
          idleSince,
        ),
      );
      workerId = found?.id ?? null;
      if (found) {
        if (found.replaced !== null) workers.delete(found.replaced);
        workers.set(workerName, found.id);
      }
    }
    return { miner: cached.row, workerId };
  }

  private remember(key: string, row: MinerRow, workers = new Map<string, number>()): CachedMiner {
    const entry = { row, workers, expiresAt: Date.now() + this.config.minerCacheSeconds * 1000 };
    this.miners.set(key, entry);
    return entry;
  }

  /**
   * Drops every expired miner, at most once per MINER_CACHE_SECONDS (at least a second apart): an
   * expired entry is never used again (the next getwork re-reads the row and starts a new entry,
   * worker names included), so without the sweep miners that stopped mining would stay until
   * MINER_CACHE_ENTRIES is reached — ~0.5 KB of heap each, ~100 MB at the default bound
   * (docs/SOAK.md, Memory). One pass over the entries, in insertion order, without touching recency.
   */
  private sweepExpired(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + Math.max(1000, this.config.minerCacheSeconds * 1000);
    const expired: string[] = [];
    for (const [key, entry] of this.miners.entries()) if (entry.expiresAt <= now) expired.push(key);
    for (const key of expired) this.miners.delete(key);
  }

  /** Miners held now (at most MINER_CACHE_ENTRIES). */
  get size(): number {
    return this.miners.size;
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const inFlight = this.pending.get(key) as Promise<T> | undefined;
    if (inFlight) return inFlight;
    const promise = load().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
