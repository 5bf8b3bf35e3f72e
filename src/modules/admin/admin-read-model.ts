import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BaseUnits } from '../../biblepay/amount';
import type { LedgerCategory } from '../payout/entities/ledger-entry.entity';
import type { MinerRef } from './admin-input';

type DbNumber = number | string | null;
const big = (v: DbNumber): BaseUnits => BigInt(v ?? 0);
const num = (v: DbNumber): number => Number(v ?? 0);

export interface MinerHit {
  network: string;
  address: string;
  guid: string;
  disabled: boolean;
  balance: BaseUnits;
  /** Worker names that matched the search, if it matched by worker. */
  workers: string[];
}

export interface BlockHit {
  network: string;
  height: number;
  hash: string;
  status: string;
  isPoolBlock: boolean;
}

export interface PaymentRow {
  id: number;
  network: string;
  batchId: string;
  status: string;
  txid: string | null;
  total: BaseUnits;
  recipients: number;
  error: string | null;
  createdAt: Date;
  /** When `sendmany` was called for it (null: never handed to the wallet). */
  dispatchedAt: Date | null;
  sentAt: Date | null;
  /** The wallet's last confirmation count of a sent payment (negative: conflicted). */
  confirmations: number | null;
  /** When it reached PAYOUT_CONFIRMATIONS (null: broadcast, or not sent). */
  confirmedAt: Date | null;
  /** Conflicted or abandoned in the wallet: an open problem until re-credited. */
  walletProblem: string | null;
}

/** A wallet send no payment claims (payouts stop until the operator attaches or dismisses it). */
export interface UnclaimedSendProblem {
  network: string;
  txid: string;
  comment: string;
  paid: BaseUnits;
  fee: BaseUnits;
  outputs: { address: string; amount: BaseUnits }[];
  sentAt: Date;
  foundAt: Date;
}

export interface MinerStory {
  miner: {
    id: number;
    network: string;
    address: string;
    guid: string;
    email: string | null;
    disabled: boolean;
    suspendedUntil: Date | null;
    suspendedReason: string | null;
    rating: string | null;
    hashTarget: string | null;
    lastAcceptedAt: Date | null;
    createdAt: Date;
  };
  balance: BaseUnits;
  workers: { name: string; createdAt: Date; lastShareAt: Date | null; shares: number }[];
  shares: {
    receivedAt: Date;
    worker: string | null;
    prevHeight: number;
    shareWeight: BaseUnits;
    blockHeight: number | null;
  }[];
  rejections: { insertedAt: Date; worker: string | null; reason: string; detail: string | null }[];
  rejectionsByReason: { reason: string; count: number }[];
  ledger: {
    id: number;
    createdAt: Date;
    category: LedgerCategory;
    amount: BaseUnits;
    blockHeight: number | null;
    note: string | null;
    txid: string | null;
  }[];
  payments: {
    id: number;
    batchId: string;
    status: string;
    txid: string | null;
    amount: BaseUnits;
    createdAt: Date;
  }[];
  paymentErrors: { createdAt: Date; amount: BaseUnits; error: string }[];
  setAside: { failures: number; lastError: string; setAsideAt: Date | null } | null;
}

export interface PoolBlockRow {
  id: number;
  network: string;
  height: number;
  hash: string;
  status: string;
  confirmations: number;
  chainTime: Date;
  subsidy: BaseUnits;
  fee: BaseUnits;
  feeReason: string | null;
  sharedOutAt: Date | null;
  reversedAt: Date | null;
  shares: number;
  credited: BaseUnits;
}

export interface BlockSplitRow {
  address: string;
  shares: number;
  weight: BaseUnits;
  credited: BaseUnits;
}

export interface OpenProblems {
  /** Payments not proven sent or failed; a dispatched one's `error` holds the wallet evidence. */
  unprovenPayments: PaymentRow[];
  /** Wallet sends no payment claims: payouts stop until each is attached or dismissed. */
  unclaimedSends: UnclaimedSendProblem[];
  /**
   * Sent payments the wallet reports conflicted or abandoned (`walletProblem` says which): their
   * coins came back to the wallet; the miners get them back only when the operator re-credits.
   */
  conflictedPayments: PaymentRow[];
  setAside: {
    network: string;
    address: string;
    failures: number;
    lastError: string;
    since: Date;
  }[];
  negativeBalances: { network: string; address: string; balance: BaseUnits }[];
}

/** `LIKE` text with its wildcards escaped. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The console's read model: one named place for the cross-module reads the operator needs
 * (miners, workers, shares, rejections, ledger, payments, blocks). It only reads; the tables stay
 * with their owning modules, whose repositories do every write.
 */
@Injectable()
export class AdminReadModel {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async searchMiners(q: string, limit = 50): Promise<MinerHit[]> {
    const like = `%${likeEscape(q)}%`;
    const rows: {
      network: string;
      address: string;
      guid: string;
      disabled: number;
      balance: DbNumber;
      workers: string | null;
    }[] = await this.db.query(
      `SELECT m.network, m.address, m.guid, m.disabled, b.balance,
              (SELECT GROUP_CONCAT(w.name ORDER BY w.name SEPARATOR '\\n') FROM worker w
                WHERE w.miner_id = m.id AND w.name LIKE ?) AS workers
         FROM miner m LEFT JOIN miner_balance b ON b.miner_id = m.id
        WHERE m.address LIKE ? OR m.guid = ? OR m.email LIKE ?
           OR m.id IN (SELECT miner_id FROM worker WHERE name LIKE ?)
        ORDER BY m.network, m.address LIMIT ?`,
      [like, `${likeEscape(q)}%`, q, like, like, limit],
    );
    return rows.map((r) => ({
      network: r.network,
      address: r.address,
      guid: r.guid,
      disabled: Boolean(r.disabled),
      balance: big(r.balance),
      workers: r.workers ? r.workers.split('\n') : [],
    }));
  }

  async searchBlocks(q: string, limit = 50): Promise<BlockHit[]> {
    let where: string;
    let param: unknown;
    if (/^\d{1,10}$/.test(q)) {
      where = 'height = ?';
      param = Number(q);
    } else if (/^[0-9a-fA-F]{6,64}$/.test(q)) {
      where = 'hash LIKE ?';
      param = `${q.toLowerCase()}%`;
    } else return [];
    const rows: {
      network: string;
      height: DbNumber;
      hash: string;
      status: string;
      is_pool_block: number;
    }[] = await this.db.query(
      `SELECT network, height, hash, status, is_pool_block FROM block WHERE ${where}
        ORDER BY height DESC LIMIT ?`,
      [param, limit],
    );
    return rows.map((r) => ({
      network: r.network,
      height: num(r.height),
      hash: r.hash,
      status: r.status,
      isPoolBlock: Boolean(r.is_pool_block),
    }));
  }

  async searchPayments(q: string, limit = 50): Promise<PaymentRow[]> {
    if (!/^[0-9a-fA-F-]{6,64}$/.test(q)) return [];
    return this.payments(
      'txid LIKE ? OR batch_id = ?',
      [`${q.toLowerCase()}%`, q.toLowerCase()],
      limit,
    );
  }

  async recentPayments(network: string, limit = 100): Promise<PaymentRow[]> {
    return this.payments('network = ?', [network], limit);
  }

  private async payments(where: string, params: unknown[], limit: number): Promise<PaymentRow[]> {
    const rows: {
      id: DbNumber;
      network: string;
      batch_id: string;
      status: string;
      txid: string | null;
      total: DbNumber;
      recipients: DbNumber;
      error: string | null;
      created_at: Date;
      dispatched_at: Date | null;
      sent_at: Date | null;
      confirmations: DbNumber;
      confirmed_at: Date | null;
      wallet_problem: string | null;
    }[] = await this.db.query(
      `SELECT id, network, batch_id, status, txid, total, recipients, error, created_at, dispatched_at, sent_at,
              confirmations, confirmed_at, wallet_problem
         FROM payment WHERE ${where} ORDER BY id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map((r) => ({
      id: num(r.id),
      network: r.network,
      batchId: r.batch_id,
      status: r.status,
      txid: r.txid,
      total: big(r.total),
      recipients: num(r.recipients),
      error: r.error,
      createdAt: r.created_at,
      dispatchedAt: r.dispatched_at,
      sentAt: r.sent_at,
      confirmations: r.confirmations === null ? null : num(r.confirmations),
      confirmedAt: r.confirmed_at,
      walletProblem: r.wallet_problem,
    }));
  }

  /** A miner's whole story, newest first in each list; null when there is no such miner. */
  async minerStory(ref: MinerRef): Promise<MinerStory | null> {
    const [m]: {
      id: DbNumber;
      guid: string;
      email: string | null;
      disabled: number;
      suspended_until: Date | null;
      suspended_reason: string | null;
      rating: string | null;
      hash_target: string | null;
      last_accepted_solution_at: Date | null;
      created_at: Date;
    }[] = await this.db.query(
      `SELECT id, guid, email, disabled, suspended_until, suspended_reason, rating, hash_target,
              last_accepted_solution_at, created_at FROM miner WHERE network = ? AND address = ?`,
      [ref.network, ref.address],
    );
    if (!m) return null;
    const id = num(m.id);
    const q = <T>(sql: string, params: unknown[] = [id]): Promise<T[]> =>
      this.db.query(sql, params);
    const [balance, workers, shares, rejections, byReason, ledger, payments, errors, setAside] =
      await Promise.all([
        q<{ balance: DbNumber }>('SELECT SUM(amount) balance FROM ledger_entry WHERE miner_id = ?'),
        q<{ name: string; created_at: Date; last_share: Date | null; shares: DbNumber }>(
          `SELECT w.name, w.created_at, MAX(s.received_at) last_share, COUNT(s.id) shares
             FROM worker w LEFT JOIN solution s ON s.worker_id = w.id
            WHERE w.miner_id = ? GROUP BY w.id, w.name, w.created_at ORDER BY w.name LIMIT 500`,
        ),
        q<{
          received_at: Date;
          name: string | null;
          prev_height: DbNumber;
          share_weight: DbNumber;
          height: DbNumber;
        }>(
          `SELECT s.received_at, w.name, s.prev_height, s.share_weight, b.height
             FROM solution s LEFT JOIN worker w ON w.id = s.worker_id LEFT JOIN block b ON b.id = s.block_id
            WHERE s.miner_id = ? ORDER BY s.id DESC LIMIT 25`,
        ),
        q<{ inserted_at: Date; name: string | null; reason: string; detail: string | null }>(
          `SELECT r.inserted_at, w.name, r.reason, r.detail
             FROM rejected_solution r LEFT JOIN worker w ON w.id = r.worker_id
            WHERE r.miner_id = ? ORDER BY r.id DESC LIMIT 25`,
        ),
        q<{ reason: string; n: DbNumber }>(
          `SELECT reason, COUNT(*) n FROM rejected_solution WHERE miner_id = ?
            GROUP BY reason ORDER BY n DESC`,
        ),
        q<{
          id: DbNumber;
          created_at: Date;
          category: LedgerCategory;
          amount: DbNumber;
          height: DbNumber;
          note: string | null;
          txid: string | null;
        }>(
          `SELECT l.id, l.created_at, l.category, l.amount, b.height, l.note, COALESCE(l.txid, p.txid) txid
             FROM ledger_entry l LEFT JOIN block b ON b.id = l.block_id LEFT JOIN payment p ON p.id = l.payment_id
            WHERE l.miner_id = ? ORDER BY l.id DESC LIMIT 50`,
        ),
        q<{
          id: DbNumber;
          batch_id: string;
          status: string;
          txid: string | null;
          amount: DbNumber;
          created_at: Date;
        }>(
          `SELECT p.id, p.batch_id, p.status, p.txid, -SUM(l.amount) amount, p.created_at
             FROM ledger_entry l JOIN payment p ON p.id = l.payment_id
            WHERE l.miner_id = ? AND l.category = 'payout'
            GROUP BY p.id, p.batch_id, p.status, p.txid, p.created_at ORDER BY p.id DESC LIMIT 25`,
        ),
        q<{ created_at: Date; amount: DbNumber; error: string }>(
          'SELECT created_at, amount, error FROM payment_error WHERE miner_id = ? ORDER BY id DESC LIMIT 25',
        ),
        q<{ failures: DbNumber; last_error: string; set_aside_at: Date | null }>(
          'SELECT failures, last_error, set_aside_at FROM payout_set_aside WHERE miner_id = ?',
        ),
      ]);
    return {
      miner: {
        id,
        network: ref.network,
        address: ref.address,
        guid: m.guid,
        email: m.email,
        disabled: Boolean(m.disabled),
        suspendedUntil: m.suspended_until,
        suspendedReason: m.suspended_reason,
        rating: m.rating,
        hashTarget: m.hash_target,
        lastAcceptedAt: m.last_accepted_solution_at,
        createdAt: m.created_at,
      },
      balance: big(balance[0]?.balance ?? 0),
      workers: workers.map((w) => ({
        name: w.name,
        createdAt: w.created_at,
        lastShareAt: w.last_share,
        shares: num(w.shares),
      })),
      shares: shares.map((s) => ({
        receivedAt: s.received_at,
        worker: s.name,
        prevHeight: num(s.prev_height),
        shareWeight: big(s.share_weight),
        blockHeight: s.height === null ? null : num(s.height),
      })),
      rejections: rejections.map((r) => ({
        insertedAt: r.inserted_at,
        worker: r.name,
        reason: r.reason,
        detail: r.detail,
      })),
      rejectionsByReason: byReason.map((r) => ({ reason: r.reason, count: num(r.n) })),
      ledger: ledger.map((l) => ({
        id: num(l.id),
        createdAt: l.created_at,
        category: l.category,
        amount: big(l.amount),
        blockHeight: l.height === null ? null : num(l.height),
        note: l.note,
        txid: l.txid,
      })),
      payments: payments.map((p) => ({
        id: num(p.id),
        batchId: p.batch_id,
        status: p.status,
        txid: p.txid,
        amount: big(p.amount),
        createdAt: p.created_at,
      })),
      paymentErrors: errors.map((e) => ({
        createdAt: e.created_at,
        amount: big(e.amount),
        error: e.error,
      })),
      setAside: setAside[0]
        ? {
            failures: num(setAside[0].failures),
            lastError: setAside[0].last_error,
            setAsideAt: setAside[0].set_aside_at,
          }
        : null,
    };
  }

  /** The pool's blocks, newest first, with their round size and what they credited. */
  async poolBlocks(network: string, limit = 100, height?: number): Promise<PoolBlockRow[]> {
    const rows: {
      id: DbNumber;
      network: string;
      height: DbNumber;
      hash: string;
      status: string;
      confirmations: DbNumber;
      chain_time: Date;
      subsidy: DbNumber;
      pool_fee: DbNumber;
      fee_reason: string | null;
      shared_out_at: Date | null;
      reversed_at: Date | null;
      shares: DbNumber;
      credited: DbNumber;
    }[] = await this.db.query(
      `SELECT b.id, b.network, b.height, b.hash, b.status, b.confirmations, b.chain_time, b.subsidy,
              b.pool_fee, b.fee_reason, b.shared_out_at, b.reversed_at,
              (SELECT COUNT(*) FROM solution s WHERE s.block_id = b.id) shares,
              (SELECT SUM(l.amount) FROM ledger_entry l WHERE l.block_id = b.id AND l.category = 'share') credited
         FROM block b
        WHERE b.network = ? AND b.is_pool_block = 1 ${height === undefined ? '' : 'AND b.height = ?'}
        ORDER BY b.height DESC, b.id DESC LIMIT ?`,
      [network, ...(height === undefined ? [] : [height]), limit],
    );
    return rows.map((r) => ({
      id: num(r.id),
      network: r.network,
      height: num(r.height),
      hash: r.hash,
      status: r.status,
      confirmations: num(r.confirmations),
      chainTime: r.chain_time,
      subsidy: big(r.subsidy),
      fee: big(r.pool_fee),
      feeReason: r.fee_reason,
      sharedOutAt: r.shared_out_at,
      reversedAt: r.reversed_at,
      shares: num(r.shares),
      credited: big(r.credited),
    }));
  }

  /** The pool blocks at a height (an orphaned one and its successor can share it), each with its split. */
  async poolBlockDetail(
    network: string,
    height: number,
  ): Promise<{ block: PoolBlockRow; split: BlockSplitRow[] }[]> {
    const blocks = await this.poolBlocks(network, 10, height);
    return Promise.all(
      blocks.map(async (block) => ({ block, split: await this.blockSplit(block.id) })),
    );
  }

  /** A pool block's round and split: shares and weight per miner, and what each was credited. */
  async blockSplit(blockId: number): Promise<BlockSplitRow[]> {
    const rows: { address: string; shares: DbNumber; weight: DbNumber; credited: DbNumber }[] =
      await this.db.query(
        `SELECT m.address, SUM(x.shares) shares, SUM(x.weight) weight, SUM(x.credited) credited FROM (
           SELECT s.miner_id, COUNT(*) shares, SUM(s.share_weight) weight, 0 credited
             FROM solution s WHERE s.block_id = ? GROUP BY s.miner_id
           UNION ALL
           SELECT l.miner_id, 0, 0, SUM(l.amount) FROM ledger_entry l
            WHERE l.block_id = ? AND l.category = 'share' GROUP BY l.miner_id
         ) x JOIN miner m ON m.id = x.miner_id GROUP BY m.address ORDER BY credited DESC, m.address`,
        [blockId, blockId],
      );
    return rows.map((r) => ({
      address: r.address,
      shares: num(r.shares),
      weight: big(r.weight),
      credited: big(r.credited),
    }));
  }

  async openProblems(network: string): Promise<OpenProblems> {
    const [unproven, setAside, negative, unclaimed, conflicted] = await Promise.all([
      this.payments("network = ? AND status = 'intent'", [network], 100),
      this.db.query<
        {
          network: string;
          address: string;
          failures: DbNumber;
          last_error: string;
          set_aside_at: Date;
        }[]
      >(
        `SELECT m.network, m.address, sa.failures, sa.last_error, sa.set_aside_at
           FROM payout_set_aside sa JOIN miner m ON m.id = sa.miner_id
          WHERE sa.network = ? AND sa.set_aside_at IS NOT NULL ORDER BY sa.set_aside_at`,
        [network],
      ),
      this.db.query<{ network: string; address: string; balance: DbNumber }[]>(
        `SELECT m.network, m.address, SUM(l.amount) balance FROM ledger_entry l JOIN miner m ON m.id = l.miner_id
          WHERE l.network = ? GROUP BY m.network, m.address HAVING SUM(l.amount) < 0`,
        [network],
      ),
      this.db.query<
        {
          network: string;
          txid: string;
          comment: string;
          paid: DbNumber;
          fee: DbNumber;
          outputs: string;
          sent_at: Date;
          found_at: Date;
        }[]
      >(
        `SELECT network, txid, comment, paid, fee, outputs, sent_at, found_at FROM unclaimed_send
          WHERE network = ? AND status = 'open' ORDER BY sent_at, id`,
        [network],
      ),
      this.payments(
        "network = ? AND status = 'sent' AND wallet_problem IS NOT NULL",
        [network],
        100,
      ),
    ]);
    return {
      unprovenPayments: unproven,
      conflictedPayments: conflicted,
      unclaimedSends: unclaimed.map((r) => ({
        network: r.network,
        txid: r.txid,
        comment: r.comment,
        paid: big(r.paid),
        fee: big(r.fee),
        outputs: (JSON.parse(r.outputs) as { address: string; amount: string }[]).map((o) => ({
          address: o.address,
          amount: BigInt(o.amount),
        })),
        sentAt: r.sent_at,
        foundAt: r.found_at,
      })),
      setAside: setAside.map((r) => ({
        network: r.network,
        address: r.address,
        failures: num(r.failures),
        lastError: r.last_error,
        since: r.set_aside_at,
      })),
      negativeBalances: negative.map((r) => ({
        network: r.network,
        address: r.address,
        balance: big(r.balance),
      })),
    };
  }
}
