import { Injectable, Logger, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcError } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { assertLeaseHeld, LeaseLostError } from '../../jobs/job-lease';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import { LedgerRepository, MinerBalance } from './ledger.repository';
import { sendMatches, sendsOf, WalletSend, walletTransactions } from './wallet-ledger';
import { PaymentRepository, PaymentRow } from './payment.repository';

export const PAYMENT_COMMENT_PREFIX = 'purepool:';

/**
 * Node errors that prove `sendmany` created no transaction — it stopped before committing — so the
 * hold may go back at once. Any other error (-4 "transaction commit failed/rejected", -25, -26,
 * -1, a transport error) may come after the wallet committed: the intent stays open and is
 * reconciled against the wallet.
 */
export const NOTHING_SENT_CODES: ReadonlyMap<number, string> = new Map([
  [-3, 'invalid amount or type'],
  [-5, 'invalid address'],
  [-6, 'insufficient funds'],
  [-8, 'invalid parameter'],
  [-12, 'keypool ran out'],
  [-13, 'wallet locked'],
  [-14, 'wallet passphrase incorrect'],
]);

/** How far back of an intent a wallet send may be dated and still be its (clock skew, slow node). */
const MATCH_WINDOW_SECONDS = 3600;

/** A reconciliation or settlement that another run got to first: roll back, change nothing. */
class LostRaceError extends Error {}

export interface PayoutPlan {
  network: Network;
  recipients: { minerId: number; address: string; amount: bigint }[];
  total: bigint;
}

export interface Reconciled {
  sent: number;
  failed: number;
  open: number;
  /** Payments marked failed earlier that the wallet turned out to have sent. */
  recovered: number;
}

export interface PayoutResult extends PayoutPlan {
  status: 'nothing' | 'dry-run' | 'sent' | 'failed' | 'uncertain';
  txid?: string;
  error?: string;
  reconciled: Reconciled;
}

/**
 * Pays miners whose ledger balance passes the network minimum and who were not paid within the
 * interval, in one `sendmany` per run (fee subtracted from the amounts). Crash safety: the intent
 * and its negative ledger entries are committed before the wallet is called, and the batch id is
 * in the wallet comment; an intent without txid is settled only against the wallet's own records,
 * so a payment is never made twice and a hold is released only when the send provably failed.
 */
@Injectable()
export class PayoutService {
  private readonly logger = new Logger(PayoutService.name);

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly payments: PaymentRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetrics,
  ) {}

  async plan(network: Network, now = new Date()): Promise<PayoutPlan> {
    const minimum = this.config.payoutMinimum[network];
    const intervalMs = this.config.money.payoutMinIntervalHours * 3_600_000;
    const due = (await this.ledger.balances(network))
      .filter((b: MinerBalance) => b.balance >= minimum && b.balance > 0n)
      .filter((b) => !b.lastPayoutAt || now.getTime() - b.lastPayoutAt.getTime() >= intervalMs)
      .sort((a, b) =>
        a.balance === b.balance ? a.minerId - b.minerId : a.balance > b.balance ? -1 : 1,
      )
      .slice(0, this.config.money.payoutMaxPerRun);
    const recipients = due.map((b) => ({
      minerId: b.minerId,
      address: b.address,
      amount: b.balance,
    }));
    return { network, recipients, total: recipients.reduce((sum, r) => sum + r.amount, 0n) };
  }

  async run(network: Network, options: { dryRun?: boolean } = {}): Promise<PayoutResult> {
    const reconciled = await this.reconcile(network);
    let plan = await this.plan(network);
    if (plan.recipients.length === 0) return { ...plan, status: 'nothing', reconciled };
    if (options.dryRun) return { ...plan, status: 'dry-run', reconciled };
    if (reconciled.open > 0) {
      // An earlier send is still unproven either way: do not stack a second one on top of it.
      return {
        ...plan,
        status: 'nothing',
        reconciled,
        error: 'an earlier payment is not yet reconciled',
      };
    }

    // One batch the wallet cannot cover must not block everyone: pay what the spendable balance
    // covers now (largest balances first), the rest at the next runs.
    const client = this.nodes.of(network);
    const spendable = (await client.getWalletInfo()).balance;
    const affordable = withinBudget(plan.recipients, spendable);
    if (affordable.length < plan.recipients.length) {
      this.logger.warn(
        `${network}: the wallet can spend ${baseToCoins(spendable)} BBP of ${baseToCoins(plan.total)} due; paying ${affordable.length} of ${plan.recipients.length} miners now`,
      );
    }
    if (affordable.length === 0) {
      return {
        ...plan,
        status: 'nothing',
        reconciled,
        error: `the wallet's spendable balance ${baseToCoins(spendable)} BBP covers no due payment`,
      };
    }
    plan = {
      ...plan,
      recipients: affordable,
      total: affordable.reduce((sum, r) => sum + r.amount, 0n),
    };

    const batchId = randomUUID();
    const intent = await this.payments.transaction(async (manager) => {
      // Balances re-read under the miners' balance-row locks: a reversal or another run that
      // changed them since the plan was made wins, and those recipients wait for the next run.
      const current = await this.ledger.lockedBalances(
        manager,
        plan.recipients.map((r) => r.minerId),
      );
      const recipients = plan.recipients.filter((r) => (current.get(r.minerId) ?? 0n) >= r.amount);
      if (recipients.length === 0) return null;
      const total = recipients.reduce((sum, r) => sum + r.amount, 0n);
      const id = await this.payments.createIntent(
        manager,
        network,
        batchId,
        total,
        recipients.length,
      );
      const amounts = new Map(recipients.map((r) => [r.minerId, r.amount]));
      await this.ledger.insertPayouts(manager, network, id, amounts);
      await this.ledger.refreshBalances(manager, [...amounts.keys()]);
      return { id, recipients, total, amounts };
    });
    if (intent === null) {
      return { ...plan, status: 'nothing', reconciled, error: 'balances changed meanwhile' };
    }
    const paymentId = intent.id;
    const amounts = intent.amounts;
    plan = { ...plan, recipients: intent.recipients, total: intent.total };

    try {
      // Irreversible from here: only while this run still holds the payouts job's lease.
      await assertLeaseHeld();
      const txid = await client.sendMany(
        new Map(plan.recipients.map((r) => [r.address, r.amount])),
        {
          comment: `${PAYMENT_COMMENT_PREFIX}${batchId}`,
          subtractFeeFrom: plan.recipients.map((r) => r.address),
        },
      );
      await this.settleSent(paymentId, txid, [...amounts.keys()]);
      this.logger.log(
        `paid ${plan.recipients.length} miners ${baseToCoins(plan.total)} BBP on ${network}: ${txid}`,
      );
      this.metrics?.payoutFinished(network, 'sent', plan.total);
      return { ...plan, status: 'sent', txid, reconciled };
    } catch (error) {
      if (error instanceof LeaseLostError) {
        // Nothing was sent; the intent is settled by the run that holds the lease now.
        this.logger.warn(`payment ${batchId} not sent: ${error.message}`);
        return { ...plan, status: 'uncertain', error: error.message, reconciled };
      }
      if (error instanceof RpcError && NOTHING_SENT_CODES.has(error.code)) {
        // The node answered and its error proves nothing was sent: the hold goes back.
        await this.settleFailed(network, paymentId, error.message, [...amounts.keys()]);
        this.metrics?.payoutFinished(network, 'failed', plan.total);
        return { ...plan, status: 'failed', error: error.message, reconciled };
      }
      this.logger.warn(
        `payment ${batchId} unproven (${(error as Error).message}); it will be reconciled against the wallet`,
      );
      this.metrics?.payoutFinished(network, 'uncertain', plan.total);
      return { ...plan, status: 'uncertain', error: (error as Error).message, reconciled };
    }
  }

  /**
   * Settles intents without txid against the wallet: found by batch id in its transactions → sent;
   * not found and older than the grace period (no send can still be under way) → failed, hold
   * released. Younger ones stay open. Payments marked failed within PAYOUT_FAILED_RECHECK_HOURS
   * are looked for too: one the wallet has after all (a restore, a rescan) is re-marked sent and
   * its refund taken back.
   */
  async reconcile(network: Network, now = new Date()): Promise<Reconciled> {
    const intents = await this.payments.openIntents(network);
    const recheckMs = this.config.money.failedRecheckHours * 3_600_000;
    const failed =
      recheckMs > 0
        ? await this.payments.failedSince(network, new Date(now.getTime() - recheckMs))
        : [];
    const result = { sent: 0, failed: 0, open: 0, recovered: 0 };
    if (intents.length === 0 && failed.length === 0) return result;
    // Open intents first: a send matched by its outputs is theirs before an older failed one's.
    const found = await this.findInWallet(network, [...intents, ...failed]);
    for (const intent of intents) {
      const txid = found.get(intent.id);
      const minerIds = await this.minersOf(intent);
      if (txid) {
        await this.settleSent(intent.id, txid, minerIds);
        result.sent++;
      } else if (
        now.getTime() - intent.createdAt.getTime() >=
        this.config.money.reconcileGraceSeconds * 1000
      ) {
        await this.settleFailed(
          network,
          intent.id,
          'not found in the wallet after the grace period',
          minerIds,
        );
        result.failed++;
      } else {
        result.open++;
      }
    }
    for (const payment of failed) {
      const txid = found.get(payment.id);
      if (!txid) continue;
      await this.settleFoundAfterFailure(payment, txid, await this.minersOf(payment));
      result.recovered++;
    }
    return result;
  }

  /**
   * Finds each intent's send in the wallet: by the batch id in its comment, or — when the comment
   * was lost (node crash, -zapwallettxes, restore and rescan) — by its exact outputs: the same
   * recipients, and amounts that add up with the fee to what was held, dated after the intent, and
   * not already claimed by another payment. Payment id → txid.
   */
  private async findInWallet(
    network: Network,
    intents: PaymentRow[],
  ): Promise<Map<number, string>> {
    const oldest = Math.min(...intents.map((i) => i.createdAt.getTime())) / 1000;
    const sends = await this.walletSends(network, oldest - MATCH_WINDOW_SECONDS);
    const claimed = await this.payments.claimedTxids(network);
    const found = new Map<number, string>();
    const byBatch = new Map<string, string>();
    for (const send of sends.values()) {
      const batch = send.comment.startsWith(PAYMENT_COMMENT_PREFIX)
        ? send.comment.slice(PAYMENT_COMMENT_PREFIX.length)
        : '';
      if (batch) byBatch.set(batch, send.txid);
    }
    for (const intent of intents) {
      const txid = byBatch.get(intent.batchId);
      if (txid && !claimed.has(txid)) {
        found.set(intent.id, txid);
        claimed.add(txid);
      }
    }
    for (const intent of intents.filter((i) => !found.has(i.id))) {
      const lines = await this.ledger.linesOfPayment(intent.id);
      const held = new Map(lines.map((l) => [l.address, l.amount]));
      for (const send of sends.values()) {
        if (claimed.has(send.txid) || send.comment.startsWith(PAYMENT_COMMENT_PREFIX)) continue;
        if (send.time < intent.createdAt.getTime() / 1000 - 60) continue;
        if (!sendMatches(held, send)) continue;
        found.set(intent.id, send.txid);
        claimed.add(send.txid);
        this.logger.warn(
          `payment ${intent.batchId} found in the wallet by its outputs (its comment is gone): ${send.txid}`,
        );
        break;
      }
    }
    return found;
  }

  /** The wallet's sends since `since` (unix s), one entry per transaction with its outputs. */
  private async walletSends(network: Network, since: number): Promise<Map<string, WalletSend>> {
    const txs = await walletTransactions(this.nodes.of(network), (page) =>
      page.every((tx) => tx.time < since),
    );
    return sendsOf(txs);
  }

  private async minersOf(intent: PaymentRow): Promise<number[]> {
    return this.ledger.minersOfPayment(intent.id);
  }

  private async settleSent(paymentId: number, txid: string, minerIds: number[]): Promise<void> {
    await this.settle(paymentId, 'sent', async (manager) => {
      if (!(await this.payments.markSent(manager, paymentId, txid))) throw new LostRaceError();
      await this.ledger.setPaymentTxid(manager, paymentId, txid);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }

  /** failed → sent: the refund is taken back; a miner paid again meanwhile now owes it. */
  private async settleFoundAfterFailure(
    payment: PaymentRow,
    txid: string,
    minerIds: number[],
  ): Promise<void> {
    await this.settle(payment.id, 'sent', async (manager) => {
      if (!(await this.payments.markFoundAfterFailure(manager, payment.id, txid))) {
        throw new LostRaceError();
      }
      await this.ledger.reverseRefunds(manager, payment.id, `sent after all: ${txid}`);
      await this.ledger.setPaymentTxid(manager, payment.id, txid);
      await this.ledger.refreshBalances(manager, minerIds);
      const owing = [...(await this.ledger.lockedBalances(manager, minerIds))].filter(
        ([, balance]) => balance < 0n,
      );
      this.logger.warn(
        `payment ${payment.batchId}, marked failed, is in the wallet after all (${txid}): re-marked sent, refund taken back`,
      );
      if (owing.length > 0) {
        this.logger.error(
          `payment ${payment.batchId}: ${owing.length} miner(s) were paid again meanwhile and now owe it (negative balance): ` +
            owing.map(([id, b]) => `miner ${id} ${baseToCoins(b)} BBP`).join(', '),
        );
      }
    });
  }

  private async settleFailed(
    network: Network,
    paymentId: number,
    error: string,
    minerIds: number[],
  ): Promise<void> {
    await this.settle(paymentId, 'failed', async (manager) => {
      if (!(await this.payments.markFailed(manager, paymentId, error))) throw new LostRaceError();
      await this.payments.recordErrors(manager, network, paymentId, error);
      await this.ledger.insertRefunds(manager, paymentId, `refund: ${error}`);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }

  /** A status change from `intent` in one transaction; a lost race rolls back and is logged. */
  private async settle(
    paymentId: number,
    to: 'sent' | 'failed',
    work: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    try {
      await this.payments.transaction(work);
    } catch (error) {
      if (!(error instanceof LostRaceError)) throw error;
      this.logger.warn(`payment ${paymentId} was settled by another run; not marking it ${to}`);
    }
  }
}

/** The recipients, in order, whose amounts fit in `budget` (a larger one is skipped, not the rest). */
function withinBudget<R extends { amount: bigint }>(recipients: readonly R[], budget: bigint): R[] {
  const chosen: R[] = [];
  let left = budget;
  for (const r of recipients) {
    if (r.amount <= left) {
      chosen.push(r);
      left -= r.amount;
    }
  }
  return chosen;
}
