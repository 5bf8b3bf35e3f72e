import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

/** Cached totals refreshed from the ledger for pages; payouts recompute from the ledger itself. */
@Entity('miner_balance')
export class MinerBalanceEntity {
  @PrimaryColumn({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  balance: bigint;

  @Column({ name: 'total_credited', type: 'bigint', transformer: bigintTransformer })
  totalCredited: bigint;

  @Column({ name: 'total_paid', type: 'bigint', transformer: bigintTransformer })
  totalPaid: bigint;

  @Column({ name: 'last_paid_at', type: 'datetime', precision: 3, nullable: true })
  lastPaidAt: Date | null;

  @UpdateDateColumn({
    name: 'updated_at',
    type: 'datetime',
    precision: 3,
    default: () => 'CURRENT_TIMESTAMP(3)',
    onUpdate: 'CURRENT_TIMESTAMP(3)',
  })
  updatedAt: Date;
}
