import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { bigIntToHash, hashToBigInt } from '../../biblepay/hash-target';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';

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
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  async run(network: Network, now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - this.config.money.ratingDays * 86_400_000);
    const hourAgo = new Date(now.getTime() - 3_600_000);
    const rows: {
      miner_id: number;
      accepted: string | number;
      rejected: string | number;
      recent_weight: string | null;
    }[] = await this.db.query(
      `SELECT m.miner_id, m.accepted, COALESCE(r.rejected, 0) rejected, m.recent_weight FROM
           (SELECT miner_id, COUNT(*) accepted,
                   SUM(CASE WHEN inserted_at >= ? THEN share_weight ELSE 0 END) recent_weight
              FROM solution WHERE network = ? AND inserted_at >= ? GROUP BY miner_id) m
         LEFT JOIN (SELECT miner_id, COUNT(*) rejected FROM rejected_solution
                     WHERE network = ? AND inserted_at >= ? AND miner_id IS NOT NULL GROUP BY miner_id) r
           ON r.miner_id = m.miner_id`,
      [hourAgo, network, since, network, since],
    );
    const base = hashToBigInt(this.config.baseHashTarget);
    for (const row of rows) {
      const accepted = Number(row.accepted);
      const rejected = Number(row.rejected);
      const efficiency = accepted / Math.max(1, accepted + rejected);
      // base-target shares per minute in the last hour (weights are in millionths)
      const perMinute = Number(BigInt(row.recent_weight ?? 0) / 1_000_000n) / 60;
      let multiplier = 1;
      while (
        multiplier < MAX_MULTIPLIER &&
        perMinute / (multiplier * 2) >= this.config.money.ratingSharesPerMinute
      ) {
        multiplier *= 2;
      }
      const target = multiplier === 1 ? null : bigIntToHash(base / BigInt(multiplier));
      await this.db.query('UPDATE miner SET rating = ?, hash_target = ? WHERE id = ?', [
        efficiency.toFixed(6),
        target,
        row.miner_id,
      ]);
    }
    return rows.length;
  }
}
