import { Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcError } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import { LedgerRepository, MinerBalance } from './ledger.repository';
import { PaymentRepository, PaymentRow } from './payment.repository';

export const PAYMENT_COMMENT_PREFIX = 'purepool:';

export interface PayoutPlan {
  network: Network;
  recipients: { minerId: number; address: string; amount: bigint }[];
  total: bigint;
}

export interface PayoutResult extends PayoutPlan {
  status: 'nothing' | 'dry-run' | 'sent' | 'failed' | 'uncertain';
  txid?: string;
  error?: string;
  reconciled: { sent: number; failed: number; open: number };
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
    const plan = await this.plan(network);
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

    const batchId = randomUUID();
    const amounts = new Map(plan.recipients.map((r) => [r.minerId, r.amount]));
    const paymentId = await this.payments.transaction(async (manager) => {
      const id = await this.payments.createIntent(
        manager,
        network,
        batchId,
        plan.total,
        plan.recipients.length,
      );
      await this.ledger.insertPayouts(manager, network, id, amounts);
      await this.ledger.refreshBalances(manager, [...amounts.keys()]);
      return id;
    });

    const client = this.nodes.of(network);
    try {
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
      if (error instanceof RpcError) {
        // The node answered and said no: nothing was sent, the hold goes back.
        await this.settleFailed(network, paymentId, error.message, [...amounts.keys()]);
        this.metrics?.payoutFinished(network, 'failed', plan.total);
        return { ...plan, status: 'failed', error: error.message, reconciled };
      }
      this.logger.warn(
        `payment ${batchId} unproven (${(error as Error).message}); it will be reconciled`,
      );
      this.metrics?.payoutFinished(network, 'uncertain', plan.total);
      return { ...plan, status: 'uncertain', error: (error as Error).message, reconciled };
    }
  }

  /**
   * Settles intents without txid against the wallet: found by batch id in its transactions → sent;
   * not found and older than the grace period (no send can still be under way) → failed, hold
   * released. Younger ones stay open.
   */
  async reconcile(
    network: Network,
    now = new Date(),
  ): Promise<{ sent: number; failed: number; open: number }> {
    const intents = await this.payments.openIntents(network);
    const result = { sent: 0, failed: 0, open: 0 };
    if (intents.length === 0) return result;
    const byBatch = await this.walletSendsByBatch(network, intents);
    for (const intent of intents) {
      const txid = byBatch.get(intent.batchId);
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
    return result;
  }

  private async walletSendsByBatch(
    network: Network,
    intents: PaymentRow[],
  ): Promise<Map<string, string>> {
    const wanted = new Set(intents.map((i) => i.batchId));
    const oldest = Math.min(...intents.map((i) => i.createdAt.getTime())) / 1000 - 3600;
    const found = new Map<string, string>();
    const client = this.nodes.of(network);
    const page = 200;
    for (let skip = 0; found.size < wanted.size; skip += page) {
      const txs = await client.listTransactions(page, skip);
      for (const tx of txs) {
        const batch = tx.comment?.startsWith(PAYMENT_COMMENT_PREFIX)
          ? tx.comment.slice(PAYMENT_COMMENT_PREFIX.length)
          : '';
        if (tx.category === 'send' && tx.txid && wanted.has(batch)) found.set(batch, tx.txid);
      }
      // listtransactions pages from the newest back: stop past the oldest intent or at the end.
      if (txs.length < page || txs.every((tx) => tx.time < oldest)) break;
    }
    return found;
  }

  private async minersOf(intent: PaymentRow): Promise<number[]> {
    return this.ledger.minersOfPayment(intent.id);
  }

  private async settleSent(paymentId: number, txid: string, minerIds: number[]): Promise<void> {
    await this.payments.transaction(async (manager) => {
      await this.payments.markSent(manager, paymentId, txid);
      await this.ledger.setPaymentTxid(manager, paymentId, txid);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }

  private async settleFailed(
    network: Network,
    paymentId: number,
    error: string,
    minerIds: number[],
  ): Promise<void> {
    await this.payments.transaction(async (manager) => {
      await this.payments.markFailed(manager, paymentId, error);
      await this.payments.recordErrors(manager, network, paymentId, error);
      await this.ledger.insertRefunds(manager, paymentId, `refund: ${error}`);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }
}
