import type { Queryable } from '../../database/queryable';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BLOCK_STATUSES, BlockStatus } from './entities/block.entity';
import { insertRows } from '../../database/multi-row-insert';
import { MinerRepository } from '../mining/miner.repository';

export interface NewBlock {
  network: string;
  height: number;
  hash: string;
  chainTime: Date;
  subsidy: bigint;
  recipient: string;
  minerGuid: string | null;
  isPoolBlock: boolean;
  confirmations: number;
}

export interface PoolBlock {
  id: number;
  network: string;
  height: number;
  hash: string;
  chainTime: Date;
  /** When the pool first stored the block (the chain walker's `created_at`). */
  firstSeenAt: Date;
  subsidy: bigint;
  status: BlockStatus;
  roundAssigned: boolean;
}

interface RawPoolBlock {
  id: number;
  network: string;
  height: number;
  hash: string;
  chain_time: Date;
  created_at: Date;
  subsidy: string | number;
  status: BlockStatus;
  round_assigned: number;
}

const toPoolBlock = (r: RawPoolBlock): PoolBlock => ({
  id: Number(r.id),
  network: r.network,
  height: Number(r.height),
  hash: r.hash,
  chainTime: r.chain_time,
  firstSeenAt: r.created_at,
  subsidy: BigInt(r.subsidy),
  status: r.status,
  roundAssigned: Boolean(r.round_assigned),
});

const POOL_BLOCK_COLUMNS =
  'id, network, height, hash, chain_time, created_at, subsidy, status, round_assigned';

/** Every query on `block`. */
@Injectable()
export class BlockRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly miners: MinerRepository,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async lastHeight(network: string): Promise<number | null> {
    const rows: { h: number | null }[] = await this.db.query(
      "SELECT MAX(height) h FROM block WHERE network = ? AND status <> 'orphaned'",
      [network],
    );
    return rows[0]?.h === null || rows[0]?.h === undefined ? null : Number(rows[0].h);
  }

  /** Stores walked blocks; a pool block's finder is looked up by the MINERGUID in its coinbase. */
  async insertBlocks(blocks: readonly NewBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    const finders = await this.miners.idsByGuid(
      blocks.flatMap((b) => (b.minerGuid ? [b.minerGuid] : [])),
    );
    const now = new Date();
    await insertRows(
      this.db,
      `INSERT IGNORE INTO block (network, height, hash, chain_time, subsidy, recipient, miner_guid, miner_id,
         is_pool_block, status, confirmations, created_at)`,
      blocks,
      (b) => [
        b.network,
        b.height,
        b.hash,
        b.chainTime,
        b.subsidy.toString(),
        b.recipient,
        b.minerGuid,
        (b.minerGuid && finders.get(b.minerGuid)) ?? null,
        b.isPoolBlock,
        'pending',
        b.confirmations,
        now,
      ],
    );
  }

  /**
   * A walked block seen on the chain again after it was orphaned (the chain flipped back, A → B →
   * A): non-pool rows return to the chain here; pool blocks are restored by the round keeper.
   */
  async unorphanNonPool(network: string, blocks: readonly { height: number; hash: string }[]) {
    if (blocks.length === 0) return;
    await this.db.query(
      `UPDATE block SET status = 'pending' WHERE network = ? AND status = 'orphaned' AND is_pool_block = 0
         AND (height, hash) IN (${blocks.map(() => '(?, ?)').join(',')})`,
      [network, ...blocks.flatMap((b) => [b.height, b.hash])],
    );
  }

  /**
   * The current (not orphaned) stored rows at heights in [from, to], highest first. A height may
   * hold two: a replaced pool block not yet orphaned (or reversed) and the chain's block there.
   */
  async currentRows(
    network: string,
    from: number,
    to: number,
  ): Promise<{ height: number; hash: string }[]> {
    const rows: { height: number; hash: string }[] = await this.db.query(
      `SELECT height, hash FROM block WHERE network = ? AND height BETWEEN ? AND ? AND status <> 'orphaned'
        ORDER BY height DESC`,
      [network, from, to],
    );
    return rows.map((r) => ({ height: Number(r.height), hash: r.hash }));
  }

  /** Non-pool rows the chain no longer has (another hash at their height); how many changed. */
  async orphanNonPool(
    network: string,
    blocks: readonly { height: number; hash: string }[],
  ): Promise<number> {
    if (blocks.length === 0) return 0;
    const result: { affectedRows?: number } = await this.db.query(
      `UPDATE block SET status = 'orphaned' WHERE network = ? AND is_pool_block = 0 AND status <> 'orphaned'
         AND (height, hash) IN (${blocks.map(() => '(?, ?)').join(',')})`,
      [network, ...blocks.flatMap((b) => [b.height, b.hash])],
    );
    return result.affectedRows ?? 0;
  }

  /** Orphaned pool blocks at or above `fromHeight`: the chain may still bring them back. */
  async orphanedPoolBlocks(network: string, fromHeight: number): Promise<PoolBlock[]> {
    const rows: RawPoolBlock[] = await this.db.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block
        WHERE network = ? AND is_pool_block = 1 AND status = 'orphaned' AND reversed_at IS NULL
          AND height >= ? ORDER BY height, id`,
      [network, fromHeight],
    );
    return rows.map(toPoolBlock);
  }

  /**
   * An orphaned pool block that is on the chain again: pending once more, its round to be fixed
   * again at maturity. Conditional on it still being orphaned: false when another run got there.
   */
  async restoreOrphaned(blockId: number): Promise<boolean> {
    const result: { affectedRows?: number } = await this.db.query(
      "UPDATE block SET status = 'pending', round_assigned = 0 WHERE id = ? AND status = 'orphaned'",
      [blockId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Shared-out pool blocks at or above `fromHeight`: a deep reorg may still take them away. */
  async sharedPoolBlocks(network: string, fromHeight: number): Promise<PoolBlock[]> {
    const rows: RawPoolBlock[] = await this.db.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block
        WHERE network = ? AND is_pool_block = 1 AND status = 'shared' AND height >= ? ORDER BY height, id`,
      [network, fromHeight],
    );
    return rows.map(toPoolBlock);
  }

  /**
   * Shared-out pool blocks at or above `fromHeight` that the walker found displaced: another
   * current block is stored at their height (the chain's, walked after a reorg). A reorg deeper
   * than REORG_DEPTH leaves them below the re-checked window; the reversal re-checks them anyway.
   */
  async displacedSharedPoolBlocks(network: string, fromHeight: number): Promise<PoolBlock[]> {
    const rows: RawPoolBlock[] = await this.db.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block b
        WHERE b.network = ? AND b.is_pool_block = 1 AND b.status = 'shared' AND b.height >= ?
          AND EXISTS (SELECT 1 FROM block o WHERE o.network = b.network AND o.height = b.height
                        AND o.hash <> b.hash AND o.status <> 'orphaned')
        ORDER BY b.height, b.id`,
      [network, fromHeight],
    );
    return rows.map(toPoolBlock);
  }

  /**
   * shared → orphaned, marked reversed, only from `shared`: false when another run got there first.
   * Its round stays with it (those shares were paid by it; later rounds are fixed already).
   */
  async markReversed(manager: EntityManager, blockId: number): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      "UPDATE block SET status = 'orphaned', confirmations = 0, reversed_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'shared'",
      [blockId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Reversed pool blocks: subsidy and fee as they were shared out. */
  async reversedBlocks(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ id: number; height: number; hash: string; subsidy: bigint; fee: bigint }[]> {
    const rows: {
      id: number;
      height: number;
      hash: string;
      subsidy: string | number;
      pool_fee: string | number | null;
    }[] = await q.query(
      'SELECT id, height, hash, subsidy, pool_fee FROM block WHERE network = ? AND reversed_at IS NOT NULL ORDER BY height',
      [network],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      height: Number(r.height),
      hash: r.hash,
      subsidy: BigInt(r.subsidy),
      fee: BigInt(r.pool_fee ?? 0),
    }));
  }

  /** Non-pool blocks need no watching: a reorg of them only matters for statistics. */
  async markNonPoolMature(network: string, belowHeight: number): Promise<void> {
    await this.db.query(
      "UPDATE block SET status = 'mature' WHERE network = ? AND is_pool_block = 0 AND status = 'pending' AND height <= ?",
      [network, belowHeight],
    );
  }

  async openPoolBlocks(network: string): Promise<PoolBlock[]> {
    const rows: RawPoolBlock[] = await this.db.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block
        WHERE network = ? AND is_pool_block = 1 AND status IN ('pending', 'mature') ORDER BY height, id`,
      [network],
    );
    return rows.map(toPoolBlock);
  }

  async findPoolBlock(network: string, height: number): Promise<PoolBlock | null> {
    const rows: RawPoolBlock[] = await this.db.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block WHERE network = ? AND height = ? AND is_pool_block = 1
        AND status <> 'orphaned' ORDER BY id DESC LIMIT 1`,
      [network, height],
    );
    return rows.length ? toPoolBlock(rows[0]) : null;
  }

  /** Locks the block row for a shareout; null unless it is still a mature pool block. */
  async lockMature(manager: EntityManager, blockId: number): Promise<PoolBlock | null> {
    const rows: RawPoolBlock[] = await manager.query(
      `SELECT ${POOL_BLOCK_COLUMNS} FROM block WHERE id = ? FOR UPDATE`,
      [blockId],
    );
    const block = rows.length ? toPoolBlock(rows[0]) : null;
    return block && block.status === 'mature' && block.roundAssigned ? block : null;
  }

  /**
   * A status change only from the expected current status; false when another run changed the
   * block first (the caller then changes nothing else).
   */
  async transition(
    blockId: number,
    from: BlockStatus,
    to: BlockStatus,
    confirmations: number,
    manager: EntityManager | DataSource = this.db,
  ): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      'UPDATE block SET status = ?, confirmations = ? WHERE id = ? AND status = ?',
      [to, confirmations, blockId, from],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /**
   * Marks a pending pool block's round fixed (locking its row); false when it was fixed already or
   * the block is no longer pending — another run got there first, and nothing may be assigned.
   */
  async markRoundAssigned(manager: EntityManager, blockId: number): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      "UPDATE block SET round_assigned = 1 WHERE id = ? AND round_assigned = 0 AND status = 'pending'",
      [blockId],
    );
    return (result.affectedRows ?? 0) === 1;
  }

  async markShared(
    manager: EntityManager,
    blockId: number,
    fee: bigint,
    feeRecipient: string,
    feeReason: string | null = null,
  ): Promise<void> {
    const result: { affectedRows?: number } = await manager.query(
      "UPDATE block SET status = 'shared', pool_fee = ?, fee_recipient = ?, fee_reason = ?, shared_out_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'mature'",
      [fee.toString(), feeRecipient, feeReason, blockId],
    );
    if ((result.affectedRows ?? 0) === 0) {
      throw new Error(`block ${blockId} is no longer mature: its shareout is rolled back`);
    }
  }

  /** Shared-out pool blocks whose whole subsidy went to the fee, with the reason. */
  async feeOnlyBlocks(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ height: number; reason: string }[]> {
    const rows: { height: number; fee_reason: string }[] = await q.query(
      "SELECT height, fee_reason FROM block WHERE network = ? AND status = 'shared' AND fee_reason IS NOT NULL ORDER BY height",
      [network],
    );
    return rows.map((r) => ({ height: Number(r.height), reason: r.fee_reason }));
  }

  /** The stored block at a height that is still current (for re-checking it against the chain). */
  async currentHashAt(network: string, height: number): Promise<string | null> {
    const rows: { hash: string }[] = await this.db.query(
      "SELECT hash FROM block WHERE network = ? AND height = ? AND status <> 'orphaned' ORDER BY id DESC LIMIT 1",
      [network, height],
    );
    return rows[0]?.hash ?? null;
  }

  async orphanNonPoolAbove(network: string, height: number): Promise<void> {
    await this.db.query(
      "UPDATE block SET status = 'orphaned' WHERE network = ? AND height >= ? AND is_pool_block = 0",
      [network, height],
    );
  }

  /**
   * For the audit: every block that was shared out — still shared, or reversed since — with its
   * subsidy, fee and (subsidy − fee).
   */
  async sharedOut(
    network: string,
    q: Queryable = this.db,
  ): Promise<
    {
      id: number;
      height: number;
      subsidy: bigint;
      fee: bigint;
      distributable: bigint;
      reversed: boolean;
    }[]
  > {
    const rows: {
      id: number;
      height: number;
      subsidy: string | number;
      pool_fee: string | number | null;
      reversed: number;
    }[] = await q.query(
      `SELECT id, height, subsidy, pool_fee, reversed_at IS NOT NULL AS reversed FROM block
        WHERE network = ? AND (status = 'shared' OR reversed_at IS NOT NULL)`,
      [network],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      height: Number(r.height),
      subsidy: BigInt(r.subsidy),
      fee: BigInt(r.pool_fee ?? 0),
      distributable: BigInt(r.subsidy) - BigInt(r.pool_fee ?? 0),
      reversed: Boolean(Number(r.reversed)),
    }));
  }

  /** Pool blocks the chain has (not orphaned): what the wallet must have received. */
  async currentPoolBlocks(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ height: number; hash: string; subsidy: bigint }[]> {
    const rows: { height: number; hash: string; subsidy: string | number }[] = await q.query(
      "SELECT height, hash, subsidy FROM block WHERE network = ? AND is_pool_block = 1 AND status <> 'orphaned' ORDER BY height",
      [network],
    );
    return rows.map((r) => ({
      height: Number(r.height),
      hash: r.hash,
      subsidy: BigInt(r.subsidy),
    }));
  }

  /** Pool blocks per status (every status present, 0 when none), for /metrics. */
  async poolBlocksByStatus(network: string): Promise<Map<BlockStatus, number>> {
    const rows: { status: BlockStatus; n: number | string }[] = await this.db.query(
      'SELECT status, COUNT(*) n FROM block WHERE network = ? AND is_pool_block = 1 GROUP BY status',
      [network],
    );
    const counts = new Map<BlockStatus, number>(
      BLOCK_STATUSES.map((status) => [status, 0] as const),
    );
    for (const r of rows) counts.set(r.status, Number(r.n));
    return counts;
  }

  async unsharedPoolSubsidy(network: string, q: Queryable = this.db): Promise<bigint> {
    const rows: { total: string | null }[] = await q.query(
      "SELECT SUM(subsidy) total FROM block WHERE network = ? AND is_pool_block = 1 AND status IN ('pending', 'mature')",
      [network],
    );
    return BigInt(rows[0]?.total ?? 0);
  }

  /** Which of these blocks are shared out (their rounds are final). */
  async sharedAmong(blockIds: readonly number[]): Promise<number[]> {
    if (blockIds.length === 0) return [];
    const rows: { id: number | string }[] = await this.db.query(
      `SELECT id FROM block WHERE id IN (${blockIds.map(() => '?').join(',')}) AND status = 'shared'`,
      [...blockIds],
    );
    return rows.map((r) => Number(r.id));
  }
}
