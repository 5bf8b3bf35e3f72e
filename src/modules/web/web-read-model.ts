import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BaseUnits } from '../../biblepay/amount';
import { BlockStatus } from '../block/entities/block.entity';
import { LedgerCategory } from '../payout/entities/ledger-entry.entity';
import { PaymentStatus } from '../payout/entities/payment.entity';

/** mysql2 gives BIGINT/DECIMAL as number when safe and as exact text beyond; SUM of nothing is null. */
type DbNumber = number | string | null;

function big(value: DbNumber): bigint {
  return value === null ? 0n : BigInt(value);
}

function num(value: DbNumber): number {
  return value === null ? 0 : Number(value);
}

/** A DECIMAL average can have a fraction; hashrates are estimates, so a float is fine here. */
function float(value: DbNumber): number {
  return value === null ? 0 : Number.parseFloat(String(value));
}

export interface BlockCounts {
  allBlocks: number;
  poolBlocks: number;
  /** Σ subsidy of the pool's blocks, base units. */
  poolSubsidy: BaseUnits;
  /** Σ subsidy of all blocks, base units. */
  allSubsidy: BaseUnits;
}

export interface DayCount {
  day: string;
  count: number;
}

export interface MinerShareCount {
  minerId: number;
  shares: number;
  shareWeight: bigint;
}

export interface BlockRow {
  id: number;
  height: number;
  hash: string;
  chainTime: Date;
  subsidy: BaseUnits;
  recipient: string;
  isPoolBlock: boolean;
  status: BlockStatus;
  confirmations: number;
  finderAddress: string | null;
  sharedOutAt: Date | null;
}

export interface MinerRecord {
  id: number;
  network: string;
  address: string;
  disabled: boolean;
  createdAt: Date;
  lastAcceptedSolutionAt: Date | null;
}

/** A ledger payout entry `le` of payment `pay` the wallet sent (entries without a payment: legacy). */
const PAID = "(pay.status = 'sent' OR (pay.id IS NULL AND le.txid IS NOT NULL))";

export interface MinerMoney {
  /** Σ of every ledger entry: what the pool owes and has not yet put into a payment. */
  balance: BaseUnits;
  /** Block credits, less those taken back when their block was orphaned after shareout. */
  credited: BaseUnits;
  /** Payouts the wallet sent (it holds them: broadcast or confirmed). */
  paid: BaseUnits;
  /** Of `paid`, what has PAYOUT_CONFIRMATIONS confirmations; the rest is broadcast, pending. */
  confirmed: BaseUnits;
  lastPaidAt: Date | null;
}

export interface LedgerRow {
  id: number;
  amount: BaseUnits;
  category: LedgerCategory;
  blockHeight: number | null;
  note: string | null;
  txid: string | null;
  paymentStatus: PaymentStatus | null;
  /** A sent payment with PAYOUT_CONFIRMATIONS confirmations (false: broadcast, or not sent). */
  paymentConfirmed: boolean;
  createdAt: Date;
}

export interface WorkerActivity {
  workerId: number;
  name: string;
  shares: number;
  shareWeight: bigint;
  lastShareAt: Date;
  /** Mean reported hashes per second over the hashrate window; 0 when none in it. */
  hashesPerSecond: number;
}

export interface RejectionCount {
  workerName: string | null;
  reason: string;
  count: number;
  lastAt: Date;
  lastDetail: string | null;
}

/** Payouts held back after failed payments of this recipient's own, until the operator releases. */
export interface PayoutSetAsideRow {
  failures: number;
  lastError: string;
  since: Date;
}

/** A credit a deep reorg took back: from the balance (reversed) and what stayed paid (loss). */
export interface CreditReversalRow {
  height: number;
  hash: string;
  credited: BaseUnits;
  reversed: BaseUnits;
  loss: BaseUnits;
  createdAt: Date;
}

export interface PaymentErrorRow {
  amount: BaseUnits;
  error: string;
  createdAt: Date;
}

export interface HourCount {
  /** Start of the hour, UTC. */
  hour: Date;
  accepted: number;
  rejected: number;
}

/**
 * The web module's read model: every query the public pages and the JSON API make, across the
 * tables of the mining, solution, block and payout modules (their owners; see docs/ARCHITECTURE.md, "Schema").
 * SELECT only: the frontend's DB user may read the whole schema but write nothing here. Time bounds are computed by the caller and passed in
 * (UTC), so the queries never depend on the session time zone and stay on their indexes.
 */
@Injectable()
export class WebReadModel {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async currentHeight(network: string): Promise<number | null> {
    const rows: { h: DbNumber }[] = await this.db.query(
      'SELECT MAX(height) AS h FROM block WHERE network = ?',
      [network],
    );
    return rows[0].h === null ? null : num(rows[0].h);
  }

  /**
   * Blocks by chain time since `since`. An orphaned block is no longer on the chain (another
   * block holds its height), so it counts neither as found nor as mined.
   */
  async blockCounts(network: string, since: Date): Promise<BlockCounts> {
    const rows: { n: DbNumber; pool: DbNumber; pool_subsidy: DbNumber; all_subsidy: DbNumber }[] =
      await this.db.query(
        `SELECT COUNT(*) AS n, SUM(is_pool_block) AS pool,
                SUM(CASE WHEN is_pool_block = 1 THEN subsidy ELSE 0 END) AS pool_subsidy,
                SUM(subsidy) AS all_subsidy
           FROM block WHERE network = ? AND chain_time >= ? AND status <> 'orphaned'`,
        [network, since],
      );
    const r = rows[0];
    return {
      allBlocks: num(r.n),
      poolBlocks: num(r.pool),
      poolSubsidy: big(r.pool_subsidy),
      allSubsidy: big(r.all_subsidy),
    };
  }

  async poolBlocksPerDay(network: string, since: Date): Promise<DayCount[]> {
    const rows: { day: string; n: DbNumber }[] = await this.db.query(
      `SELECT DATE_FORMAT(chain_time, '%Y-%m-%d') AS day, COUNT(*) AS n
         FROM block WHERE network = ? AND is_pool_block = 1 AND chain_time >= ? AND status <> 'orphaned'
        GROUP BY day`,
      [network, since],
    );
    return rows.map((r) => ({ day: r.day, count: num(r.n) }));
  }

  /** Accepted shares per UTC day; with a miner, only theirs. Reads only the (…, inserted_at) index. */
  async sharesPerDay(network: string, since: Date, minerId?: number): Promise<DayCount[]> {
    const rows: { day: string; n: DbNumber }[] =
      minerId === undefined
        ? await this.db.query(
            `SELECT DATE_FORMAT(inserted_at, '%Y-%m-%d') AS day, COUNT(*) AS n
               FROM solution WHERE network = ? AND inserted_at >= ? GROUP BY day`,
            [network, since],
          )
        : await this.db.query(
            `SELECT DATE_FORMAT(inserted_at, '%Y-%m-%d') AS day, COUNT(*) AS n
               FROM solution WHERE miner_id = ? AND inserted_at >= ? GROUP BY day`,
            [minerId, since],
          );
    return rows.map((r) => ({ day: r.day, count: num(r.n) }));
  }

  /** Accepted shares per miner since a time: active miners and the top list from one scan. */
  async sharesByMiner(network: string, since: Date): Promise<MinerShareCount[]> {
    const rows: { miner_id: DbNumber; n: DbNumber; w: DbNumber }[] = await this.db.query(
      `SELECT miner_id, COUNT(*) AS n, SUM(share_weight) AS w
         FROM solution WHERE network = ? AND inserted_at >= ? GROUP BY miner_id`,
      [network, since],
    );
    return rows.map((r) => ({ minerId: num(r.miner_id), shares: num(r.n), shareWeight: big(r.w) }));
  }

  /**
   * The pool's hashrate estimate: each worker's mean reported hashes per second over the window
   * (the wallet reports its whole rate with every share), summed over the workers seen in it.
   */
  async poolHashrate(network: string, since: Date): Promise<{ hps: number; workers: number }> {
    const rows: { hps: DbNumber; workers: DbNumber }[] = await this.db.query(
      `SELECT SUM(w.hps) AS hps, COUNT(*) AS workers FROM (
          SELECT AVG(hashes_per_second) AS hps FROM solution
           WHERE network = ? AND inserted_at >= ? GROUP BY worker_id) w`,
      [network, since],
    );
    return { hps: float(rows[0].hps), workers: num(rows[0].workers) };
  }

  async minerAddresses(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: DbNumber; address: string }[] = await this.db.query(
      'SELECT id, address FROM miner WHERE id IN (?)',
      [ids],
    );
    return new Map(rows.map((r) => [num(r.id), r.address]));
  }

  /** Newest first; `poolOnly` limits to the pool's blocks. */
  async blocks(
    network: string,
    options: { poolOnly: boolean; limit: number; offset: number },
  ): Promise<BlockRow[]> {
    const rows: RawBlock[] = await this.db.query(
      `SELECT b.id, b.height, b.hash, b.chain_time, b.subsidy, b.recipient, b.is_pool_block,
              b.status, b.confirmations, b.shared_out_at, m.address AS finder_address
         FROM block b LEFT JOIN miner m ON m.id = b.miner_id
        WHERE b.network = ? ${options.poolOnly ? 'AND b.is_pool_block = 1' : ''}
        ORDER BY b.height DESC, b.hash DESC LIMIT ? OFFSET ?`,
      [network, options.limit, options.offset],
    );
    return rows.map(toBlockRow);
  }

  async countBlocks(network: string, poolOnly: boolean): Promise<number> {
    const rows: { n: DbNumber }[] = await this.db.query(
      `SELECT COUNT(*) AS n FROM block WHERE network = ? ${poolOnly ? 'AND is_pool_block = 1' : ''}`,
      [network],
    );
    return num(rows[0].n);
  }

  /**
   * Which of these shared blocks are fully paid: every miner credited by the block has a payout
   * the wallet sent after that credit. A payout pays a miner's whole balance, so a later sent
   * payout covers the credit; a miner still under the minimum keeps the block "credited".
   * Payouts are found through the payments (few rows) made since the oldest of these credits,
   * not by walking each miner's ledger.
   */
  async paidBlockIds(network: string, blockIds: number[]): Promise<Set<number>> {
    if (blockIds.length === 0) return new Set();
    const rows: { block_id: DbNumber; credited: DbNumber; paid: DbNumber }[] = await this.db.query(
      `SELECT c.block_id, COUNT(*) AS credited, SUM(COALESCE(sent.last_id, 0) > c.id) AS paid
         FROM ledger_entry c
         LEFT JOIN (
           SELECT le.miner_id, MAX(le.id) AS last_id
             FROM payment pay
             JOIN ledger_entry le ON le.payment_id = pay.id AND le.category = 'payout'
            WHERE pay.network = ? AND pay.status = 'sent'
              AND pay.created_at >= (SELECT MIN(created_at) FROM ledger_entry
                                      WHERE block_id IN (?) AND category = 'share')
            GROUP BY le.miner_id) sent ON sent.miner_id = c.miner_id
        WHERE c.block_id IN (?) AND c.category = 'share'
        GROUP BY c.block_id`,
      [network, blockIds, blockIds],
    );
    return new Set(
      rows
        .filter((r) => num(r.credited) > 0 && num(r.paid) === num(r.credited))
        .map((r) => num(r.block_id)),
    );
  }

  async findMiner(network: string, address: string): Promise<MinerRecord | null> {
    const rows: {
      id: DbNumber;
      network: string;
      address: string;
      disabled: number;
      created_at: Date;
      last_accepted_solution_at: Date | null;
    }[] = await this.db.query(
      `SELECT id, network, address, disabled, created_at, last_accepted_solution_at
         FROM miner WHERE network = ? AND address = ?`,
      [network, address],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      id: num(r.id),
      network: r.network,
      address: r.address,
      disabled: Boolean(r.disabled),
      createdAt: r.created_at,
      lastAcceptedSolutionAt: r.last_accepted_solution_at,
    };
  }

  /** Balance, credits and sent payouts straight from the ledger (never from a cached column). */
  async minerMoney(minerId: number): Promise<MinerMoney> {
    const rows: {
      balance: DbNumber;
      credited: DbNumber;
      paid: DbNumber;
      confirmed: DbNumber;
      last_paid_at: Date | null;
    }[] = await this.db.query(
      // A payout is paid once the wallet holds it (sent; a payment re-credited by the operator is
      // failed again), confirmed once it has PAYOUT_CONFIRMATIONS confirmations.
      `SELECT SUM(le.amount) AS balance,
              SUM(CASE WHEN le.category IN ('share', 'reversal') THEN le.amount ELSE 0 END) AS credited,
              SUM(CASE WHEN le.category = 'payout' AND ${PAID} THEN -le.amount ELSE 0 END) AS paid,
              SUM(CASE WHEN le.category = 'payout' AND ${PAID} AND pay.confirmed_at IS NOT NULL
                       THEN -le.amount ELSE 0 END) AS confirmed,
              MAX(CASE WHEN le.category = 'payout' AND ${PAID}
                       THEN COALESCE(pay.sent_at, le.created_at) END) AS last_paid_at
         FROM ledger_entry le LEFT JOIN payment pay ON pay.id = le.payment_id
        WHERE le.miner_id = ?`,
      [minerId],
    );
    const r = rows[0];
    return {
      balance: big(r.balance),
      credited: big(r.credited),
      paid: big(r.paid),
      confirmed: big(r.confirmed),
      lastPaidAt: r.last_paid_at,
    };
  }

  /** Newest first. */
  async ledger(
    minerId: number,
    options: { limit: number; offset?: number; category?: LedgerCategory },
  ): Promise<LedgerRow[]> {
    const rows: {
      id: DbNumber;
      amount: DbNumber;
      category: LedgerCategory;
      height: DbNumber;
      note: string | null;
      txid: string | null;
      payment_status: PaymentStatus | null;
      payment_confirmed: DbNumber;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT le.id, le.amount, le.category, b.height, le.note,
              COALESCE(le.txid, pay.txid) AS txid, pay.status AS payment_status,
              (pay.status = 'sent' AND pay.confirmed_at IS NOT NULL) AS payment_confirmed, le.created_at
         FROM ledger_entry le
         LEFT JOIN block b ON b.id = le.block_id
         LEFT JOIN payment pay ON pay.id = le.payment_id
        WHERE le.miner_id = ? ${options.category ? 'AND le.category = ?' : ''}
        ORDER BY le.created_at DESC, le.id DESC LIMIT ? OFFSET ?`,
      [
        minerId,
        ...(options.category ? [options.category] : []),
        options.limit,
        options.offset ?? 0,
      ],
    );
    return rows.map((r) => ({
      id: num(r.id),
      amount: big(r.amount),
      category: r.category,
      blockHeight: r.height === null ? null : num(r.height),
      note: r.note,
      txid: r.txid,
      paymentStatus: r.payment_status,
      paymentConfirmed: num(r.payment_confirmed) === 1,
      createdAt: r.created_at,
    }));
  }

  async countLedger(minerId: number, category?: LedgerCategory): Promise<number> {
    const rows: { n: DbNumber }[] = await this.db.query(
      `SELECT COUNT(*) AS n FROM ledger_entry WHERE miner_id = ? ${category ? 'AND category = ?' : ''}`,
      [minerId, ...(category ? [category] : [])],
    );
    return num(rows[0].n);
  }

  /** Workers with an accepted share since `since`, with the hashrate over `hashrateSince`. */
  async workerActivity(
    minerId: number,
    since: Date,
    hashrateSince: Date,
  ): Promise<WorkerActivity[]> {
    const rows: {
      worker_id: DbNumber;
      name: string | null;
      n: DbNumber;
      w: DbNumber;
      last_at: Date;
      hps: DbNumber;
    }[] = await this.db.query(
      `SELECT s.worker_id, w.name, COUNT(*) AS n, SUM(s.share_weight) AS w,
              MAX(s.inserted_at) AS last_at,
              AVG(CASE WHEN s.inserted_at >= ? THEN s.hashes_per_second END) AS hps
         FROM solution s LEFT JOIN worker w ON w.id = s.worker_id
        WHERE s.miner_id = ? AND s.inserted_at >= ?
        GROUP BY s.worker_id, w.name
        ORDER BY w.name`,
      [hashrateSince, minerId, since],
    );
    return rows.map((r) => ({
      workerId: num(r.worker_id),
      name: r.name ?? `#${num(r.worker_id)}`,
      shares: num(r.n),
      shareWeight: big(r.w),
      lastShareAt: r.last_at,
      hashesPerSecond: float(r.hps),
    }));
  }

  /** Rejected shares since `since` by worker and reason, with the latest detail of each. */
  async rejections(minerId: number, since: Date): Promise<RejectionCount[]> {
    const rows: {
      name: string | null;
      reason: string;
      n: DbNumber;
      last_at: Date;
      last_detail: string | null;
    }[] = await this.db.query(
      `SELECT w.name, r.reason, COUNT(*) AS n, MAX(r.inserted_at) AS last_at,
              SUBSTRING_INDEX(GROUP_CONCAT(r.detail ORDER BY r.id DESC SEPARATOR '\\n'), '\\n', 1)
                AS last_detail
         FROM rejected_solution r LEFT JOIN worker w ON w.id = r.worker_id
        WHERE r.miner_id = ? AND r.inserted_at >= ?
        GROUP BY r.worker_id, w.name, r.reason
        ORDER BY w.name, n DESC`,
      [minerId, since],
    );
    return rows.map((r) => ({
      workerName: r.name,
      reason: r.reason,
      count: num(r.n),
      lastAt: r.last_at,
      lastDetail: r.last_detail,
    }));
  }

  /** Whether the pool has set this miner's payouts aside after failed payments, and why. */
  async payoutSetAside(minerId: number): Promise<PayoutSetAsideRow | null> {
    const rows: { failures: DbNumber; last_error: string; set_aside_at: Date }[] =
      await this.db.query(
        'SELECT failures, last_error, set_aside_at FROM payout_set_aside WHERE miner_id = ? AND set_aside_at IS NOT NULL',
        [minerId],
      );
    const r = rows[0];
    return r ? { failures: num(r.failures), lastError: r.last_error, since: r.set_aside_at } : null;
  }

  /** Credits of this miner's that a deep reorg took back, newest first. */
  async creditReversals(minerId: number): Promise<CreditReversalRow[]> {
    const rows: {
      height: DbNumber;
      hash: string;
      credited: DbNumber;
      reversed: DbNumber;
      loss: DbNumber;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT b.height, b.hash, cr.credited, cr.reversed, cr.loss, cr.created_at
         FROM credit_reversal cr JOIN block b ON b.id = cr.block_id
        WHERE cr.miner_id = ? ORDER BY cr.created_at DESC, b.height DESC`,
      [minerId],
    );
    return rows.map((r) => ({
      height: num(r.height),
      hash: r.hash,
      credited: big(r.credited),
      reversed: big(r.reversed),
      loss: big(r.loss),
      createdAt: r.created_at,
    }));
  }

  async paymentErrors(minerId: number, limit: number): Promise<PaymentErrorRow[]> {
    const rows: { amount: DbNumber; error: string; created_at: Date }[] = await this.db.query(
      `SELECT amount, error, created_at FROM payment_error
        WHERE miner_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      [minerId, limit],
    );
    return rows.map((r) => ({ amount: big(r.amount), error: r.error, createdAt: r.created_at }));
  }

  /** Accepted and rejected shares of a miner per UTC hour since `since` (hours without any omitted). */
  async sharesPerHour(minerId: number, since: Date): Promise<HourCount[]> {
    const rows: { hour: string; accepted: DbNumber; rejected: DbNumber }[] = await this.db.query(
      `SELECT hour, SUM(accepted) AS accepted, SUM(rejected) AS rejected FROM (
          SELECT DATE_FORMAT(inserted_at, '%Y-%m-%dT%H:00:00Z') AS hour, COUNT(*) AS accepted,
                 0 AS rejected
            FROM solution WHERE miner_id = ? AND inserted_at >= ? GROUP BY hour
          UNION ALL
          SELECT DATE_FORMAT(inserted_at, '%Y-%m-%dT%H:00:00Z') AS hour, 0 AS accepted,
                 COUNT(*) AS rejected
            FROM rejected_solution WHERE miner_id = ? AND inserted_at >= ? GROUP BY hour) t
        GROUP BY hour ORDER BY hour`,
      [minerId, since, minerId, since],
    );
    return rows.map((r) => ({
      hour: new Date(r.hour),
      accepted: num(r.accepted),
      rejected: num(r.rejected),
    }));
  }

  /** Σ subsidy and count of all blocks on the chain (any recipient) by chain time since `since`. */
  async subsidySum(
    network: string,
    since: Date,
  ): Promise<{ sum: BaseUnits | null; count: number }> {
    const rows: { total: DbNumber; n: DbNumber }[] = await this.db.query(
      `SELECT SUM(subsidy) AS total, COUNT(*) AS n FROM block
        WHERE network = ? AND chain_time >= ? AND status <> 'orphaned'`,
      [network, since],
    );
    return { sum: rows[0].total === null ? null : big(rows[0].total), count: num(rows[0].n) };
  }
}

interface RawBlock {
  id: DbNumber;
  height: DbNumber;
  hash: string;
  chain_time: Date;
  subsidy: DbNumber;
  recipient: string;
  is_pool_block: number;
  status: BlockStatus;
  confirmations: DbNumber;
  shared_out_at: Date | null;
  finder_address: string | null;
}

function toBlockRow(r: RawBlock): BlockRow {
  return {
    id: num(r.id),
    height: num(r.height),
    hash: r.hash,
    chainTime: r.chain_time,
    subsidy: big(r.subsidy),
    recipient: r.recipient,
    isPoolBlock: Boolean(r.is_pool_block),
    status: r.status,
    confirmations: num(r.confirmations),
    finderAddress: r.finder_address,
    sharedOutAt: r.shared_out_at,
  };
}
