import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { retryOnLockConflict } from '../../database/lock-retry';
import { DataSource, EntityManager } from 'typeorm';
import { BaseUnits, baseToCoins } from '../../biblepay/amount';
import { LedgerRepository } from '../payout/ledger.repository';
import { AdminActionRepository } from './admin-action.repository';
import type { MinerRef } from './admin-input';
import { MinerRepository } from '../mining/miner.repository';

/** Who acts, for the trail. */
export interface ActionContext {
  actor: string;
  clientIp: string | null;
}

export interface MinerSwitchResult extends MinerRef {
  disabled: boolean;
  /** False when the miner already was in that state (nothing written, no trail entry). */
  changed: boolean;
  actionId: number | null;
}

type LockedMiner = { id: number; disabled: boolean };

export interface AdjustmentPreview extends MinerRef {
  amount: BaseUnits;
  balanceBefore: BaseUnits;
  balanceAfter: BaseUnits;
}

export interface AdjustmentResult extends AdjustmentPreview {
  ledgerEntryId: number;
  actionId: number;
}

/**
 * The console's changes to one miner: the on/off switch and manual balance adjustments. Each runs
 * in one transaction with its trail entry, on rows locked for it, so two operators (or a payout
 * run) never interleave.
 */
@Injectable()
export class MinerAdminService {
  private readonly logger = new Logger('AdminConsole');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly miners: MinerRepository,
    private readonly ledger: LedgerRepository,
    private readonly trail: AdminActionRepository,
  ) {}

  setDisabled(
    ref: MinerRef,
    disabled: boolean,
    reason: string,
    who: ActionContext,
  ): Promise<MinerSwitchResult> {
    return retryOnLockConflict(() => this.setDisabledOnce(ref, disabled, reason, who));
  }

  private setDisabledOnce(
    ref: MinerRef,
    disabled: boolean,
    reason: string,
    who: ActionContext,
  ): Promise<MinerSwitchResult> {
    return this.db.transaction(async (manager) => {
      const miner = await this.lockMiner(manager, ref);
      if (miner.disabled === disabled) {
        return { ...ref, disabled, changed: false, actionId: null };
      }
      await this.miners.setDisabled(manager, miner.id, disabled);
      const actionId = await this.trail.record(
        {
          ...who,
          action: disabled ? 'miner.disable' : 'miner.enable',
          network: ref.network,
          target: ref.address,
          reason,
          before: { disabled: miner.disabled },
          after: { disabled },
        },
        manager,
      );
      this.logger.log(
        `${who.actor} ${disabled ? 'disabled' : 'enabled'} miner ${ref.network}/${ref.address}: ${reason}`,
      );
      return { ...ref, disabled, changed: true, actionId };
    });
  }

  /** What an adjustment would do (for the confirmation step); 400 if it would go below zero. */
  async previewAdjustment(ref: MinerRef, amount: BaseUnits): Promise<AdjustmentPreview> {
    return this.db.transaction(async (manager) => {
      const miner = await this.lockMiner(manager, ref);
      return this.preview(manager, miner, ref, amount);
    });
  }

  /**
   * Books a manual adjustment as its own ledger category (`adjustment`, the reason as its note):
   * the miner's balance moves by exactly `amount`, never below zero, and the audit lists the sum
   * of adjustments apart from credits and payouts.
   */
  adjust(
    ref: MinerRef,
    amount: BaseUnits,
    reason: string,
    who: ActionContext,
  ): Promise<AdjustmentResult> {
    // A background job (shareout, payout) may hold the same balance rows: run it again.
    return retryOnLockConflict(() => this.adjustOnce(ref, amount, reason, who));
  }

  private adjustOnce(
    ref: MinerRef,
    amount: BaseUnits,
    reason: string,
    who: ActionContext,
  ): Promise<AdjustmentResult> {
    return this.db.transaction(async (manager) => {
      const miner = await this.lockMiner(manager, ref);
      const preview = await this.preview(manager, miner, ref, amount);
      const ledgerEntryId = await this.ledger.insertAdjustment(manager, {
        network: ref.network,
        minerId: miner.id,
        amount,
        note: reason,
      });
      await this.ledger.refreshBalances(manager, [miner.id]);
      const actionId = await this.trail.record(
        {
          ...who,
          action: 'balance.adjust',
          network: ref.network,
          target: ref.address,
          reason,
          before: { balance: baseToCoins(preview.balanceBefore) },
          after: {
            balance: baseToCoins(preview.balanceAfter),
            amount: baseToCoins(amount),
            ledgerEntryId,
          },
        },
        manager,
      );
      this.logger.log(
        `${who.actor} adjusted the balance of ${ref.network}/${ref.address} by ${baseToCoins(amount)} BBP: ${reason}`,
      );
      return { ...preview, ledgerEntryId, actionId };
    });
  }

  private async preview(
    manager: EntityManager,
    miner: LockedMiner,
    ref: MinerRef,
    amount: BaseUnits,
  ): Promise<AdjustmentPreview> {
    const balances = await this.ledger.lockedBalances(manager, [miner.id]);
    const balanceBefore = balances.get(miner.id) ?? 0n;
    const balanceAfter = balanceBefore + amount;
    if (balanceAfter < 0n) {
      throw new BadRequestException(
        `the balance is ${baseToCoins(balanceBefore)} BBP: an adjustment of ${baseToCoins(amount)} would leave it negative`,
      );
    }
    return { ...ref, amount, balanceBefore, balanceAfter };
  }

  private async lockMiner(manager: EntityManager, ref: MinerRef): Promise<LockedMiner> {
    const miner = await this.miners.lockForUpdate(manager, ref.network, ref.address);
    if (!miner) throw new NotFoundException(`no miner ${ref.address} on ${ref.network}`);
    return miner;
  }
}
