import { Injectable } from '@nestjs/common';
import { bigIntToHash, hashToBigInt } from '../../biblepay/hash-target';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';
import { MinerRepository } from '../mining/miner.repository';
import { SolutionRepository } from '../solution/solution.repository';

const MAX_MULTIPLIER = 1024;

/**
 * Miner rating, as the original's evaluate_miner: share efficiency (accepted / all) over the last
 * RATING_DAYS. It feeds the hash target: a miner finding many more than RATING_SHARES_PER_MINUTE
 * shares in the last hour gets a harder target (a power-of-two fraction of the base), so the pool
 * stores fewer rows. Shares are weighted by difficulty, so a harder target never costs money.
 */
@Injectable()
export class RatingService {
  constructor(
    private readonly solutions: SolutionRepository,
    private readonly miners: MinerRepository,
    private readonly config: AppConfig,
  ) {}

  async run(network: Network, now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - this.config.money.ratingDays * 86_400_000);
    const hourAgo = new Date(now.getTime() - 3_600_000);
    const rows = await this.solutions.ratingCounts(network, since, hourAgo);
    const base = hashToBigInt(this.config.baseHashTarget);
    for (const row of rows) {
      const { accepted, rejected } = row;
      const efficiency = accepted / Math.max(1, accepted + rejected);
      // base-target shares per minute in the last hour (weights are in millionths)
      const perMinute = Number(row.recentWeight / 1_000_000n) / 60;
      let multiplier = 1;
      while (
        multiplier < MAX_MULTIPLIER &&
        perMinute / (multiplier * 2) >= this.config.money.ratingSharesPerMinute
      ) {
        multiplier *= 2;
      }
      const target = multiplier === 1 ? null : bigIntToHash(base / BigInt(multiplier));
      await this.miners.rate(row.minerId, efficiency.toFixed(6), target);
    }
    return rows.length;
  }
}
