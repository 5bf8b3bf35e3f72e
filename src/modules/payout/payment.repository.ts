import type { Queryable } from '../../database/queryable';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MinerRepository } from '../mining/miner.repository';

export interface PaymentRow {
  id: number;
  batchId: string;
  network: string;
  status: 'intent' | 'sent' | 'failed';
  total: bigint;
  txid: string | null;
  createdAt: Date;
  /** Set just before `sendmany`: from then on the wallet may hold it. */
  dispatchedAt: Date | null;
  /**
   * Seconds since `createdAt` / `dispatchedAt`, on the database's clock (the clock that wrote
   * them): a backend whose own clock is off must not think a fresh intent old (issue 25).
   */
  ageSeconds: number;
  dispatchedAgeSeconds: number | null;
}

/** A wallet send no payment claims, as recorded (see UnclaimedSendEntity). */
export interface UnclaimedSendRow {
  id: number;
  network: string;
  txid: string;
  comment: string;
  paid: bigint;
  fee: bigint;
  outputs: { address: string; amount: bigint }[];
  sentAt: Date;
  foundAt: Date;
  status: 'open' | 'attached' | 'dismissed';
  paymentId: number | null;
}

interface RawUnclaimedSend {
  id: number | string;
  network: string;
  txid: string;
  comment: string;
  paid: string | number;
  fee: string | number;
  outputs: string;
  sent_at: Date;
  found_at: Date;
  status: UnclaimedSendRow['status'];
  payment_id: number | string | null;
}

const toUnclaimed = (r: RawUnclaimedSend): UnclaimedSendRow => ({
  id: Number(r.id),
  network: r.network,
  txid: r.txid,
  comment: r.comment,
  paid: BigInt(r.paid),
  fee: BigInt(r.fee),
  outputs: (JSON.parse(r.outputs) as { address: string; amount: string }[]).map((o) => ({
    address: o.address,
    amount: BigInt(o.amount),
  })),
  sentAt: r.sent_at,
  foundAt: r.found_at,
  status: r.status,
  paymentId: r.payment_id === null ? null : Number(r.payment_id),
});

const PAYMENT_COLUMNS = `id, batch_id, network, status, total, txid, created_at, dispatched_at,
  TIMESTAMPDIFF(MICROSECOND, created_at, UTC_TIMESTAMP(6)) / 1000000 AS age_seconds,
  TIMESTAMPDIFF(MICROSECOND, dispatched_at, UTC_TIMESTAMP(6)) / 1000000 AS dispatched_age_seconds`;

interface RawPayment {
  id: number;
  batch_id: string;
  network: string;
  status: PaymentRow['status'];
  total: string | number;
  txid: string | null;
  created_at: Date;
  dispatched_at?: Date | null;
  age_seconds?: string | number | null;
  dispatched_age_seconds?: string | number | null;
}

const toRow = (r: RawPayment): PaymentRow => ({
  id: Number(r.id),
  batchId: r.batch_id,
  network: r.network,
  status: r.status,
  total: BigInt(r.total),
  txid: r.txid,
  createdAt: r.created_at,
  dispatchedAt: r.dispatched_at ?? null,
  ageSeconds: Number(r.age_seconds ?? 0),
  dispatchedAgeSeconds:
    r.dispatched_age_seconds === null || r.dispatched_age_seconds === undefined
      ? null
      : Number(r.dispatched_age_seconds),
});

/** Payments (one wallet send each) and the errors met paying miners. */
@Injectable()
export class PaymentRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly miners: MinerRepository,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async createIntent(
    manager: EntityManager,
    network: string,
    batchId: string,
    total: bigint,
    recipients: number,
  ): Promise<number> {
    const result: { insertId: number } = await manager.query(
      `INSERT INTO payment (batch_id, network, status, total, recipients, created_at)
       VALUES (?, ?, 'intent', ?, ?, UTC_TIMESTAMP(3))`,
      [batchId, network, total.toString(), recipients],
    );
    return Number(result.insertId);
  }

  /**
   * Stamps an intent dispatched, committed before `sendmany` is called: from here its absence from
   * the wallet proves nothing. False when it is no longer an intent (then nothing may be sent).
   */
  async markDispatched(paymentId: number): Promise<boolean> {
    const result: { affectedRows?: number } = await this.db.query(
      "UPDATE payment SET dispatched_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'intent' AND dispatched_at IS NULL",
      [paymentId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** The wallet evidence of a dispatched payment not found (shown to the operator). */
  async noteNotFound(paymentId: number, evidence: string): Promise<void> {
    await this.db.query("UPDATE payment SET error = ? WHERE id = ? AND status = 'intent'", [
      evidence.slice(0, 65535),
      paymentId,
    ]);
  }

  /** One payment by network and batch id (the console's handle on it). */
  async byBatch(network: string, batchId: string): Promise<PaymentRow | null> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payment WHERE network = ? AND batch_id = ?`,
      [network, batchId],
    );
    return rows.length ? toRow(rows[0]) : null;
  }

  /** Unix time (s) of the newest payment row of the network, or null when it never paid. */
  async newestPaymentTime(network: string): Promise<number | null> {
    const rows: { t: Date | null }[] = await this.db.query(
      'SELECT MAX(created_at) t FROM payment WHERE network = ?',
      [network],
    );
    return rows[0]?.t ? rows[0].t.getTime() / 1000 : null;
  }

  /**
   * What the ledger accounts for among the wallet's sends: txids of payment rows and of sends the
   * operator attached or dismissed, and the batch ids of intents (their sends may be out already).
   */
  async claims(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ txids: Set<string>; openBatches: Set<string> }> {
    const paid: { txid: string }[] = await q.query(
      `SELECT txid FROM payment WHERE network = ? AND txid IS NOT NULL
       UNION SELECT txid FROM unclaimed_send WHERE network = ? AND status <> 'open'`,
      [network, network],
    );
    const open: { batch_id: string }[] = await q.query(
      "SELECT batch_id FROM payment WHERE network = ? AND status = 'intent'",
      [network],
    );
    return {
      txids: new Set(paid.map((r) => r.txid)),
      openBatches: new Set(open.map((r) => r.batch_id)),
    };
  }

  /** Records sends no payment claims (once each); already recorded ones keep their state. */
  async recordUnclaimed(
    network: string,
    sends: readonly {
      txid: string;
      comment: string;
      paid: bigint;
      fee: bigint;
      time: number;
      outputs: ReadonlyMap<string, bigint>;
    }[],
  ): Promise<void> {
    for (const send of sends) {
      await this.db.query(
        `INSERT IGNORE INTO unclaimed_send (network, txid, comment, paid, fee, outputs, sent_at, found_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), 'open')`,
        [
          network,
          send.txid,
          send.comment.slice(0, 255),
          send.paid.toString(),
          send.fee.toString(),
          JSON.stringify(
            [...send.outputs].map(([address, amount]) => ({ address, amount: amount.toString() })),
          ),
          new Date(send.time * 1000),
        ],
      );
    }
  }

  /** Unclaimed sends still waiting for the operator (payouts stop while there is one). */
  async openUnclaimed(network: string, q: Queryable = this.db): Promise<UnclaimedSendRow[]> {
    const rows: RawUnclaimedSend[] = await q.query(
      "SELECT * FROM unclaimed_send WHERE network = ? AND status = 'open' ORDER BY sent_at, id",
      [network],
    );
    return rows.map(toUnclaimed);
  }

  /** The operator's decision on an unclaimed send (attached to a payment, or dismissed). */
  async resolveUnclaimed(
    manager: EntityManager,
    network: string,
    txid: string,
    status: 'attached' | 'dismissed',
    paymentId: number | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE unclaimed_send SET status = ?, payment_id = ?, resolved_at = UTC_TIMESTAMP(3)
        WHERE network = ? AND txid = ?`,
      [status, paymentId, network, txid],
    );
  }

  /** A payment row for a send the wallet made that the ledger lost: sent, with its txid. */
  async insertAttached(
    manager: EntityManager,
    network: string,
    batchId: string,
    total: bigint,
    recipients: number,
    txid: string,
    sentAt: Date,
  ): Promise<number> {
    const result: { insertId: number } = await manager.query(
      `INSERT INTO payment (batch_id, network, status, total, recipients, txid, error, created_at, dispatched_at, sent_at)
       VALUES (?, ?, 'sent', ?, ?, ?, 'attached by an operator: the wallet sent it, the ledger had lost it', UTC_TIMESTAMP(3), ?, ?)`,
      [batchId, network, total.toString(), recipients, txid, sentAt, sentAt],
    );
    return Number(result.insertId);
  }

  /** Whether a batch id is used by a payment row already. */
  async batchExists(manager: EntityManager, batchId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM payment WHERE batch_id = ?', [
      batchId,
    ]);
    return rows.length > 0;
  }

  /** intent → sent, only from `intent`: false when another run settled it first. */
  async markSent(manager: EntityManager, paymentId: number, txid: string): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      "UPDATE payment SET status = 'sent', txid = ?, sent_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'intent'",
      [txid, paymentId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** intent → failed, only from `intent`: false when another run settled it first. */
  async markFailed(manager: EntityManager, paymentId: number, error: string): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      "UPDATE payment SET status = 'failed', error = ? WHERE id = ? AND status = 'intent'",
      [error.slice(0, 255), paymentId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Every txid a payment row already claims (so one wallet send settles one payment only). */
  async claimedTxids(network: string): Promise<Set<string>> {
    const rows: { txid: string }[] = await this.db.query(
      'SELECT txid FROM payment WHERE network = ? AND txid IS NOT NULL',
      [network],
    );
    return new Set(rows.map((r) => r.txid));
  }

  /** The error, for the miner pages, of each of these recipients of a failed payment. */
  async recordErrors(
    manager: EntityManager,
    network: string,
    paymentId: number,
    error: string,
    minerIds: readonly number[],
  ): Promise<void> {
    if (minerIds.length === 0) return;
    await manager.query(
      `INSERT INTO payment_error (network, payment_id, miner_id, amount, error, created_at)
       SELECT network, payment_id, miner_id, -amount, ?, UTC_TIMESTAMP(3)
         FROM ledger_entry WHERE payment_id = ? AND category = 'payout'
          AND miner_id IN (${minerIds.map(() => '?').join(',')})`,
      [error, paymentId, ...minerIds],
    );
  }

  /**
   * One more failed payment of this recipient's own (in a row); true when this one sets it aside.
   */
  async countFailure(
    network: string,
    minerId: number,
    error: string,
    setAsideAfter: number,
  ): Promise<boolean> {
    await this.db.query(
      `INSERT INTO payout_set_aside (miner_id, network, failures, last_error, set_aside_at)
       VALUES (?, ?, 1, ?, IF(1 >= ?, UTC_TIMESTAMP(3), NULL))
       ON DUPLICATE KEY UPDATE failures = failures + 1, last_error = VALUES(last_error),
         set_aside_at = COALESCE(set_aside_at, IF(failures >= ?, UTC_TIMESTAMP(3), NULL))`,
      [minerId, network, error, setAsideAfter, setAsideAfter],
    );
    const rows: { failures: number; set_aside_at: Date | null }[] = await this.db.query(
      'SELECT failures, set_aside_at FROM payout_set_aside WHERE miner_id = ?',
      [minerId],
    );
    return rows[0]?.set_aside_at != null && Number(rows[0].failures) === setAsideAfter;
  }

  /** A sent payment ends its recipients' runs of failures (not a set-aside: the operator's call). */
  async clearFailures(manager: EntityManager, minerIds: readonly number[]): Promise<void> {
    if (minerIds.length === 0) return;
    await manager.query(
      `DELETE FROM payout_set_aside WHERE set_aside_at IS NULL AND miner_id IN (${minerIds.map(() => '?').join(',')})`,
      [...minerIds],
    );
  }

  /** Recipients left out of payouts until the operator releases them. */
  async setAsideMiners(network: string): Promise<Set<number>> {
    const rows: { miner_id: number }[] = await this.db.query(
      'SELECT miner_id FROM payout_set_aside WHERE network = ? AND set_aside_at IS NOT NULL',
      [network],
    );
    return new Set(rows.map((r) => Number(r.miner_id)));
  }

  /** The operator releases a set-aside recipient: paid again from the next run; false if none. */
  async release(network: string, address: string): Promise<boolean> {
    const miner = await this.miners.findMiner(network, address);
    if (!miner) return false;
    const result: { affectedRows?: number } = await this.db.query(
      'DELETE FROM payout_set_aside WHERE network = ? AND miner_id = ?',
      [network, miner.id],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  async openIntents(network: string): Promise<PaymentRow[]> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payment WHERE network = ? AND status = 'intent' ORDER BY id`,
      [network],
    );
    return rows.map(toRow);
  }

  /**
   * Payments marked failed within the last `seconds` (the database's clock) that the wallet may
   * still turn out to have sent.
   */
  async failedWithin(network: string, seconds: number): Promise<PaymentRow[]> {
    const rows: RawPayment[] = await this.db.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payment
        WHERE network = ? AND status = 'failed' AND txid IS NULL
          AND created_at >= UTC_TIMESTAMP(3) - INTERVAL ? SECOND ORDER BY id`,
      [network, Math.ceil(seconds)],
    );
    return rows.map(toRow);
  }

  /**
   * failed → sent, only from `failed`: the wallet has the send after all. The error stays, with
   * what happened after it.
   */
  async markFoundAfterFailure(
    manager: EntityManager,
    paymentId: number,
    txid: string,
  ): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      `UPDATE payment SET status = 'sent', txid = ?, sent_at = UTC_TIMESTAMP(3),
              error = LEFT(CONCAT('found in the wallet after it was marked failed (', COALESCE(error, ''), ')'), 65535)
        WHERE id = ? AND status = 'failed' AND txid IS NULL`,
      [txid, paymentId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** For the audit: unsent intents older than `before`, and sent payments without a txid. */
  async staleIntents(network: string, before: Date, q: Queryable = this.db): Promise<PaymentRow[]> {
    const rows: RawPayment[] = await q.query(
      `SELECT ${PAYMENT_COLUMNS} FROM payment
        WHERE network = ? AND ((status = 'intent' AND created_at < ?) OR (status = 'sent' AND txid IS NULL))`,
      [network, before],
    );
    return rows.map(toRow);
  }

  /** Sent payments with their txid, for proving them against the wallet. */
  async sentWithTxid(
    network: string,
    q: Queryable = this.db,
  ): Promise<{ id: number; batchId: string; txid: string }[]> {
    const rows: { id: number; batch_id: string; txid: string }[] = await q.query(
      "SELECT id, batch_id, txid FROM payment WHERE network = ? AND status = 'sent' AND txid IS NOT NULL",
      [network],
    );
    return rows.map((r) => ({ id: Number(r.id), batchId: r.batch_id, txid: r.txid }));
  }

  /**
   * Sent payments without a wallet problem to ask the wallet about: those not yet confirmed, and
   * confirmed ones still shallower than `recheckDepth` (a reorganisation may still conflict them).
   * At most `limit`, newest first.
   */
  async awaitingConfirmation(
    network: string,
    recheckDepth: number,
    limit: number,
  ): Promise<
    {
      id: number;
      batchId: string;
      txid: string;
      confirmations: number | null;
      confirmed: boolean;
    }[]
  > {
    const rows: {
      id: number;
      batch_id: string;
      txid: string;
      confirmations: number | null;
      confirmed: number | string;
    }[] = await this.db.query(
      `SELECT id, batch_id, txid, confirmations, confirmed_at IS NOT NULL AS confirmed FROM payment
        WHERE network = ? AND status = 'sent' AND txid IS NOT NULL AND wallet_problem IS NULL
          AND (confirmed_at IS NULL OR confirmations IS NULL OR confirmations < ?)
        ORDER BY id DESC LIMIT ?`,
      [network, recheckDepth, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      batchId: r.batch_id,
      txid: r.txid,
      confirmations: r.confirmations === null ? null : Number(r.confirmations),
      confirmed: Number(r.confirmed) === 1,
    }));
  }

  /** The wallet's confirmation count of a sent payment; `confirmed` stamps it confirmed. */
  /**
   * The wallet's confirmation count: confirmed from the first time it has enough; a confirmed
   * payment a reorganisation put back under that (its block gone, the send in the mempool again,
   * not conflicted) awaits confirmation again (`confirmed_at` cleared, asked about again).
   */
  async noteConfirmations(paymentId: number, confirmations: number, confirmed: boolean) {
    await this.db.query(
      `UPDATE payment SET confirmations = ?,
              confirmed_at = IF(?, COALESCE(confirmed_at, UTC_TIMESTAMP(3)), NULL)
        WHERE id = ? AND status = 'sent' AND wallet_problem IS NULL`,
      [confirmations, confirmed ? 1 : 0, paymentId],
    );
  }

  /** The wallet reports the send conflicted or abandoned: an open problem from now on. */
  async noteWalletProblem(paymentId: number, confirmations: number, problem: string) {
    await this.db.query(
      // A payment confirmed before a reorganisation conflicted it is confirmed no longer.
      `UPDATE payment SET confirmations = ?, wallet_problem = ?, problem_at = UTC_TIMESTAMP(3),
              confirmed_at = NULL
        WHERE id = ? AND status = 'sent' AND wallet_problem IS NULL`,
      [confirmations, problem.slice(0, 255), paymentId],
    );
  }

  /** Sent payments the wallet reports conflicted or abandoned, not yet re-credited. */
  async countWalletProblems(network: string): Promise<number> {
    const rows: { n: number | string }[] = await this.db.query(
      "SELECT COUNT(*) n FROM payment WHERE network = ? AND status = 'sent' AND wallet_problem IS NOT NULL",
      [network],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The payment row with its wallet problem (the console's re-credit reads it). */
  async walletProblemOf(
    network: string,
    batchId: string,
  ): Promise<{
    id: number;
    status: string;
    txid: string | null;
    total: bigint;
    problem: string | null;
  } | null> {
    const rows: {
      id: number;
      status: string;
      txid: string | null;
      total: string | number;
      wallet_problem: string | null;
    }[] = await this.db.query(
      'SELECT id, status, txid, total, wallet_problem FROM payment WHERE network = ? AND batch_id = ?',
      [network, batchId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      id: Number(r.id),
      status: r.status,
      txid: r.txid,
      total: BigInt(r.total),
      problem: r.wallet_problem,
    };
  }

  /**
   * sent (with a wallet problem) → failed: the operator re-credits a conflicted or abandoned send.
   * Only once: false when it is no longer such a payment.
   */
  async markRecredited(manager: EntityManager, paymentId: number, error: string): Promise<boolean> {
    const result: { affectedRows?: number } = await manager.query(
      `UPDATE payment SET status = 'failed', error = ?
        WHERE id = ? AND status = 'sent' AND wallet_problem IS NOT NULL`,
      [error.slice(0, 65535), paymentId],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  async sentTotal(network: string): Promise<bigint> {
    const rows: { total: string | null }[] = await this.db.query(
      "SELECT SUM(total) total FROM payment WHERE network = ? AND status = 'sent'",
      [network],
    );
    return BigInt(rows[0]?.total ?? 0);
  }
}
