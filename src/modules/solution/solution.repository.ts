import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** The work a share quotes, with the miner it was handed to. */
export interface WorkRef {
  id: string;
  network: string;
  minerId: number;
  workerId: number;
  minerGuid: string;
  hashTarget: string;
  /** The miner's suspension (set by MinerSuspender), if any. */
  minerSuspendedUntil: Date | null;
}

export interface NewSolution {
  messageId: string;
  network: string;
  workId: string;
  minerId: number;
  workerId: number;
  blockHash: string;
  prevHeight: number;
  bibleHash: string;
  hashTarget: string;
  shareWeight: bigint;
  hashesPerSecond: number;
  /** When the frontend received it: rounds and PPLNS windows go by this. */
  receivedAt: Date;
  insertedAt: Date;
}

export interface NewRejectedSolution {
  messageId: string;
  network: string;
  workId: string | null;
  minerId: number | null;
  workerId: number | null;
  reason: string;
  detail: string | null;
  bibleHash: string | null;
  solutionString: string | null;
  insertedAt: Date;
}

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/** Every query on solution and rejected_solution (and the work/miner reads validation needs). */
@Injectable()
export class SolutionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async findWorks(ids: readonly string[]): Promise<Map<string, WorkRef>> {
    if (ids.length === 0) return new Map();
    const rows: {
      id: string;
      network: string;
      miner_id: number;
      worker_id: number;
      guid: string;
      hash_target: string;
      suspended_until: Date | null;
    }[] = await this.db.query(
      `SELECT w.id, w.network, w.miner_id, w.worker_id, m.guid, w.hash_target, m.suspended_until
         FROM work w JOIN miner m ON m.id = w.miner_id WHERE w.id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          network: r.network,
          minerId: Number(r.miner_id),
          workerId: Number(r.worker_id),
          minerGuid: r.guid,
          hashTarget: r.hash_target,
          minerSuspendedUntil: r.suspended_until,
        },
      ]),
    );
  }

  /** Bytes of solution strings stored with each miner's rejections since `since`. */
  async storedRejectedBytes(
    minerIds: readonly number[],
    since: Date,
  ): Promise<Map<number, number>> {
    if (minerIds.length === 0) return new Map();
    const rows: { miner_id: number; bytes: string | number | null }[] = await this.db.query(
      `SELECT miner_id, SUM(LENGTH(solution_string)) AS bytes FROM rejected_solution
        WHERE miner_id IN (${placeholders(minerIds.length)}) AND inserted_at >= ?
          AND solution_string IS NOT NULL GROUP BY miner_id`,
      [...minerIds, since],
    );
    return new Map(rows.map((r) => [Number(r.miner_id), Number(r.bytes ?? 0)]));
  }

  /** Rejections per miner since `since`, leaving out the reasons an honest miner also gets. */
  async recentRejections(
    minerIds: readonly number[],
    since: Date,
    exempt: readonly string[],
  ): Promise<Map<number, { count: number; reasons: string }>> {
    if (minerIds.length === 0) return new Map();
    const rows: { miner_id: number; n: string | number; reasons: string }[] = await this.db.query(
      `SELECT miner_id, COUNT(*) AS n, GROUP_CONCAT(DISTINCT reason ORDER BY reason SEPARATOR ', ') AS reasons
           FROM rejected_solution
          WHERE miner_id IN (${placeholders(minerIds.length)}) AND inserted_at >= ?
            AND reason NOT IN (${placeholders(exempt.length)}) GROUP BY miner_id`,
      [...minerIds, since, ...exempt],
    );
    return new Map(
      rows.map((r) => [Number(r.miner_id), { count: Number(r.n), reasons: r.reasons }]),
    );
  }

  /** Suspends each miner until `until` unless a suspension is already in force. */
  async suspendMiner(minerId: number, until: Date, reason: string, now: Date): Promise<boolean> {
    const result: { affectedRows?: number } = await this.db.query(
      `UPDATE miner SET suspended_until = ?, suspended_reason = ?
        WHERE id = ? AND (suspended_until IS NULL OR suspended_until <= ?)`,
      [until, reason.slice(0, 160), minerId, now],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  async acceptedBibleHashes(hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: { bible_hash: string }[] = await this.db.query(
      `SELECT bible_hash FROM solution WHERE bible_hash IN (${placeholders(hashes.length)})`,
      [...hashes],
    );
    return new Set(rows.map((r) => r.bible_hash));
  }

  /**
   * Message ids already recorded as accepted or rejected. `locking` reads the latest committed rows
   * (not the transaction's snapshot) so a message recorded by a racing consumer is seen.
   */
  async recordedMessageIds(
    ids: readonly string[],
    manager: EntityManager | DataSource = this.db,
    locking = false,
  ): Promise<{ accepted: Set<string>; rejected: Set<string> }> {
    if (ids.length === 0) return { accepted: new Set(), rejected: new Set() };
    const lock = locking ? ' LOCK IN SHARE MODE' : '';
    const list = placeholders(ids.length);
    const accepted: { message_id: string }[] = await manager.query(
      `SELECT message_id FROM solution WHERE message_id IN (${list})${lock}`,
      [...ids],
    );
    const rejected: { message_id: string }[] = await manager.query(
      `SELECT message_id FROM rejected_solution WHERE message_id IN (${list})${lock}`,
      [...ids],
    );
    return {
      accepted: new Set(accepted.map((r) => r.message_id)),
      rejected: new Set(rejected.map((r) => r.message_id)),
    };
  }

  /** INSERT IGNORE: a bible hash or message id already present is skipped, never an error. */
  async insertAccepted(manager: EntityManager, rows: readonly NewSolution[]): Promise<void> {
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const r of rows) {
      params.push(
        r.messageId,
        r.network,
        r.workId,
        r.minerId,
        r.workerId,
        r.blockHash,
        r.prevHeight,
        r.bibleHash,
        r.hashTarget,
        r.shareWeight.toString(),
        r.hashesPerSecond,
        r.receivedAt,
        r.insertedAt,
      );
    }
    await manager.query(
      `INSERT IGNORE INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash, prev_height,
         bible_hash, hash_target, share_weight, hashes_per_second, received_at, inserted_at)
       VALUES ${Array(rows.length).fill('(?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      params,
    );
  }

  async insertRejected(
    manager: EntityManager,
    rows: readonly NewRejectedSolution[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const r of rows) {
      params.push(
        r.messageId,
        r.network,
        r.workId,
        r.minerId,
        r.workerId,
        r.reason,
        r.detail?.slice(0, 255) ?? null,
        r.bibleHash,
        r.solutionString,
        r.insertedAt,
      );
    }
    await manager.query(
      `INSERT IGNORE INTO rejected_solution (message_id, network, work_id, miner_id, worker_id, reason, detail,
         bible_hash, solution_string, inserted_at)
       VALUES ${Array(rows.length).fill('(?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      params,
    );
  }

  /** Keeps miner.last_accepted_solution_at current (ids sorted: a fixed lock order avoids deadlocks). */
  async touchMiners(manager: EntityManager, lastAccepted: Map<number, Date>): Promise<void> {
    for (const [minerId, at] of [...lastAccepted.entries()].sort((a, b) => a[0] - b[0])) {
      await manager.query(
        `UPDATE miner SET last_accepted_solution_at = GREATEST(COALESCE(last_accepted_solution_at, ?), ?) WHERE id = ?`,
        [at, at, minerId],
      );
    }
  }

  // ---- rounds (the block module assigns accepted shares to the pool block that pays them) ----

  /**
   * A pool block's round: every unassigned accepted share of its network that the pool received up
   * to the block's chain time (not when it was validated: a backlog must not move shares).
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

  // ---- cleanup (bounded batches) ----

  deleteOldWork(before: Date, limit: number): Promise<number> {
    return this.affected('DELETE FROM work WHERE created_at < ? LIMIT ?', [before, limit]);
  }

  deleteOldRejected(before: Date, limit: number): Promise<number> {
    return this.affected('DELETE FROM rejected_solution WHERE inserted_at < ? LIMIT ?', [
      before,
      limit,
    ]);
  }

  forgetRejectedSolutionStrings(before: Date, limit: number): Promise<number> {
    return this.affected(
      'UPDATE rejected_solution SET solution_string = NULL WHERE inserted_at < ? AND solution_string IS NOT NULL LIMIT ?',
      [before, limit],
    );
  }

  /** Only shares whose round is settled (shared out or orphaned into a later round) may go. */
  deleteOldSettledSolutions(before: Date, limit: number): Promise<number> {
    return this.affected(
      `DELETE FROM solution WHERE id IN (
         SELECT id FROM (
           SELECT s.id FROM solution s JOIN block b ON b.id = s.block_id
            WHERE s.inserted_at < ? AND b.status = 'shared' LIMIT ?) AS settled)`,
      [before, limit],
    );
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const result = await this.db.query<{ affectedRows?: number }>(sql, params);
    return result.affectedRows ?? 0;
  }
}
