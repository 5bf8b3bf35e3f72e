import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

/** A wallet error met while paying a miner, kept for the operator and the miner page. */
@Entity('payment_error')
@Index('ix_payment_error_miner', ['minerId', 'createdAt'])
export class PaymentErrorEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({
    name: 'payment_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  paymentId: number | null;

  @Column({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amount: bigint;

  @Column({ type: 'text' })
  error: string;

  @CreatedAtColumn()
  createdAt: Date;
}
