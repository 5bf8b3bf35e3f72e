import { randomBytes, randomUUID } from 'node:crypto';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { DEFAULT_HASH_TARGET } from '../../src/config/app-config';
import type { BlockStatus } from '../../src/modules/block/entities/block.entity';
import type { LedgerCategory } from '../../src/modules/payout/entities/ledger-entry.entity';
import type { PaymentStatus } from '../../src/modules/payout/entities/payment.entity';

/**
 * Row factories for tests: each inserts one row with sensible defaults (every field can be
 * overridden) and returns what a test needs to refer to it. Use them through a root connection
 * (`adminDb()`); amounts are bigint base units, times are written as UTC whatever the client's
 * time zone.
 */

export const COIN = 100_000_000n;

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC, what a DATETIME(3) column holds. */
export function utc(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

export function hoursAgo(hours: number, from = Date.now()): Date {
  return new Date(from - hours * 3_600_000);
}

export function randomHash(): string {
  return randomBytes(32).toString('hex');
}

async function insert(
  db: Connection,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  const columns = Object.keys(row);
  const values = columns.map((c) => {
    const v = row[c];
    if (v instanceof Date) return utc(v);
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
  const [result] = await db.query<ResultSetHeader>(
    `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES (?)`,
    [values],
  );
  return result.insertId;
}

export interface MinerRow {
  id: number;
  guid: string;
  network: Network;
  address: string;
}

export interface WorkerRow {
  id: number;
  minerId: number;
  name: string;
}

export interface BlockRow {
  id: number;
  network: Network;
  height: number;
  hash: string;
  subsidy: bigint;
}

export interface PaymentRow {
  id: number;
  batchId: string;
  txid: string | null;
}

export class Factories {
  constructor(readonly db: Connection) {}

  async miner(
    o: Partial<{
      network: Network;
      address: string;
      guid: string;
      email: string | null;
      disabled: boolean;
      hashTarget: string | null;
      lastAcceptedSolutionAt: Date | null;
      createdAt: Date;
    }> = {},
  ): Promise<MinerRow> {
    const network = o.network ?? 'main';
    const address = o.address ?? randomAddress(network);
    const guid = o.guid ?? randomUUID();
    const id = await insert(this.db, 'miner', {
      guid,
      network,
      address,
      email: o.email ?? null,
      disabled: o.disabled ? 1 : 0,
      hash_target: o.hashTarget ?? null,
      last_accepted_solution_at: o.lastAcceptedSolutionAt ?? null,
      created_at: o.createdAt ?? new Date(),
    });
    return { id, guid, network, address };
  }

  async worker(
    miner: { id: number },
    name = 'Default',
    createdAt = new Date(),
  ): Promise<WorkerRow> {
    const id = await insert(this.db, 'worker', { miner_id: miner.id, name, created_at: createdAt });
    return { id, minerId: miner.id, name };
  }

  async work(
    miner: MinerRow,
    worker: WorkerRow,
    o: Partial<{ id: string; hashTarget: string; threadId: number | null; createdAt: Date }> = {},
  ): Promise<string> {
    const id = o.id ?? randomUUID();
    await insert(this.db, 'work', {
      id,
      network: miner.network,
      miner_id: miner.id,
      worker_id: worker.id,
      thread_id: o.threadId ?? 0,
      hash_target: o.hashTarget ?? DEFAULT_HASH_TARGET,
      created_at: o.createdAt ?? new Date(),
    });
    return id;
  }

  /** Accepted shares: `count` rows in one INSERT, spread evenly over [from, to] when given. */
  async solutions(
    miner: MinerRow,
    worker: WorkerRow,
    o: Partial<{
      count: number;
      insertedAt: Date;
      from: Date;
      to: Date;
      shareWeight: bigint;
      hashesPerSecond: bigint;
      blockId: number | null;
      prevHeight: number;
      hashTarget: string;
      blockHash: string;
    }> = {},
  ): Promise<void> {
    const count = o.count ?? 1;
    const at = (i: number): Date => {
      if (o.from && o.to) {
        const span = o.to.getTime() - o.from.getTime();
        return new Date(o.from.getTime() + (count === 1 ? 0 : (span * i) / (count - 1)));
      }
      return o.insertedAt ?? new Date();
    };
    const rows = Array.from({ length: count }, (_, i) => [
      randomUUID(),
      miner.network,
      randomUUID(),
      miner.id,
      worker.id,
      o.blockHash ?? randomHash(),
      o.prevHeight ?? 1000,
      randomHash(),
      o.hashTarget ?? DEFAULT_HASH_TARGET,
      (o.shareWeight ?? 1_000_000n).toString(),
      (o.hashesPerSecond ?? 1000n).toString(),
      o.blockId ?? null,
      utc(at(i)),
      utc(at(i)),
    ]);
    for (let i = 0; i < rows.length; i += 1000) {
      await this.db.query(
        `INSERT INTO solution (message_id, network, work_id, miner_id, worker_id, block_hash,
           prev_height, bible_hash, hash_target, share_weight, hashes_per_second, block_id, received_at,
           inserted_at)
         VALUES ?`,
        [rows.slice(i, i + 1000)],
      );
    }
  }

  async rejectedSolution(
    miner: MinerRow,
    worker: WorkerRow | null,
    o: Partial<{ reason: string; detail: string | null; insertedAt: Date; count: number }> = {},
  ): Promise<void> {
    for (let i = 0; i < (o.count ?? 1); i++) {
      await insert(this.db, 'rejected_solution', {
        message_id: randomUUID(),
        network: miner.network,
        work_id: randomUUID(),
        miner_id: miner.id,
        worker_id: worker?.id ?? null,
        reason: o.reason ?? 'HashTargetNotMet',
        detail: o.detail ?? null,
        bible_hash: randomHash(),
        inserted_at: o.insertedAt ?? new Date(),
      });
    }
  }

  async block(
    o: Partial<{
      network: Network;
      height: number;
      hash: string;
      chainTime: Date;
      subsidy: bigint;
      recipient: string;
      isPoolBlock: boolean;
      status: BlockStatus;
      confirmations: number;
      finder: MinerRow | null;
      poolFee: bigint | null;
      sharedOutAt: Date | null;
    }> = {},
  ): Promise<BlockRow> {
    const network = o.network ?? 'main';
    const height = o.height ?? 1000 + Math.floor(Math.random() * 1_000_000);
    const hash = o.hash ?? randomHash();
    const subsidy = o.subsidy ?? 5000n * COIN;
    const id = await insert(this.db, 'block', {
      network,
      height,
      hash,
      chain_time: o.chainTime ?? new Date(),
      subsidy,
      recipient: o.recipient ?? randomAddress(network),
      miner_guid: o.finder?.guid ?? null,
      miner_id: o.finder?.id ?? null,
      is_pool_block: o.isPoolBlock ? 1 : 0,
      status: o.status ?? 'pending',
      confirmations: o.confirmations ?? 0,
      pool_fee: o.poolFee ?? null,
      shared_out_at: o.sharedOutAt ?? null,
    });
    return { id, network, height, hash, subsidy };
  }

  async ledgerEntry(o: {
    miner: MinerRow;
    amount: bigint;
    category: LedgerCategory;
    block?: BlockRow | null;
    payment?: PaymentRow | null;
    note?: string | null;
    txid?: string | null;
    createdAt?: Date;
  }): Promise<number> {
    return insert(this.db, 'ledger_entry', {
      network: o.miner.network,
      miner_id: o.miner.id,
      amount: o.amount,
      category: o.category,
      block_id: o.block?.id ?? null,
      payment_id: o.payment?.id ?? null,
      note: o.note ?? null,
      txid: o.txid ?? null,
      created_at: o.createdAt ?? new Date(),
    });
  }

  async payment(
    o: Partial<{
      network: Network;
      status: PaymentStatus;
      total: bigint;
      recipients: number;
      txid: string | null;
      error: string | null;
      createdAt: Date;
      sentAt: Date | null;
      /** A sent payment the wallet counts confirmed since then (null: broadcast, unconfirmed). */
      confirmedAt: Date | null;
    }> = {},
  ): Promise<PaymentRow> {
    const status = o.status ?? 'sent';
    const batchId = randomUUID();
    const txid = o.txid !== undefined ? o.txid : status === 'sent' ? randomHash() : null;
    const createdAt = o.createdAt ?? new Date();
    const id = await insert(this.db, 'payment', {
      batch_id: batchId,
      network: o.network ?? 'main',
      status,
      total: o.total ?? 0n,
      recipients: o.recipients ?? 1,
      txid,
      error: o.error ?? null,
      created_at: createdAt,
      sent_at: o.sentAt !== undefined ? o.sentAt : status === 'sent' ? createdAt : null,
      ...(o.confirmedAt ? { confirmed_at: o.confirmedAt, confirmations: 1 } : {}),
    });
    return { id, batchId, txid };
  }

  async paymentError(o: {
    miner: MinerRow;
    amount: bigint;
    error: string;
    payment?: PaymentRow | null;
    createdAt?: Date;
  }): Promise<number> {
    return insert(this.db, 'payment_error', {
      network: o.miner.network,
      payment_id: o.payment?.id ?? null,
      miner_id: o.miner.id,
      amount: o.amount,
      error: o.error,
      created_at: o.createdAt ?? new Date(),
    });
  }

  /** A shareout as the block module writes it: one share credit per miner, block marked shared. */
  async shareOut(
    block: BlockRow,
    credits: { miner: MinerRow; amount: bigint }[],
    at = new Date(),
  ): Promise<void> {
    for (const c of credits) {
      await this.ledgerEntry({
        miner: c.miner,
        amount: c.amount,
        category: 'share',
        block,
        note: `Block ${block.height}`,
        createdAt: at,
      });
    }
    await this.db.query("UPDATE block SET status = 'shared', shared_out_at = ? WHERE id = ?", [
      utc(at),
      block.id,
    ]);
  }

  /**
   * A payout as the payout module writes it: the payment and one negative ledger entry per
   * miner (with the txid once sent). `failed` also writes the refund that releases the hold.
   */
  async payOut(
    payees: { miner: MinerRow; amount: bigint }[],
    o: Partial<{
      status: PaymentStatus;
      at: Date;
      txid: string | null;
      /** Confirmed by the wallet at this time (default: broadcast, not yet confirmed). */
      confirmedAt: Date;
    }> = {},
  ): Promise<PaymentRow> {
    const status = o.status ?? 'sent';
    const at = o.at ?? new Date();
    const total = payees.reduce((sum, p) => sum + p.amount, 0n);
    const payment = await this.payment({
      network: payees[0].miner.network,
      status,
      total,
      recipients: payees.length,
      txid: o.txid,
      createdAt: at,
      ...(o.confirmedAt ? { confirmedAt: o.confirmedAt } : {}),
    });
    for (const p of payees) {
      await this.ledgerEntry({
        miner: p.miner,
        amount: -p.amount,
        category: 'payout',
        payment,
        txid: status === 'sent' ? payment.txid : null,
        note: 'Payout',
        createdAt: at,
      });
      if (status === 'failed') {
        await this.ledgerEntry({
          miner: p.miner,
          amount: p.amount,
          category: 'payout_refund',
          payment,
          note: 'Payout failed, amount returned',
          createdAt: at,
        });
      }
    }
    return payment;
  }
}
