import type { Queryable } from '../../database/queryable';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MinerRepository } from '../mining/miner.repository';

/** One miner's part of a reversed block: credited = reversed (from the balance) + loss (paid). */
export interface CreditReversal {
  minerId: number;
  credited: bigint;
  reversed: bigint;
  loss: bigint;
}

export interface MinerBalance {
  minerId: number;
  address: string;
  balance: bigint;
  lastPayoutAt: Date | null;
}

const ids = (list: readonly number[]): string => list.map(() => '?').join(',');

/**
 * The ledger: every credit and payout as a signed amount in base units. Balances are sums of the
 * ledger, computed here; miner_balance is only a cache of them for the pages.
 */
@Injectable()
export class LedgerRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly miners: MinerRepository,
  ) {}

  /** One share credit per miner for a block (the unique index refuses a second shareout). */
  async insertCredits(
    manager: EntityManager,
    network: string,
    blockId: number,
    parts: ReadonlyMap<number, bigint>,
  ): Promise<void> {
    const rows = [...parts.entries()].filter(([, amount]) => amount > 0n);
    if (rows.length === 0) return;
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await manager.query(
        `INSERT INTO ledger_entry (network, miner_id, amount, category, block_id, note, created_at) VALUES ${chunk
          .map(() => "(?, ?, ?, 'share', ?, ?, UTC_TIMESTAMP(3))")
          .join(',')}`,
        chunk.flatMap(([minerId, amount]) => [
          network,
          minerId,
          amount.toString(),
          blockId,
          `block ${blockId}`,
        ]),
      );
    }
  }

  async insertPayouts(
    manager: EntityManager,
    network: string,
    paymentId: number,
    amounts: ReadonlyMap<number, bigint>,
  ): Promise<void> {
    const rows = [...amounts.entries()];
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO ledger_entry (network, miner_id, amount, category, payment_id, created_at) VALUES ${rows
        .map(() => "(?, ?, ?, 'payout', ?, UTC_TIMESTAMP(3))")
        .join(',')}`,
      rows.flatMap(([minerId, amount]) => [network, minerId, (-amount).toString(), paymentId]),
    );
  }

  /** Gives back a payment's hold when the wallet proved the send failed. */
  async insertRefunds(manager: EntityManager, paymentId: number, note: string): Promise<void> {
    await manager.query(
      `INSERT INTO ledger_entry (network, miner_id, amount, category, payment_id, note, created_at)
       SELECT network, miner_id, -amount, 'payout_refund', payment_id, ?, UTC_TIMESTAMP(3)
         FROM ledger_entry WHERE payment_id = ? AND category = 'payout'`,
      [note.slice(0, 255), paymentId],
    );
  }

  /**
   * Takes back a reversed block's credits: from each miner's balance as far as it covers the
   * credit (a `reversal` entry), the rest — already paid out — recorded as the pool's loss. The
   * balances are read with locking reads after the miners' balance rows are locked, so a payout
   * planned meanwhile cannot hold the same coins (it locks the same rows). The ledger's unique
   * index refuses a second reversal of the block.
   */
  async reverseCredits(
    manager: EntityManager,
    network: string,
    blockId: number,
    height: number,
  ): Promise<CreditReversal[]> {
    // The balance rows first (the money path's lock order, see lockBalanceRows): the credited
    // miners are read with a shared lock (a locking read: no snapshot taken before the waits).
    const credited: { miner_id: number }[] = await manager.query(
      "SELECT miner_id FROM ledger_entry WHERE block_id = ? AND category = 'share' LOCK IN SHARE MODE",
      [blockId],
    );
    if (credited.length === 0) return [];
    const balances = await this.lockedBalances(
      manager,
      credited.map((c) => Number(c.miner_id)),
    );
    const credits: { miner_id: number; amount: string | number }[] = await manager.query(
      "SELECT miner_id, amount FROM ledger_entry WHERE block_id = ? AND category = 'share' ORDER BY miner_id FOR UPDATE",
      [blockId],
    );
    const minerIds = credits.map((c) => Number(c.miner_id));
    // Coins held by an open payment (an intent: not proven sent) have not left the wallet as far
    // as anyone knows: they are still the miner's to take back, never booked as already paid.
    // Should the payment turn out sent after all, the miner owes it (a negative balance, netted
    // from later credits), as when a refunded payment is found sent.
    const held = await this.heldByOpenPayments(manager, minerIds);
    const parts: CreditReversal[] = credits.map((c) => {
      const minerId = Number(c.miner_id);
      const credited = BigInt(c.amount);
      const balance = (balances.get(minerId) ?? 0n) + (held.get(minerId) ?? 0n);
      const reversed = balance <= 0n ? 0n : balance < credited ? balance : credited;
      return { minerId, credited, reversed, loss: credited - reversed };
    });
    const taken = parts.filter((p) => p.reversed > 0n);
    if (taken.length > 0) {
      await manager.query(
        `INSERT INTO ledger_entry (network, miner_id, amount, category, block_id, note, created_at) VALUES ${taken
          .map(() => "(?, ?, ?, 'reversal', ?, ?, UTC_TIMESTAMP(3))")
          .join(',')}`,
        taken.flatMap((p) => [
          network,
          p.minerId,
          (-p.reversed).toString(),
          blockId,
          `block ${height} orphaned after shareout`,
        ]),
      );
    }
    await manager.query(
      `INSERT INTO credit_reversal (block_id, miner_id, network, credited, reversed, loss, created_at) VALUES ${parts
        .map(() => '(?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))')
        .join(',')}`,
      parts.flatMap((p) => [
        blockId,
        p.minerId,
        network,
        p.credited.toString(),
        p.reversed.toString(),
        p.loss.toString(),
      ]),
    );
    await this.refreshBalances(manager, minerIds);
    return parts;
  }

  /** Per miner, what its open payments (intents) hold: read under the balance-row locks. */
  private async heldByOpenPayments(
    manager: EntityManager,
    minerIds: readonly number[],
  ): Promise<Map<number, bigint>> {
    const held = new Map<number, bigint>();
    if (minerIds.length === 0) return held;
    const rows: { miner_id: number; held: string | number }[] = await manager.query(
      `SELECT l.miner_id, -SUM(l.amount) held FROM ledger_entry l JOIN payment p ON p.id = l.payment_id
        WHERE p.status = 'intent' AND l.category IN ('payout', 'payout_refund')
          AND l.miner_id IN (${ids(minerIds)}) GROUP BY l.miner_id`,
      [...minerIds],
    );
    for (const r of rows) held.set(Number(r.miner_id), BigInt(r.held));
    return held;
  }

  /**
   * Locks these miners' balance rows until the transaction ends, in miner id order. The one lock
   * order of the money path: every transaction that writes a miner's ledger entries (shareout,
   * reversal, payout intent and settlement, adjustment) takes these first, before any ledger row,
   * so two of them on the same miners wait for each other at the balance rows instead of
   * deadlocking over the ledger (the rows one wrote, the shared locks the other's balance refresh
   * reads with). A miner without a balance row yet (its first credit) has nothing a payout,
   * settlement or reversal could hold.
   */
  async lockBalanceRows(manager: EntityManager, minerIds: readonly number[]): Promise<number[]> {
    const sorted = [...new Set(minerIds)].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += 1000) {
      const chunk = sorted.slice(i, i + 1000);
      await manager.query(
        `SELECT miner_id FROM miner_balance WHERE miner_id IN (${ids(chunk)}) ORDER BY miner_id FOR UPDATE`,
        chunk,
      );
    }
    return sorted;
  }

  /**
   * Ledger balances of these miners as committed now, with their balance rows locked until the
   * transaction ends: a payout and a reversal of the same miner take turns.
   */
  async lockedBalances(
    manager: EntityManager,
    minerIds: readonly number[],
  ): Promise<Map<number, bigint>> {
    const sorted = await this.lockBalanceRows(manager, minerIds);
    const balances = new Map<number, bigint>();
    if (sorted.length === 0) return balances;
    const rows: { miner_id: number; balance: string | number }[] = await manager.query(
      `SELECT miner_id, SUM(amount) balance FROM ledger_entry WHERE miner_id IN (${ids(sorted)})
        GROUP BY miner_id FOR UPDATE`,
      sorted,
    );
    for (const r of rows) balances.set(Number(r.miner_id), BigInt(r.balance));
    return balances;
  }

  /** A manual balance adjustment (operator console): positive or negative, the reason as note. */
  async insertAdjustment(
    manager: EntityManager,
    entry: { network: string; minerId: number; amount: bigint; note: string },
  ): Promise<number> {
    const result: { insertId: number } = await manager.query(
      `INSERT INTO ledger_entry (network, miner_id, amount, category, note, created_at)
       VALUES (?, ?, ?, 'adjustment', ?, UTC_TIMESTAMP(3))`,
      [entry.network, entry.minerId, entry.amount.toString(), entry.note],
    );
    return Number(result.insertId);
  }

  /** For the audit: manual adjustments, counted apart from credits and payouts. */
  async adjustmentTotals(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ count: number; total: bigint }> {
    const rows: { n: number | string; total: string | number | null }[] = await q.query(
      "SELECT COUNT(*) n, SUM(amount) total FROM ledger_entry WHERE network = ? AND category = 'adjustment'",
      [network],
    );
    return { count: Number(rows[0].n), total: BigInt(rows[0].total ?? 0) };
  }

  /** For the audit: Σ reversal entries (negative) per reversed block. */
  async reversalsByBlock(network: string, q: Queryable = this.db): Promise<Map<number, bigint>> {
    const rows: { block_id: number; total: string }[] = await q.query(
      "SELECT block_id, SUM(amount) total FROM ledger_entry WHERE network = ? AND category = 'reversal' GROUP BY block_id",
      [network],
    );
    return new Map(rows.map((r) => [Number(r.block_id), BigInt(r.total)]));
  }

  /** For the audit and the metrics: each reversed block's Σ credited, reversed and loss. */
  async creditReversals(
    network: string,
    q: Queryable = this.db,
  ): Promise<Map<number, { credited: bigint; reversed: bigint; loss: bigint }>> {
    const rows: { block_id: number; credited: string; reversed: string; loss: string }[] =
      await q.query(
        `SELECT block_id, SUM(credited) credited, SUM(reversed) reversed, SUM(loss) loss
           FROM credit_reversal WHERE network = ? GROUP BY block_id`,
        [network],
      );
    return new Map(
      rows.map((r) => [
        Number(r.block_id),
        { credited: BigInt(r.credited), reversed: BigInt(r.reversed), loss: BigInt(r.loss) },
      ]),
    );
  }

  /** Takes back a payment's refund: the send it gave back for was made after all. */
  async reverseRefunds(manager: EntityManager, paymentId: number, note: string): Promise<void> {
    await manager.query(
      `INSERT INTO ledger_entry (network, miner_id, amount, category, payment_id, note, created_at)
       SELECT network, miner_id, -amount, 'refund_reversal', payment_id, ?, UTC_TIMESTAMP(3)
         FROM ledger_entry WHERE payment_id = ? AND category = 'payout_refund'`,
      [note.slice(0, 255), paymentId],
    );
  }

  async setPaymentTxid(manager: EntityManager, paymentId: number, txid: string): Promise<void> {
    await manager.query(
      "UPDATE ledger_entry SET txid = ? WHERE payment_id = ? AND category = 'payout'",
      [txid, paymentId],
    );
  }

  /** Balances from the ledger (never from a cached column), with each miner's payout address. */
  async balances(network: string, manager: Queryable = this.db): Promise<MinerBalance[]> {
    const rows: {
      miner_id: number;
      balance: string;
      last_payout_at: Date | null;
    }[] = await manager.query(
      `SELECT l.miner_id, SUM(l.amount) AS balance,
                MAX(CASE WHEN l.category = 'payout' AND l.txid IS NOT NULL THEN l.created_at END) AS last_payout_at
           FROM ledger_entry l WHERE l.network = ? GROUP BY l.miner_id`,
      [network],
    );
    const addresses = await this.miners.addresses(rows.map((r) => Number(r.miner_id)));
    return rows.map((r) => ({
      minerId: Number(r.miner_id),
      address: addresses.get(Number(r.miner_id)) ?? '',
      balance: BigInt(r.balance),
      lastPayoutAt: r.last_payout_at,
    }));
  }

  /** Rewrites the miner_balance cache of these miners from the ledger. */
  async refreshBalances(manager: EntityManager, minerIds: readonly number[]): Promise<void> {
    for (let i = 0; i < minerIds.length; i += 1000) {
      const chunk = minerIds.slice(i, i + 1000);
      await manager.query(
        `INSERT INTO miner_balance (miner_id, network, balance, total_credited, total_paid, last_paid_at, updated_at)
         SELECT miner_id, MIN(network), SUM(amount),
                SUM(CASE WHEN category IN ('share', 'reversal') THEN amount ELSE 0 END),
                -SUM(CASE WHEN category IN ('payout', 'payout_refund', 'refund_reversal') THEN amount ELSE 0 END),
                MAX(CASE WHEN category = 'payout' AND txid IS NOT NULL THEN created_at END),
                UTC_TIMESTAMP(3)
           FROM ledger_entry WHERE miner_id IN (${ids(chunk)}) GROUP BY miner_id
         ON DUPLICATE KEY UPDATE balance = VALUES(balance), total_credited = VALUES(total_credited),
           total_paid = VALUES(total_paid), last_paid_at = VALUES(last_paid_at), updated_at = VALUES(updated_at)`,
        [...chunk],
      );
    }
  }

  /** What a payment was to send: each recipient's address and held amount (positive). */
  async linesOfPayment(
    paymentId: number,
    q: Queryable = this.db,
  ): Promise<{ address: string; amount: bigint }[]> {
    const rows: { miner_id: number | string; amount: string | number }[] = await q.query(
      `SELECT miner_id, -SUM(amount) AS amount FROM ledger_entry
        WHERE payment_id = ? AND category = 'payout' GROUP BY miner_id`,
      [paymentId],
    );
    const addresses = await this.miners.addresses(rows.map((r) => Number(r.miner_id)));
    // One line per address (a miner has one address per network; summed all the same).
    const lines = new Map<string, bigint>();
    for (const r of rows) {
      const address = addresses.get(Number(r.miner_id)) ?? '';
      lines.set(address, (lines.get(address) ?? 0n) + BigInt(r.amount));
    }
    return [...lines].map(([address, amount]) => ({ address, amount }));
  }

  async minersOfPayment(paymentId: number): Promise<number[]> {
    const rows: { miner_id: number }[] = await this.db.query(
      "SELECT DISTINCT miner_id FROM ledger_entry WHERE payment_id = ? AND category = 'payout'",
      [paymentId],
    );
    return rows.map((r) => Number(r.miner_id));
  }

  /** For the audit: Σ share credits per block, and per miner ledger sums vs the cache. */
  async creditsByBlock(network: string, q: Queryable = this.db): Promise<Map<number, bigint>> {
    const rows: { block_id: number; credited: string }[] = await q.query(
      "SELECT block_id, SUM(amount) credited FROM ledger_entry WHERE network = ? AND category = 'share' GROUP BY block_id",
      [network],
    );
    return new Map(rows.map((r) => [Number(r.block_id), BigInt(r.credited)]));
  }

  async balanceMismatches(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ minerId: number; ledger: bigint; cached: bigint }[]> {
    const rows: { miner_id: number; ledger: string; cached: string | null }[] = await q.query(
      `SELECT l.miner_id, SUM(l.amount) ledger, b.balance cached
         FROM ledger_entry l LEFT JOIN miner_balance b ON b.miner_id = l.miner_id
        WHERE l.network = ? GROUP BY l.miner_id, b.balance HAVING b.balance IS NULL OR SUM(l.amount) <> b.balance`,
      [network],
    );
    return rows.map((r) => ({
      minerId: Number(r.miner_id),
      ledger: BigInt(r.ledger),
      cached: BigInt(r.cached ?? 0),
    }));
  }

  async negativeBalances(network: string, q: Queryable = this.db): Promise<number> {
    const rows: { n: number }[] = await q.query(
      'SELECT COUNT(*) n FROM (SELECT miner_id FROM ledger_entry WHERE network = ? GROUP BY miner_id HAVING SUM(amount) < 0) x',
      [network],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
