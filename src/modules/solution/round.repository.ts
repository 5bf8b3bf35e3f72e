import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Rounds: which pool block pays each accepted share (`solution.block_id`), and the share weights
 * the payout schemes split by. Owned by the solution module; the block module uses it through
 * SolutionStoreModule.
 */
@Injectable()
export class RoundRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * A pool block's round: every unassigned accepted share of its network that the pool received up
   * to the round's end (roundEnd: not when a share was validated, a backlog must not move shares).
   */
  async assignRound(
    manager: EntityManager,
    network: string,
    blockId: number,
    upTo: Date,
  ): Promise<number> {
    const result: { affectedRows?: number } = await manager.query(
      'UPDATE solution SET block_id = ? WHERE network = ? AND block_id IS NULL AND received_at <= ?',
      [blockId, network, upTo],
    );
    return result.affectedRows ?? 0;
  }

  /**
   * Where a pool block's round ends, by what the pool saw: when it received the share that found
   * the block (the solution whose block hash is the block's). Without one (the block came from a
   * share the pool never got), when the pool first saw the block — or the end of the block's own
   * second, if that is earlier (a walker catching up after downtime must not stretch the round).
   * Never the header time alone: the finder's wallet writes it, up to two hours ahead.
   */
  async roundEnd(
    block: { network: string; hash: string; chainTime: Date; firstSeenAt: Date },
    manager: EntityManager | DataSource = this.db,
  ): Promise<Date> {
    const rows: { at: Date | null }[] = await manager.query(
      'SELECT MIN(received_at) AS at FROM solution WHERE block_hash = ? AND network = ?',
      [block.hash, block.network],
    );
    const found = rows[0]?.at;
    if (found) return found;
    return new Date(Math.min(block.firstSeenAt.getTime(), block.chainTime.getTime() + 999));
  }

  /** Moves an orphaned block's shares to another round (or back to unassigned: null). */
  async moveRound(
    manager: EntityManager,
    fromBlockId: number,
    toBlockId: number | null,
  ): Promise<number> {
    const result: { affectedRows?: number } = await manager.query(
      'UPDATE solution SET block_id = ? WHERE block_id = ?',
      [toBlockId, fromBlockId],
    );
    return result.affectedRows ?? 0;
  }

  /** PROP: each miner's summed share weight in the block's round. */
  async roundWeights(
    blockId: number,
    manager: EntityManager | DataSource = this.db,
  ): Promise<Map<number, bigint>> {
    const rows: { miner_id: number; weight: string }[] = await manager.query(
      'SELECT miner_id, SUM(share_weight) weight FROM solution WHERE block_id = ? GROUP BY miner_id',
      [blockId],
    );
    return new Map(rows.map((r) => [Number(r.miner_id), BigInt(r.weight)]));
  }

  /**
   * PPLNS: the last `window` units of share weight up to `upTo`, per miner. The oldest share in the
   * window counts only with the part of its weight that fits, so the window is exact.
   */
  async lastNWeights(
    network: string,
    upTo: Date,
    window: bigint,
    manager: EntityManager | DataSource = this.db,
  ): Promise<Map<number, bigint>> {
    const rows: { miner_id: number; share_weight: string | number; before: string | number }[] =
      await manager.query(
        `SELECT miner_id, share_weight, before_weight AS \`before\` FROM (
         SELECT miner_id, share_weight,
                COALESCE(SUM(share_weight) OVER (ORDER BY received_at DESC, id DESC
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_weight
           FROM solution WHERE network = ? AND received_at <= ?) w
        WHERE before_weight < ?`,
        [network, upTo, window.toString()],
      );
    const weights = new Map<number, bigint>();
    for (const r of rows) {
      const room = window - BigInt(r.before);
      const w = BigInt(r.share_weight) < room ? BigInt(r.share_weight) : room;
      weights.set(Number(r.miner_id), (weights.get(Number(r.miner_id)) ?? 0n) + w);
    }
    return weights;
  }
}
