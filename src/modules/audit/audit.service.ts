import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';
import type { Queryable } from '../../database/queryable';
import { inReadSnapshot } from '../../database/read-snapshot';
import { BlockRepository } from '../block/block.repository';
import { LedgerRepository } from '../payout/ledger.repository';
import { PaymentRepository } from '../payout/payment.repository';
import { WalletClaimsService } from '../payout/wallet-claims.service';
import { sendMatches, sendsOf, walletTransactions } from '../payout/wallet-ledger';

export interface AuditReport {
  network: Network;
  ok: boolean;
  sharedBlocks: number;
  credited: bigint;
  distributable: bigint;
  problems: string[];
  /** Blocks whose whole subsidy went to the fee, and why (not a mismatch, but worth a look). */
  feeOnlyBlocks: { height: number; reason: string }[];
  /**
   * The ledger against the wallet: Σ exact pool coinbase values the wallet received for the pool
   * blocks on the chain = credits + fees (of every block ever shared out) + pending (pool blocks
   * not yet shared) + reversed (minus the subsidy of blocks orphaned after their shareout).
   */
  wallet: { received: bigint; credits: bigint; fees: bigint; pending: bigint; reversed: bigint };
  /** Blocks orphaned after their shareout: what was taken back and what the pool lost. */
  reversals: { height: number; hash: string; credited: bigint; reversed: bigint; loss: bigint }[];
  poolLoss: bigint;
  /** Manual balance adjustments from the operator console (their own ledger category). */
  adjustments: { count: number; total: bigint };
  /**
   * The wallet against the ledger: the pool's sends (a `purepool:` comment, or every output to a
   * miner) that no payment row claims and the operator has not dismissed. Each is a problem too.
   */
  unclaimedSends: { txid: string; comment: string; paid: bigint; fee: bigint; time: number }[];
}

export interface FundingReport {
  network: Network;
  /** Σ positive miner balances + pool subsidy of blocks not yet shared out. */
  required: bigint;
  /** Wallet balance + immature balance. */
  available: bigint;
  /** The wallet's balance alone: what a payout can send today. */
  spendable: bigint;
  /** Coinbases still maturing (pool blocks not yet shared out, mostly). */
  immature: bigint;
  surplus: bigint;
  ok: boolean;
}

/** The operator's proofs that the money adds up (`npm run cli -- audit | funding`). */
@Injectable()
export class AuditService {
  constructor(
    private readonly blocks: BlockRepository,
    private readonly ledger: LedgerRepository,
    private readonly payments: PaymentRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly claims: WalletClaimsService,
  ) {}

  /**
   * Every database read of one audit comes from one snapshot (taken before the wallet is read), so
   * an audit run next to a working backend proves a state that existed, not a mix of two.
   */
  audit(network: Network, now = new Date()): Promise<AuditReport> {
    return inReadSnapshot(this.db, (q) => this.auditOn(q, network, now));
  }

  private async auditOn(q: Queryable, network: Network, now: Date): Promise<AuditReport> {
    const problems: string[] = [];
    const shared = await this.blocks.sharedOut(network, q);
    const credits = await this.ledger.creditsByBlock(network, q);
    let credited = 0n;
    let distributable = 0n;
    let fees = 0n;
    for (const block of shared) {
      const c = credits.get(block.id) ?? 0n;
      credited += c;
      distributable += block.distributable;
      fees += block.fee;
      if (c !== block.distributable) {
        problems.push(
          `block ${block.height}: credited ${c} ≠ subsidy − fee ${block.distributable}`,
        );
      }
    }
    const reversals = await this.checkReversals(q, network, credits, problems);
    for (const [blockId] of credits) {
      if (!shared.some((b) => b.id === blockId))
        problems.push(`credits for block id ${blockId}, which is not shared out`);
    }
    for (const m of await this.ledger.balanceMismatches(network, q)) {
      problems.push(
        `miner ${m.minerId}: balance cache ${m.cached} ≠ credits − payouts ${m.ledger}`,
      );
    }
    const negative = await this.ledger.negativeBalances(network, q);
    if (negative > 0) problems.push(`${negative} miner(s) with a negative ledger balance`);
    const {
      problems: walletProblems,
      received,
      coinbases,
      unclaimedSends,
    } = await this.againstWallet(q, network);
    problems.push(...walletProblems);
    const pending = await this.blocks.unsharedPoolSubsidy(network, q);
    const reversedBlocks = await this.blocks.reversedBlocks(network, q);
    const reversed = -reversedBlocks.reduce((sum, b) => sum + b.subsidy, 0n);
    for (const block of reversedBlocks.filter((b) => coinbases.has(b.hash))) {
      problems.push(
        `reversed pool block ${block.height} is on the chain again (its coinbase is in the wallet): its credits are not restored`,
      );
    }
    const wallet = { received, credits: credited, fees, pending, reversed };
    if (received !== credited + fees + pending + reversed) {
      problems.push(
        `the wallet received ${received} for the pool's blocks ≠ credits ${credited} + fees ${fees} + pending ${pending} + reversed ${reversed}`,
      );
    }
    const window = new Date(now.getTime() - this.config.money.reconcileGraceSeconds * 1000);
    for (const p of await this.payments.staleIntents(network, window, q)) {
      problems.push(
        `payment ${p.batchId} (${p.status}) has no txid and is older than the reconcile window`,
      );
    }
    return {
      network,
      ok: problems.length === 0,
      sharedBlocks: shared.length,
      credited,
      distributable,
      problems,
      feeOnlyBlocks: await this.blocks.feeOnlyBlocks(network, q),
      wallet,
      reversals,
      poolLoss: reversals.reduce((sum, r) => sum + r.loss, 0n),
      adjustments: await this.ledger.adjustmentTotals(network, q),
      unclaimedSends,
    };
  }

  /**
   * Each reversed block: its credits were taken back in full — from balances (the `reversal`
   * entries) or as recorded pool loss — and the two records agree.
   */
  private async checkReversals(
    q: Queryable,
    network: Network,
    credits: ReadonlyMap<number, bigint>,
    problems: string[],
  ): Promise<AuditReport['reversals']> {
    const records = await this.ledger.creditReversals(network, q);
    const entries = await this.ledger.reversalsByBlock(network, q);
    const reversals: AuditReport['reversals'] = [];
    for (const block of await this.blocks.reversedBlocks(network, q)) {
      const credited = credits.get(block.id) ?? 0n;
      const record = records.get(block.id) ?? { credited: 0n, reversed: 0n, loss: 0n };
      const taken = -(entries.get(block.id) ?? 0n);
      if (record.credited !== credited || record.reversed + record.loss !== credited) {
        problems.push(
          `reversed block ${block.height}: credited ${credited} ≠ taken back ${record.reversed} + pool loss ${record.loss}`,
        );
      }
      if (taken !== record.reversed) {
        problems.push(
          `reversed block ${block.height}: ledger reversals ${taken} ≠ recorded ${record.reversed}`,
        );
      }
      reversals.push({
        height: block.height,
        hash: block.hash,
        credited,
        reversed: record.reversed,
        loss: record.loss,
      });
    }
    return reversals;
  }

  /**
   * The ledger proved against the wallet, not only against itself: every pool block the ledger
   * counts was received by the wallet, to the base unit (so Σ received = Σ credits + Σ fees +
   * pending, given the sums above), and every sent payment's txid is in the wallet with the
   * outputs the payment held.
   */
  private async againstWallet(
    q: Queryable,
    network: Network,
  ): Promise<{
    problems: string[];
    received: bigint;
    coinbases: Map<string, bigint>;
    unclaimedSends: AuditReport['unclaimedSends'];
  }> {
    const problems: string[] = [];
    let total = 0n;
    const transactions = await walletTransactions(this.nodes.of(network));
    const poolAddress = this.config.poolAddressOf(network);
    const received = new Map<string, bigint>();
    for (const tx of transactions) {
      const coinbase = tx.category === 'generate' || tx.category === 'immature';
      if (!coinbase || tx.address !== poolAddress || !tx.blockhash) continue;
      received.set(tx.blockhash, (received.get(tx.blockhash) ?? 0n) + tx.amount);
    }
    for (const block of await this.blocks.currentPoolBlocks(network, q)) {
      const got = received.get(block.hash);
      total += got ?? 0n;
      if (got === undefined) {
        problems.push(`pool block ${block.height}: the wallet has no coinbase for ${block.hash}`);
      } else if (got !== block.subsidy) {
        problems.push(
          `pool block ${block.height}: the wallet received ${got}, the ledger counts ${block.subsidy}`,
        );
      }
    }
    const sends = sendsOf(transactions);
    for (const payment of await this.payments.sentWithTxid(network, q)) {
      const send = sends.get(payment.txid);
      if (!send) {
        problems.push(`payment ${payment.batchId}: its txid ${payment.txid} is not in the wallet`);
        continue;
      }
      const held = new Map(
        (await this.ledger.linesOfPayment(payment.id, q)).map((l) => [l.address, l.amount]),
      );
      if (!sendMatches(held, send)) {
        problems.push(
          `payment ${payment.batchId}: the wallet's transaction ${payment.txid} has other outputs than the payment held`,
        );
      }
    }
    // Both directions: every pool send of the wallet belongs to a payment row.
    const unclaimed = await this.claims.findUnclaimed(network, sends.values(), q);
    for (const send of unclaimed) {
      problems.push(
        `wallet send ${send.txid} (${send.comment || 'no comment'}, ${send.paid} to ${send.outputs.size} miner(s)) is claimed by no payment: payouts stop until an operator attaches or dismisses it`,
      );
    }
    const unclaimedSends = unclaimed.map((s) => ({
      txid: s.txid,
      comment: s.comment,
      paid: s.paid,
      fee: s.fee,
      time: s.time,
    }));
    return { problems, received: total, coinbases: received, unclaimedSends };
  }

  async funding(network: Network): Promise<FundingReport> {
    const required = await inReadSnapshot(this.db, async (q) => {
      const balances = await this.ledger.balances(network, q);
      const owed = balances.reduce((sum, b) => (b.balance > 0n ? sum + b.balance : sum), 0n);
      return owed + (await this.blocks.unsharedPoolSubsidy(network, q));
    });
    const wallet = await this.nodes.of(network).getWalletInfo();
    const available = wallet.balance + wallet.immature_balance;
    return {
      network,
      required,
      available,
      spendable: wallet.balance,
      immature: wallet.immature_balance,
      surplus: available - required,
      ok: available >= required,
    };
  }
}
