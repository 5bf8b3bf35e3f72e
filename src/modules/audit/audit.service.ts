import { Injectable } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';
import { BlockRepository } from '../block/block.repository';
import { LedgerRepository } from '../payout/ledger.repository';
import { PaymentRepository } from '../payout/payment.repository';

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
