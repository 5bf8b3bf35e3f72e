import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { rpcCalls, RpcError, WalletTransaction } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { assertLeaseHeld, LeaseLostError } from '../../jobs/job-lease';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { LedgerRepository, MinerBalance } from './ledger.repository';
import { sendMatches, sendsOf, WalletSend, walletTransactions } from './wallet-ledger';
import { PaymentRepository, PaymentRow } from './payment.repository';
import { classifySendFailure } from './send-failure';
import { PAYMENT_COMMENT_PREFIX } from './wallet-claims';
import { RecordAction, WalletClaimsService } from './wallet-claims.service';
import { sendManySpendable } from './spendable-balance';

export { NOTHING_SENT_CODES } from './send-failure';
export { PAYMENT_COMMENT_PREFIX } from './wallet-claims';

/** How far back of an intent a wallet send may be dated and still be its (clock skew, slow node). */
const MATCH_WINDOW_SECONDS = 3600;

/** A reconciliation or settlement that another run got to first: roll back, change nothing. */
class LostRaceError extends Error {}

/** The intent could not be stamped dispatched (settled meanwhile): nothing may be sent. */
class NotDispatchedError extends Error {}

export interface PayoutPlan {
  network: Network;
  recipients: { minerId: number; address: string; amount: bigint }[];
  total: bigint;
}

export interface Reconciled {
  sent: number;
  /** Sent payments that reached PAYOUT_CONFIRMATIONS confirmations in this run. */
  confirmed?: number;
  /** Sent payments the wallet reports conflicted or abandoned, waiting for the operator. */
  conflicted?: number;
  failed: number;
  open: number;
  /** Payments marked failed earlier that the wallet turned out to have sent. */
  recovered: number;
  /**
   * Dispatched payments (counted in `open`) the wallet does not show after the grace period: held
   * until found or released by an operator, never refunded on absence alone.
   */
  notFound: number;
  /** Wallet sends no payment claims, waiting for the operator: payouts stop while there is one. */
  unclaimed: number;
}

export interface PayoutResult extends PayoutPlan {
  /** sent: at least one batch went out (recipients/total are what was sent). */
  status: 'nothing' | 'dry-run' | 'sent' | 'failed' | 'uncertain';
  txid?: string;
  /** Every send of the run: a batch the wallet refuses as too large goes out in parts. */
  txids?: string[];
  error?: string;
  /** Miners set aside by this run: their payments kept failing for reasons of their own. */
  setAside?: number[];
  reconciled: Reconciled;
}

type Recipient = PayoutPlan['recipients'][number];

/** One send attempt of a run. */
interface BatchOutcome {
  status: 'sent' | 'failed' | 'uncertain' | 'skipped';
  recipients: Recipient[];
  txid?: string;
  error?: string;
}

/**
 * Pays miners whose ledger balance passes the network minimum and who were not paid within the
 * interval, in one `sendmany` per run (fee subtracted from the amounts). Crash safety: the intent
 * and its negative ledger entries are committed before the wallet is called, and the batch id is
 * in the wallet comment; an intent without txid is settled only against the wallet's own records,
 * so a payment is never made twice and a hold is released only when the send provably failed.
 */
@Injectable()
export class PayoutService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PayoutService.name);

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly payments: PaymentRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    private readonly claims: WalletClaimsService,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics?.sampledNetworkGauge(
      'purepool_conflicted_payments',
      'Sent payments the wallet reports conflicted (negative confirmations) or abandoned, not yet re-credited by an operator.',
      this.config.networks,
      (network) => this.payments.countWalletProblems(network),
    );
  }

  async plan(network: Network, now = new Date()): Promise<PayoutPlan> {
    // No dust output: below the dust limit a balance waits, whatever the minimum says.
    const minimum = maxOf(this.config.payoutMinimum[network], this.config.money.dustLimit);
    const intervalMs = this.config.money.payoutMinIntervalHours * 3_600_000;
    const setAside = await this.payments.setAsideMiners(network);
    const due = (await this.ledger.balances(network))
      .filter((b: MinerBalance) => b.balance >= minimum && b.balance > 0n)
      .filter((b) => !setAside.has(b.minerId))
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
    if (options.dryRun) {
      // A dry run reads only: no reconciliation (it may settle, refund or record evidence), no
      // confirmation bookkeeping — what is open is reported as it stands.
      const plan = await this.plan(network);
      const reconciled = await this.openState(network);
      return { ...plan, status: plan.recipients.length === 0 ? 'nothing' : 'dry-run', reconciled };
    }
    const reconciled = await this.reconcile(network);
    let plan = await this.plan(network);
    if (plan.recipients.length === 0) return { ...plan, status: 'nothing', reconciled };
    if (reconciled.unclaimed > 0) {
      // Balances it paid may look unpaid (a failover to a replica that lost the payment): paying
      // them now could pay twice. The operator attaches the send to the ledger or dismisses it.
      return {
        ...plan,
        status: 'nothing',
        reconciled,
        error: `the wallet holds ${reconciled.unclaimed} send(s) no payment claims: payouts wait until an operator attaches or dismisses them`,
      };
    }
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
    const spendable = await sendManySpendable(client);
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

    const run = { stopped: false, setAside: [] as number[] };
    const outcomes = await this.sendBatch(network, plan.recipients, run);
    const sent = outcomes.filter((o) => o.status === 'sent');
    const txids = sent.map((o) => o.txid!);
    const error = outcomes.find((o) => o.error)?.error;
    const setAside = run.setAside.length ? { setAside: run.setAside } : {};
    if (sent.length > 0) {
      const recipients = sent.flatMap((o) => o.recipients);
      return {
        network,
        recipients,
        total: recipients.reduce((sum, r) => sum + r.amount, 0n),
        status: 'sent',
        txid: txids[0],
        txids,
        ...(error ? { error } : {}),
        ...setAside,
        reconciled,
      };
    }
    const status = outcomes.some((o) => o.status === 'uncertain')
      ? 'uncertain'
      : outcomes.some((o) => o.status === 'failed')
        ? 'failed'
        : 'nothing';
    return {
      ...plan,
      status,
      ...(error ? { error } : { error: 'balances changed meanwhile' }),
      ...setAside,
      reconciled,
    };
  }

  /**
   * Sends one batch as one payment (intent first, then `sendmany`). When the wallet proves nothing
   * was sent, the hold goes back, and: a batch too large is sent in halves; a recipient the error
   * names is counted a failure and the rest are sent without it; a recipient-specific error that
   * names nobody is narrowed down by halving. A wallet-wide refusal (funds, lock) or an unproven
   * outcome stops the run.
   */
  private async sendBatch(
    network: Network,
    planned: Recipient[],
    run: { stopped: boolean; setAside: number[] },
  ): Promise<BatchOutcome[]> {
    if (run.stopped || planned.length === 0) return [];
    // The send's layout depends on the node's generation; known before anything is booked.
    const flavor = await this.nodes.flavor(network);
    const batchId = randomUUID();
    const intent = await this.payments.transaction(async (manager) => {
      // Balances re-read under the miners' balance-row locks: a reversal or another run that
      // changed them since the plan was made wins, and those recipients wait for the next run.
      const current = await this.ledger.lockedBalances(
        manager,
        planned.map((r) => r.minerId),
      );
      const recipients = planned.filter((r) => (current.get(r.minerId) ?? 0n) >= r.amount);
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
      return { id, recipients, total };
    });
    if (intent === null) return [{ status: 'skipped', recipients: planned }];
    const { id: paymentId, recipients, total } = intent;
    const minerIds = recipients.map((r) => r.minerId);

    try {
      // Irreversible from here: only while this run still holds the payouts job's lease.
      await assertLeaseHeld();
      // Stamped (committed) before the call: from here on the wallet may send it at any time, even
      // after the client gave up, so its absence never again proves it failed.
      if (!(await this.payments.markDispatched(paymentId))) throw new NotDispatchedError();
      const txid = await this.nodes
        .of(network)
        .sendMany(new Map(recipients.map((r) => [r.address, r.amount])), {
          comment: `${PAYMENT_COMMENT_PREFIX}${batchId}`,
          subtractFeeFrom: recipients.map((r) => r.address),
          flavor,
        });
      await this.settleSent(paymentId, txid, minerIds);
      this.logger.log(
        `paid ${recipients.length} miners ${baseToCoins(total)} BBP on ${network}: ${txid}`,
      );
      this.metrics?.payoutFinished(network, 'sent', total);
      return [{ status: 'sent', recipients, txid }];
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof LeaseLostError || error instanceof NotDispatchedError) {
        // Nothing was sent; the intent is settled by the run that holds the lease now.
        this.logger.warn(`payment ${batchId} not sent: ${message}`);
        run.stopped = true;
        return [{ status: 'uncertain', recipients, error: message }];
      }
      const failure = classifySendFailure(error);
      if (!failure.unsent) {
        this.logger.warn(
          `payment ${batchId} unproven (${message}); it will be reconciled against the wallet`,
        );
        this.metrics?.payoutFinished(network, 'uncertain', total);
        run.stopped = true; // nothing more goes out on top of an unproven send
        return [{ status: 'uncertain', recipients, error: message }];
      }
      // The node answered and its error proves nothing was sent: the hold goes back.
      const failed: BatchOutcome = { status: 'failed', recipients, error: message };
      this.metrics?.payoutFinished(network, 'failed', total);
      const halves = (): Promise<BatchOutcome[]> => {
        const middle = Math.ceil(recipients.length / 2);
        return this.sendBatch(network, recipients.slice(0, middle), run).then(async (first) => [
          ...first,
          ...(await this.sendBatch(network, recipients.slice(middle), run)),
        ]);
      };
      if (failure.kind === 'too-large' && recipients.length > 1) {
        await this.settleFailed(network, paymentId, message, minerIds, []);
        this.logger.warn(`payment ${batchId}: ${message}; sending it in two parts`);
        return [failed, ...(await halves())];
      }
      if (failure.kind === 'recipient') {
        const named = recipients.find((r) => r.address === failure.address);
        if (named || recipients.length === 1) {
          const culprit = named ?? recipients[0];
          await this.settleFailed(network, paymentId, message, minerIds, [culprit.minerId]);
          if (
            await this.payments.countFailure(
              network,
              culprit.minerId,
              message,
              this.config.money.setAsideAfterFailures,
            )
          ) {
            run.setAside.push(culprit.minerId);
            this.logger.warn(
              `${network}: payments to ${culprit.address} set aside after ${this.config.money.setAsideAfterFailures} failures: ${message}`,
            );
          }
          const rest = recipients.filter((r) => r !== culprit);
          return [failed, ...(await this.sendBatch(network, rest, run))];
        }
        await this.settleFailed(network, paymentId, message, minerIds, []);
        return [failed, ...(await halves())];
      }
      await this.settleFailed(network, paymentId, message, minerIds);
      run.stopped = true; // the wallet itself refuses (funds, lock): the next run tries again
      return [failed];
    }
  }

  /**
   * Settles intents without txid against the wallet: found by batch id in its comment or by its
   * exact outputs → sent. A dispatched intent (its `sendmany` was called) not found stays held —
   * a busy node may commit a send long after the client gave up — and shows as an open problem
   * with the wallet's evidence until found or released by an operator. Only an intent never
   * dispatched is released on absence, after the grace period. Payments marked failed within
   * PAYOUT_FAILED_RECHECK_HOURS are looked for too (one found is re-marked sent, its refund taken
   * back). Last, every `purepool:` send of the wallet must be claimed by a payment row: one that
   * is not is recorded and stops payouts until the operator attaches or dismisses it.
   */
  async reconcile(network: Network): Promise<Reconciled> {
    const intents = await this.payments.openIntents(network);
    const recheckSeconds = this.config.money.failedRecheckHours * 3600;
    const failed =
      recheckSeconds > 0 ? await this.payments.failedWithin(network, recheckSeconds) : [];
    const result: Reconciled = {
      sent: 0,
      failed: 0,
      open: 0,
      recovered: 0,
      notFound: 0,
      unclaimed: 0,
    };
    const since = await this.scanSince(network, [...intents, ...failed]);
    const sends = await this.walletSends(network, since);
    // Open intents first: a send matched by its outputs is theirs before an older failed one's.
    const found =
      intents.length + failed.length > 0
        ? await this.findInWallet(network, [...intents, ...failed], sends)
        : new Map<number, string>();
    // Ages are the database's (the clock that stamped the intents), never this process's.
    const grace = this.config.money.reconcileGraceSeconds;
    for (const intent of intents) {
      const txid = found.get(intent.id);
      if (txid) {
        await this.settleSent(intent.id, txid, await this.minersOf(intent));
        result.sent++;
      } else if (intent.dispatchedAt) {
        result.open++;
        if ((intent.dispatchedAgeSeconds ?? 0) >= grace) {
          result.notFound++;
          const evidence =
            `dispatched ${intent.dispatchedAt.toISOString()} (${Math.round(intent.dispatchedAgeSeconds ?? 0)} s ago by the database's clock); the wallet lists no send ` +
            `with comment ${PAYMENT_COMMENT_PREFIX}${intent.batchId} nor one with its outputs among its ` +
            `${sends.size} sends since ${new Date(since * 1000).toISOString()}; held until found or released by an operator`;
          await this.payments.noteNotFound(intent.id, evidence);
          this.logger.warn(`payment ${intent.batchId}: ${evidence}`);
        }
      } else if (intent.ageSeconds >= grace) {
        // Never dispatched: sendmany was not called (a crash, a lost lease), nothing can be out.
        await this.settleFailed(
          network,
          intent.id,
          'never sent to the wallet (not dispatched); released after the grace period',
          await this.minersOf(intent),
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
    const confirmations = await this.trackConfirmations(network);
    if (confirmations.confirmed > 0) result.confirmed = confirmations.confirmed;
    if (confirmations.conflicted > 0) result.conflicted = confirmations.conflicted;
    const unclaimed = await this.claims.findUnclaimed(network, sends.values());
    if (unclaimed.length > 0) await this.payments.recordUnclaimed(network, unclaimed);
    const open = await this.payments.openUnclaimed(network);
    result.unclaimed = open.length;
    if (open.length > 0) {
      this.logger.error(
        `${network}: the wallet holds send(s) no payment claims — payouts stop until an operator attaches or dismisses them: ` +
          open
            .map((u) => `${u.txid} (${u.comment || 'no comment'}, ${baseToCoins(u.paid)} BBP)`)
            .join(', '),
      );
    }
    return result;
  }

  /**
   * Asks the wallet (`gettransaction`) about every sent payment not yet confirmed: with
   * PAYOUT_CONFIRMATIONS confirmations it is confirmed; with negative confirmations the wallet
   * holds it conflicted — a transaction spending the same coins is in a block (MarkConflicted and
   * GetDepthInMainChain, src/wallet/wallet.cpp:941,4357 @1.2.0.1; :1320,5627 @1.4.4.8) — and an
   * abandoned one (`abandoned` in its details, src/wallet/rpcwallet.cpp:1514 @1.2.0.1, :1416
   * @1.4.4.8) will not be mined either: both become open problems, their coins re-credited only
   * by an operator. A send stored after a -4 (the mempool refused it) stays broadcast until the
   * operator abandons it in the wallet. A confirmed payment is asked about again until it is
   * REORG_DEPTH_<NET> deep: a reorganisation that replaces its block with one spending the same
   * coins conflicts it after the fact; one that only takes its block away (the send back in the
   * mempool, 0 confirmations) makes it broadcast again, awaiting confirmation (`confirmed_at`
   * cleared) until it is mined again. REORG_DEPTH is the depth to which the pool itself
   * re-checks its blocks for reversals (block walker) — deeper than that the pool treats the
   * chain as settled, for blocks and payments alike. At most 200 per run, newest first.
   */
  private async trackConfirmations(
    network: Network,
  ): Promise<{ confirmed: number; conflicted: number }> {
    const waiting = await this.payments.awaitingConfirmation(
      network,
      this.config.money.reorgDepth[network],
      200,
    );
    const counts = { confirmed: 0, conflicted: 0 };
    if (waiting.length === 0) return counts;
    const required = this.config.money.payoutConfirmations;
    const outcomes = await this.nodes
      .of(network)
      .batch(waiting.map((p) => rpcCalls.getTransaction(p.txid)));
    for (const [i, payment] of waiting.entries()) {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (!(outcome.error instanceof RpcError)) throw outcome.error;
        // Not in the wallet (-5): the audit names it; nothing to count here.
        this.logger.warn(
          `payment ${payment.batchId}: gettransaction ${payment.txid}: ${outcome.error.message}`,
        );
        continue;
      }
      const tx = outcome.value;
      const problem = walletProblemOf(tx);
      if (problem) {
        await this.payments.noteWalletProblem(payment.id, tx.confirmations, problem);
        counts.conflicted++;
        this.logger.error(
          `payment ${payment.batchId} (${payment.txid}): ${problem}; held until an operator re-credits it`,
        );
      } else {
        const confirmed = tx.confirmations >= required;
        const newlyConfirmed = confirmed && !payment.confirmed;
        const unconfirmed = !confirmed && payment.confirmed;
        if (tx.confirmations !== payment.confirmations || newlyConfirmed || unconfirmed) {
          await this.payments.noteConfirmations(payment.id, tx.confirmations, confirmed);
          if (newlyConfirmed) counts.confirmed++;
          if (unconfirmed) {
            this.logger.warn(
              `payment ${payment.batchId} (${payment.txid}): back to ${tx.confirmations} confirmation(s) after a reorganisation (not conflicted): awaiting confirmation again`,
            );
          }
        }
      }
    }
    return counts;
  }

  /**
   * The operator re-credits a send the wallet reports conflicted or abandoned (console, in the
   * trail): only while the wallet still says so, the payment is marked failed and its holds go back
   * to the miners — once. A send that confirmed meanwhile is not re-credited (409).
   */
  async recredit(
    network: Network,
    batchId: string,
    reason: string,
    record: RecordAction,
  ): Promise<{ network: Network; batchId: string; paymentId: number; actionId: number }> {
    const payment = await this.payments.walletProblemOf(network, batchId);
    if (!payment) throw new NotFoundException(`no payment ${batchId} on ${network}`);
    if (payment.status !== 'sent' || !payment.problem || !payment.txid) {
      throw new ConflictException(
        `payment ${batchId} is ${payment.status}${payment.problem ? '' : ' without a wallet problem'}: nothing to re-credit`,
      );
    }
    let tx: WalletTransaction | null = null;
    try {
      tx = await this.nodes.of(network).getTransaction(payment.txid);
    } catch (error) {
      // The wallet forgot it (a restore): nothing says it left; the operator's call stands.
      if (!(error instanceof RpcError)) throw error;
    }
    const problem = tx ? walletProblemOf(tx) : 'not in the wallet';
    if (!problem) {
      throw new ConflictException(
        `payment ${batchId} (${payment.txid}) is no longer conflicted or abandoned in the wallet (${tx!.confirmations} confirmations): not re-credited`,
      );
    }
    const minerIds = await this.ledger.minersOfPayment(payment.id);
    const error = `re-credited by an operator (${problem}): ${reason}`;
    const actionId = await this.payments.transaction(async (manager) => {
      await this.ledger.lockBalanceRows(manager, minerIds); // before the ledger rows
      if (!(await this.payments.markRecredited(manager, payment.id, error))) {
        throw new ConflictException(`payment ${batchId} was re-credited meanwhile`);
      }
      await this.payments.recordErrors(manager, network, payment.id, error, minerIds);
      await this.ledger.insertRefunds(manager, payment.id, `refund: ${error}`);
      await this.ledger.refreshBalances(manager, minerIds);
      return record(
        manager,
        {
          status: 'sent',
          txid: payment.txid,
          walletProblem: payment.problem,
          total: baseToCoins(payment.total),
        },
        { status: 'failed', refunded: baseToCoins(payment.total), wallet: problem },
      );
    });
    this.logger.warn(`payment ${batchId} re-credited by an operator (${problem}): ${reason}`);
    return { network, batchId, paymentId: payment.id, actionId };
  }

  /** What is open, read without touching anything (a dry run's view of reconciliation). */
  private async openState(network: Network): Promise<Reconciled> {
    const [intents, unclaimed] = await Promise.all([
      this.payments.openIntents(network),
      this.payments.openUnclaimed(network),
    ]);
    const grace = this.config.money.reconcileGraceSeconds;
    return {
      sent: 0,
      failed: 0,
      open: intents.length,
      recovered: 0,
      notFound: intents.filter((i) => (i.dispatchedAgeSeconds ?? -1) >= grace).length,
      unclaimed: unclaimed.length,
    };
  }

  /**
   * How far back (unix s) the wallet is read: back past the oldest payment to settle and the
   * newest payment row (a send after it that no row claims is one the database lost); the whole
   * wallet when the database holds no payment at all.
   */
  private async scanSince(network: Network, payments: readonly PaymentRow[]): Promise<number> {
    const newest = await this.payments.newestPaymentTime(network);
    if (newest === null) return 0;
    const oldest = Math.min(newest, ...payments.map((p) => p.createdAt.getTime() / 1000));
    return Math.max(0, oldest - MATCH_WINDOW_SECONDS);
  }

  /**
   * The operator releases a payment the wallet does not show (console, in the trail): only when
   * the wallet still lists no such send, it is marked failed and its hold given back. One the
   * wallet has after all is marked sent instead (409). Should the send commit later still, the
   * failed-payment recheck and the unclaimed-send check find it before anyone is paid twice.
   */
  async release(
    network: Network,
    batchId: string,
    reason: string,
    record: RecordAction,
  ): Promise<{ network: Network; batchId: string; paymentId: number; actionId: number }> {
    const payment = await this.payments.byBatch(network, batchId);
    if (!payment) throw new NotFoundException(`no payment ${batchId} on ${network}`);
    if (payment.status !== 'intent') {
      throw new ConflictException(`payment ${batchId} is ${payment.status}, not open`);
    }
    const sends = await this.walletSends(
      network,
      payment.createdAt.getTime() / 1000 - MATCH_WINDOW_SECONDS,
    );
    const txid = (await this.findInWallet(network, [payment], sends)).get(payment.id);
    const minerIds = await this.minersOf(payment);
    if (txid) {
      await this.settleSent(payment.id, txid, minerIds);
      throw new ConflictException(
        `payment ${batchId} is in the wallet (${txid}): marked sent, not released`,
      );
    }
    const error = `released by an operator: ${reason}`;
    const actionId = await this.payments.transaction(async (manager) => {
      await this.ledger.lockBalanceRows(manager, minerIds); // before the ledger rows
      if (!(await this.payments.markFailed(manager, payment.id, error))) {
        throw new ConflictException(`payment ${batchId} was settled meanwhile`);
      }
      await this.payments.recordErrors(manager, network, payment.id, error, minerIds);
      await this.ledger.insertRefunds(manager, payment.id, `refund: ${error}`);
      await this.ledger.refreshBalances(manager, minerIds);
      return record(
        manager,
        { status: 'intent', dispatchedAt: payment.dispatchedAt, total: baseToCoins(payment.total) },
        { status: 'failed', refunded: baseToCoins(payment.total) },
      );
    });
    this.logger.warn(`payment ${batchId} released by an operator (${reason}); hold given back`);
    return { network, batchId, paymentId: payment.id, actionId };
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
    sends: ReadonlyMap<string, WalletSend>,
  ): Promise<Map<number, string>> {
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
    await this.settle(paymentId, 'sent', minerIds, async (manager) => {
      if (!(await this.payments.markSent(manager, paymentId, txid))) throw new LostRaceError();
      await this.ledger.setPaymentTxid(manager, paymentId, txid);
      await this.payments.clearFailures(manager, minerIds);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }

  /** failed → sent: the refund is taken back; a miner paid again meanwhile now owes it. */
  private async settleFoundAfterFailure(
    payment: PaymentRow,
    txid: string,
    minerIds: number[],
  ): Promise<void> {
    await this.settle(payment.id, 'sent', minerIds, async (manager) => {
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

  /**
   * intent → failed, hold given back. The error is shown to the miners it concerns: `blamed`
   * (default: every recipient; none when the batch as a whole was refused).
   */
  private async settleFailed(
    network: Network,
    paymentId: number,
    error: string,
    minerIds: number[],
    blamed: readonly number[] = minerIds,
  ): Promise<void> {
    await this.settle(paymentId, 'failed', minerIds, async (manager) => {
      if (!(await this.payments.markFailed(manager, paymentId, error))) throw new LostRaceError();
      await this.payments.recordErrors(manager, network, paymentId, error, blamed);
      await this.ledger.insertRefunds(manager, paymentId, `refund: ${error}`);
      await this.ledger.refreshBalances(manager, minerIds);
    });
  }

  /** A status change from `intent` in one transaction; a lost race rolls back and is logged. */
  private async settle(
    paymentId: number,
    to: 'sent' | 'failed',
    minerIds: readonly number[],
    work: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    try {
      await this.payments.transaction(async (manager) => {
        // The recipients' balance rows before their ledger rows (LedgerRepository.lockBalanceRows).
        await this.ledger.lockBalanceRows(manager, minerIds);
        await work(manager);
      });
    } catch (error) {
      if (!(error instanceof LostRaceError)) throw error;
      this.logger.warn(`payment ${paymentId} was settled by another run; not marking it ${to}`);
    }
  }
}

const maxOf = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** Why the wallet will not mine this send (conflicted, abandoned), or null. */
function walletProblemOf(tx: WalletTransaction): string | null {
  if (tx.confirmations < 0) {
    return `conflicted: the wallet reports ${tx.confirmations} confirmations (a transaction spending the same coins is in a block)`;
  }
  if (tx.abandoned || tx.details.some((d) => d.abandoned)) {
    return 'abandoned in the wallet: it will not be mined, its coins are spendable again';
  }
  return null;
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
