import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { insertRows, insertRowsBounded } from '../../database/multi-row-insert';

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
  /** Where the share came from (IPv4 address, IPv6 /64; null: unknown): suspensions count by it. */
  source: string | null;
  reason: string;
  detail: string | null;
  bibleHash: string | null;
  solutionString: string | null;
  insertedAt: Date;
}

const placeholders = (n: number): string => Array(n).fill('?').join(',');

/**
 * The solution tables' writes and the reads validation and suspension need (rounds:
 * round.repository.ts, pruning: solution-cleanup.repository.ts).
 */
@Injectable()
export class SolutionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Bytes of solution strings stored with each source's rejections since `since`. */
  async storedRejectedBytesBySource(
    sources: readonly string[],
    since: Date,
  ): Promise<Map<string, number>> {
    if (sources.length === 0) return new Map();
    const rows: { source: string; bytes: string | number | null }[] = await this.db.query(
      `SELECT source, SUM(LENGTH(solution_string)) AS bytes FROM rejected_solution
        WHERE source IN (${placeholders(sources.length)}) AND inserted_at >= ?
          AND solution_string IS NOT NULL GROUP BY source`,
      [...sources, since],
    );
    return new Map(rows.map((r) => [r.source, Number(r.bytes ?? 0)]));
  }

  /** Bytes of solution strings stored with all rejections of these networks since `since`. */
  async storedRejectedBytesTotal(networks: readonly string[], since: Date): Promise<number> {
    if (networks.length === 0) return 0;
    const [row]: { bytes: string | number | null }[] = await this.db.query(
      `SELECT SUM(LENGTH(solution_string)) AS bytes FROM rejected_solution
        WHERE network IN (${placeholders(networks.length)}) AND inserted_at >= ?
          AND solution_string IS NOT NULL`,
      [...networks, since],
    );
    return Number(row?.bytes ?? 0);
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

  /** Rejections per source since `since`, leaving out the reasons an honest miner also gets. */
  async recentRejectionsBySource(
    sources: readonly string[],
    since: Date,
    exempt: readonly string[],
  ): Promise<Map<string, { count: number; reasons: string }>> {
    if (sources.length === 0) return new Map();
    const rows: { source: string; n: string | number; reasons: string }[] = await this.db.query(
      `SELECT source, COUNT(*) AS n, GROUP_CONCAT(DISTINCT reason ORDER BY reason SEPARATOR ', ') AS reasons
           FROM rejected_solution
          WHERE source IN (${placeholders(sources.length)}) AND inserted_at >= ?
            AND reason NOT IN (${placeholders(exempt.length)}) GROUP BY source`,
      [...sources, since, ...exempt],
    );
    return new Map(rows.map((r) => [r.source, { count: Number(r.n), reasons: r.reasons }]));
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
    await insertRows(
      manager,
      `INSERT IGNORE INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash, prev_height,
         bible_hash, hash_target, share_weight, hashes_per_second, received_at, inserted_at)`,
      rows,
      (r) => [
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
      ],
    );
  }

  /** In statements of at most 4 MiB each: stored solution strings may be large. */
  async insertRejected(
    manager: EntityManager,
    rows: readonly NewRejectedSolution[],
  ): Promise<void> {
    await insertRowsBounded(
      manager,
      `INSERT IGNORE INTO rejected_solution (message_id, network, work_id, miner_id, worker_id, source, reason,
         detail, bible_hash, solution_string, inserted_at)`,
      rows,
      (r) => [
        r.messageId,
        r.network,
        r.workId,
        r.minerId,
        r.workerId,
        r.source,
        r.reason,
        r.detail?.slice(0, 255) ?? null,
        r.bibleHash,
        r.solutionString,
        r.insertedAt,
      ],
    );
  }

  /** Per miner of a network since `since`: accepted and rejected shares, and the weight of the last hour. */
  async ratingCounts(
    network: string,
    since: Date,
    hourAgo: Date,
  ): Promise<{ minerId: number; accepted: number; rejected: number; recentWeight: bigint }[]> {
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
    return rows.map((r) => ({
      minerId: Number(r.miner_id),
      accepted: Number(r.accepted),
      rejected: Number(r.rejected),
      recentWeight: BigInt(r.recent_weight ?? 0),
    }));
  }

  private async affected(sql: string, params: unknown[]): Promise<number> {
    const result = await this.db.query<{ affectedRows?: number }>(sql, params);
    return result.affectedRows ?? 0;
  }
}
