import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idTransformer } from '../../../database/bigint.transformer';

/**
 * A recipient whose payments failed for reasons of its own, with the failures in a row (a sent
 * payment clears the row). Once set aside (set_aside_at) it is left out of payouts — the rest are
 * paid — until the operator releases it (`npm run cli -- release-payout --address A`).
 */
@Entity('payout_set_aside')
@Index('ix_payout_set_aside_network', ['network'])
export class PayoutSetAsideEntity {
  @PrimaryColumn({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'int', unsigned: true })
  failures: number;

  @Column({ name: 'last_error', type: 'text' })
  lastError: string;

  @Column({ name: 'set_aside_at', type: 'datetime', precision: 3, nullable: true })
  setAsideAt: Date | null;
}
