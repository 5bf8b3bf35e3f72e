import { Injectable } from '@nestjs/common';
import { BaseUnits } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';
import { BlockStatus } from '../block/entities/block.entity';
import { lastUtcDays, percentOf, startOfUtcDays } from './format';
import { ReadCache } from './read-cache';
import { BlockRow, WebReadModel } from './web-read-model';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hashrates are the workers' reports over this window (one share per thread per 2 min at most). */
export const HASHRATE_WINDOW_MS = HOUR_MS;
export const CHART_DAYS = 7;
export const TOP_MINERS = 20;
export const LAST_POOL_BLOCKS = 50;

/** What a visitor sees of a block: `shared` splits into credited and paid. */
export type BlockDisplayStatus = Exclude<BlockStatus, 'shared'> | 'credited' | 'paid';

export interface DisplayBlock extends BlockRow {
  displayStatus: BlockDisplayStatus;
}

export interface PoolSummary {
  network: Network;
  poolAddress: string;
  generatedAt: Date;
  currentHeight: number | null;
  last24h: {
    allBlocks: number;
    poolBlocks: number;
    poolBlocksPercent: number;
    /** Σ subsidy of the pool's blocks (the original's `bbp_mined`). */
    coinsMined: BaseUnits;
  };
  /** Miners with an accepted share in the last 24 h. */
  activeMiners: number;
  hashrate: { hashesPerSecond: number; workers: number };
  payoutMinimum: BaseUnits;
  feePercent: string;
}

export interface PoolStatistics extends PoolSummary {
  days: { day: string; shares: number; poolBlocks: number }[];
  /** Pool blocks expected today at the rate of yesterday and today so far (as the original). */
  forecastBlocksToday: number;
  topMiners: { address: string; shares: number; sharePercent: number }[];
  lastBlocks: DisplayBlock[];
}

/** Pool-wide numbers for the index, statistics page and APIs; every read is cached briefly. */
@Injectable()
export class PoolStatsService {
  constructor(
    private readonly repo: WebReadModel,
    private readonly cache: ReadCache,
    private readonly config: AppConfig,
  ) {}

  summary(network: Network): Promise<PoolSummary> {
    return this.cache.get(`summary:${network}`, () => this.loadSummary(network));
  }

  statistics(network: Network): Promise<PoolStatistics> {
    return this.cache.get(`statistics:${network}`, () => this.loadStatistics(network));
  }

  /** Blocks newest first with their display status; `poolOnly` limits to the pool's own. */
  blocksPage(
    network: Network,
    poolOnly: boolean,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; blocks: DisplayBlock[] }> {
    return this.cache.get(`blocks:${network}:${poolOnly}:${page}:${pageSize}`, async () => {
      const [total, rows] = await Promise.all([
        this.repo.countBlocks(network, poolOnly),
        this.repo.blocks(network, { poolOnly, limit: pageSize, offset: (page - 1) * pageSize }),
      ]);
      return { total, blocks: await this.withDisplayStatus(network, rows) };
    });
  }

  /** The original's masternode-revenue helper: Σ subsidy and count of all blocks in `days`. */
  subsidySum(network: Network, days: number): Promise<{ sum: BaseUnits | null; count: number }> {
    return this.cache.get(`subsidysum:${network}:${days}`, () =>
      this.repo.subsidySum(network, new Date(Date.now() - days * DAY_MS)),
    );
  }

  private async loadSummary(network: Network): Promise<PoolSummary> {
    const now = new Date();
    const dayAgo = new Date(now.getTime() - DAY_MS);
    const [currentHeight, counts, byMiner, hashrate] = await Promise.all([
      this.repo.currentHeight(network),
      this.repo.blockCounts(network, dayAgo),
      this.cachedSharesByMiner(network),
      this.repo.poolHashrate(network, new Date(now.getTime() - HASHRATE_WINDOW_MS)),
    ]);
    return {
      network,
      poolAddress: this.config.poolAddressOf(network),
      generatedAt: now,
      currentHeight,
      last24h: {
        allBlocks: counts.allBlocks,
        poolBlocks: counts.poolBlocks,
        poolBlocksPercent: percentOf(counts.poolBlocks, counts.allBlocks),
        coinsMined: counts.poolSubsidy,
      },
      activeMiners: byMiner.length,
      hashrate: { hashesPerSecond: hashrate.hps, workers: hashrate.workers },
      payoutMinimum: this.config.payoutMinimum[network],
      feePercent: this.config.poolFee.percent,
    };
  }

  private async loadStatistics(network: Network): Promise<PoolStatistics> {
    const now = new Date();
    const since = startOfUtcDays(now, CHART_DAYS);
    const [summary, shares, blocks, byMiner, lastBlocks] = await Promise.all([
      this.summary(network),
      this.repo.sharesPerDay(network, since),
      this.repo.poolBlocksPerDay(network, since),
      this.cachedSharesByMiner(network),
      this.repo.blocks(network, { poolOnly: true, limit: LAST_POOL_BLOCKS, offset: 0 }),
    ]);
    const sharesByDay = new Map(shares.map((d) => [d.day, d.count]));
    const blocksByDay = new Map(blocks.map((d) => [d.day, d.count]));
    const days = lastUtcDays(now, CHART_DAYS).map((day) => ({
      day,
      shares: sharesByDay.get(day) ?? 0,
      poolBlocks: blocksByDay.get(day) ?? 0,
    }));

    const top = [...byMiner].sort((a, b) => b.shares - a.shares).slice(0, TOP_MINERS);
    const totalShares = byMiner.reduce((sum, m) => sum + m.shares, 0);
    const addresses = await this.repo.minerAddresses(top.map((m) => m.minerId));

    return {
      ...summary,
      days,
      forecastBlocksToday: forecastBlocksToday(days, now),
      topMiners: top.map((m) => ({
        address: addresses.get(m.minerId) ?? `#${m.minerId}`,
        shares: m.shares,
        sharePercent: percentOf(m.shares, totalShares),
      })),
      lastBlocks: await this.withDisplayStatus(network, lastBlocks),
    };
  }

  /** One scan of the last 24 h of shares per minute serves both the summary and the top list. */
  private cachedSharesByMiner(network: Network) {
    return this.cache.get(`sharesByMiner:${network}`, () =>
      this.repo.sharesByMiner(network, new Date(Date.now() - DAY_MS)),
    );
  }

  private async withDisplayStatus(network: Network, rows: BlockRow[]): Promise<DisplayBlock[]> {
    const shared = rows.filter((b) => b.status === 'shared');
    const paid = shared.length
      ? await this.repo.paidBlockIds(
          network,
          shared.map((b) => b.id),
        )
      : new Set<number>();
    return rows.map((b) => ({
      ...b,
      displayStatus:
        b.status === 'shared'
          ? paid.has(b.id)
            ? 'paid'
            : 'credited'
          : (b.status as BlockDisplayStatus),
    }));
  }
}

/**
 * The original's forecast: pool blocks of yesterday and today so far, as a rate over the hours
 * they span, times 24.
 */
export function forecastBlocksToday(days: { poolBlocks: number }[], now: Date): number {
  if (days.length < 2) return 0;
  const recent = days[days.length - 2].poolBlocks + days[days.length - 1].poolBlocks;
  const hoursToday =
    (now.getTime() - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) / HOUR_MS;
  return Math.round((recent / (24 + hoursToday)) * 24);
}
