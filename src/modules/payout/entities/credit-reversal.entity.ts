import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

/**
 * One miner's part of a reversed pool block (orphaned after its shareout): what the block had
 * credited, what was taken back from the balance (the ledger's `reversal` entry), and what had
 * already been paid out and so is the pool's loss. credited = reversed + loss.
 */
@Entity('credit_reversal')
@Index('ix_credit_reversal_miner', ['minerId'])
@Index('ix_credit_reversal_network', ['network'])
export class CreditReversalEntity {
  @PrimaryColumn({ name: 'block_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  blockId: number;

  @PrimaryColumn({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  credited: bigint;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  reversed: bigint;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  loss: bigint;

  @CreatedAtColumn()
  createdAt: Date;
}
