import { Injectable, Logger } from '@nestjs/common';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';
import { retryOnLockConflict } from '../../database/lock-retry';
import { assertLeaseHeld } from '../../jobs/job-lease';
import { LedgerRepository } from '../payout/ledger.repository';
import { RoundRepository } from '../solution/round.repository';
import { BlockRepository, PoolBlock } from './block.repository';
import { PayoutScheme } from './schemes/payout-scheme';
import { PplnsScheme } from './schemes/pplns.scheme';
import { PropScheme } from './schemes/prop.scheme';
import { feeOf, splitByWeight } from './split';

/** Attempts of a shareout's transaction that InnoDB rolled back for a deadlock or lock wait. */
const SHAREOUT_ATTEMPTS = 3;

export interface ShareoutReport {
  network: Network;
  height: number;
  blockId: number;
  scheme: string;
  subsidy: bigint;
  fee: bigint;
  feeRecipient: string;
  /** Set when the whole subsidy goes to the fee. */
  feeReason: string | null;
  credits: Map<number, bigint>;
  written: boolean;
}

/**
 * Splits each mature pool block's subsidy minus the pool fee over its miners by share weight, in
 * integer base units with largest remainder (the parts add up exactly), and credits the ledger in
 * one transaction that also marks the block shared — the row lock and the ledger's unique index
 * make a second shareout of the same block impossible, whichever backend tries. The transaction
 * locks the miners' balance rows before it writes their ledger rows, as payouts do, and runs
 * again when InnoDB rolls it back for a deadlock anyway.
 */
@Injectable()
export class ShareoutService {
  private readonly logger = new Logger(ShareoutService.name);
  private readonly scheme: PayoutScheme;

  constructor(
    private readonly blocks: BlockRepository,
    private readonly ledger: LedgerRepository,
    rounds: RoundRepository,
    private readonly config: AppConfig,
  ) {
    this.scheme =
      config.money.scheme === 'pplns'
        ? new PplnsScheme(rounds, config.money.pplnsWindowShares)
        : new PropScheme(rounds);
  }

  async run(
    network: Network,
    options: { height?: number; dryRun?: boolean } = {},
  ): Promise<ShareoutReport[]> {
    const open = await this.blocks.openPoolBlocks(network);
    const due = open.filter(
      (b) =>
        b.status === 'mature' &&
        b.roundAssigned &&
        (options.height === undefined || b.height === options.height),
    );
    const reports: ShareoutReport[] = [];
    for (const block of due)
      reports.push(await this.shareOne(network, block, options.dryRun ?? false));
    return reports;
  }

  async split(network: Network, block: PoolBlock): Promise<Omit<ShareoutReport, 'written'>> {
    const weights = await this.scheme.weights(block);
    const totalWeight = [...weights.values()].reduce((a, b) => a + b, 0n);
    // No shares to pay (e.g. a block found before any share was accepted): it all stays as fee.
    const fee =
      totalWeight === 0n
        ? block.subsidy
        : feeOf(block.subsidy, this.config.poolFee.partsPerMillion);
    const credits = splitByWeight(block.subsidy - fee, weights);
    return {
      network,
      height: block.height,
      blockId: block.id,
      scheme: this.scheme.name,
      subsidy: block.subsidy,
      fee,
      feeRecipient: this.config.money.feeRecipient ?? this.config.poolAddressOf(network),
      feeReason: totalWeight === 0n ? `no share of ${this.scheme.name} weight in its round` : null,
      credits,
    };
  }

  private async shareOne(
    network: Network,
    block: PoolBlock,
    dryRun: boolean,
  ): Promise<ShareoutReport> {
    const report = await this.split(network, block);
    if (dryRun) return { ...report, written: false };
    // A deadlock or lock wait given up rolls the whole transaction back: it runs again at once
    // (a few times) instead of waiting for the job's next interval.
    const written = await retryOnLockConflict(
      () => this.writeShareout(network, block, report),
      SHAREOUT_ATTEMPTS,
    );
    if (written) {
      this.logger.log(
        `${network}: block ${block.height} shared out: ${baseToCoins(block.subsidy - report.fee)} BBP over ${report.credits.size} miners, fee ${baseToCoins(report.fee)}`,
      );
    }
    return { ...report, written };
  }

  /** The shareout's one transaction; false when the block is no longer a mature pool block. */
  private writeShareout(
    network: Network,
    block: PoolBlock,
    report: Omit<ShareoutReport, 'written'>,
  ): Promise<boolean> {
    return this.blocks.transaction(async (manager) => {
      if (!(await this.blocks.lockMature(manager, block.id))) return false;
      // The miners' balance rows before their ledger rows: the money path's one lock order
      // (LedgerRepository.lockBalanceRows), as a payout's intent and settlement take them.
      await this.ledger.lockBalanceRows(manager, [...report.credits.keys()]);
      await this.ledger.insertCredits(manager, network, block.id, report.credits);
      await this.blocks.markShared(
        manager,
        block.id,
        report.fee,
        report.feeRecipient,
        report.feeReason,
      );
      await this.ledger.refreshBalances(manager, [...report.credits.keys()]);
      // The commit is the irreversible step: only while this run still holds the job's lease.
      await assertLeaseHeld();
      return true;
    });
  }
}
