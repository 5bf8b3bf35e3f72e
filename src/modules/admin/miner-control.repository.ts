import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface LockedMiner {
  id: number;
  network: string;
  address: string;
  disabled: boolean;
}

/**
 * The console's one write to the mining module's `miner` table: the `enabled` switch the
 * original's admin site had. The frontends read it with the miner row (MINER_CACHE_SECONDS).
 */
@Injectable()
export class MinerControlRepository {
  async lock(
    manager: EntityManager,
    network: string,
    address: string,
  ): Promise<LockedMiner | null> {
    const rows: { id: number | string; disabled: number }[] = await manager.query(
      'SELECT id, disabled FROM miner WHERE network = ? AND address = ? FOR UPDATE',
      [network, address],
    );
    if (rows.length === 0) return null;
    return { id: Number(rows[0].id), network, address, disabled: Boolean(rows[0].disabled) };
  }

  /** Conditional on the state read under the lock: true when this call changed it. */
  async setDisabled(manager: EntityManager, minerId: number, disabled: boolean): Promise<boolean> {
    const result: { affectedRows: number } = await manager.query(
      'UPDATE miner SET disabled = ? WHERE id = ? AND disabled = ?',
      [disabled ? 1 : 0, minerId, disabled ? 0 : 1],
    );
    return result.affectedRows === 1;
  }
}
