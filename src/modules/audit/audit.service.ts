import { Injectable } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';
import { BlockRepository } from '../block/block.repository';
import { LedgerRepository } from '../payout/ledger.repository';
import { PaymentRepository } from '../payout/payment.repository';
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
}

export interface FundingReport {
  network: Network;
  /** Σ positive miner balances + pool subsidy of blocks not yet shared out. */
  required: bigint;
  /** Wallet balance + immature balance. */
  available: bigint;
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
  ) {}

  async audit(network: Network, now = new Date()): Promise<AuditReport> {
    const problems: string[] = [];
    const shared = await this.blocks.sharedOut(network);
    const credits = await this.ledger.creditsByBlock(network);
    let credited = 0n;
    let distributable = 0n;
    for (const block of shared) {
      const c = credits.get(block.id) ?? 0n;
      credited += c;
      distributable += block.distributable;
      if (c !== block.distributable) {
        problems.push(
          `block ${block.height}: credited ${c} ≠ subsidy − fee ${block.distributable}`,
        );
      }
    }
    for (const [blockId] of credits) {
      if (!shared.some((b) => b.id === blockId))
        problems.push(`credits for block id ${blockId}, which is not shared out`);
    }
    for (const m of await this.ledger.balanceMismatches(network)) {
      problems.push(
        `miner ${m.minerId}: balance cache ${m.cached} ≠ credits − payouts ${m.ledger}`,
      );
    }
    const negative = await this.ledger.negativeBalances(network);
    if (negative > 0) problems.push(`${negative} miner(s) with a negative ledger balance`);
    problems.push(...(await this.againstWallet(network)));
    const window = new Date(now.getTime() - this.config.money.reconcileGraceSeconds * 1000);
    for (const p of await this.payments.staleIntents(network, window)) {
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
      feeOnlyBlocks: await this.blocks.feeOnlyBlocks(network),
    };
  }

  /**
   * The ledger proved against the wallet, not only against itself: every pool block the ledger
   * counts was received by the wallet, to the base unit (so Σ received = Σ credits + Σ fees +
   * pending, given the sums above), and every sent payment's txid is in the wallet with the
   * outputs the payment held.
   */
  private async againstWallet(network: Network): Promise<string[]> {
    const problems: string[] = [];
    const transactions = await walletTransactions(this.nodes.of(network));
    const poolAddress = this.config.poolAddressOf(network);
    const received = new Map<string, bigint>();
    for (const tx of transactions) {
      const coinbase = tx.category === 'generate' || tx.category === 'immature';
      if (!coinbase || tx.address !== poolAddress || !tx.blockhash) continue;
      received.set(tx.blockhash, (received.get(tx.blockhash) ?? 0n) + tx.amount);
    }
    for (const block of await this.blocks.currentPoolBlocks(network)) {
      const got = received.get(block.hash);
      if (got === undefined) {
        problems.push(`pool block ${block.height}: the wallet has no coinbase for ${block.hash}`);
      } else if (got !== block.subsidy) {
        problems.push(
          `pool block ${block.height}: the wallet received ${got}, the ledger counts ${block.subsidy}`,
        );
      }
    }
    const sends = sendsOf(transactions);
    for (const payment of await this.payments.sentWithTxid(network)) {
      const send = sends.get(payment.txid);
      if (!send) {
        problems.push(`payment ${payment.batchId}: its txid ${payment.txid} is not in the wallet`);
        continue;
      }
      const held = new Map(
        (await this.ledger.linesOfPayment(payment.id)).map((l) => [l.address, l.amount]),
      );
      if (!sendMatches(held, send)) {
        problems.push(
          `payment ${payment.batchId}: the wallet's transaction ${payment.txid} has other outputs than the payment held`,
        );
      }
    }
    return problems;
  }

  async funding(network: Network): Promise<FundingReport> {
    const balances = await this.ledger.balances(network);
    const owed = balances.reduce((sum, b) => (b.balance > 0n ? sum + b.balance : sum), 0n);
    const required = owed + (await this.blocks.unsharedPoolSubsidy(network));
    const wallet = await this.nodes.of(network).getWalletInfo();
    const available = wallet.balance + wallet.immature_balance;
    return {
      network,
      required,
      available,
      surplus: available - required,
      ok: available >= required,
    };
  }
}
