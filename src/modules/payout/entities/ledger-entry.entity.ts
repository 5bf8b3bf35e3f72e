import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

/**
 * share: a block's credit; payout: a payment's hold (negative); payout_refund: a hold given back
 * when the send provably failed; refund_reversal: a refund taken back when the "failed" send later
 * showed up in the wallet; reversal: a credit taken back when its block was orphaned after shareout;
 * adjustment: a manual correction by the operator (console), with its reason as the note.
 */
export type LedgerCategory =
  'share' | 'payout' | 'payout_refund' | 'refund_reversal' | 'reversal' | 'adjustment';

/**
 * The money ledger: credits (shares of a block) are positive, payouts negative, in base units.
 * A miner's balance is the sum of their entries; nothing else is authoritative.
 */
@Entity('ledger_entry')
@Index('uq_ledger_block_miner_category', ['blockId', 'minerId', 'category'], { unique: true })
@Index('ix_ledger_miner_created', ['minerId', 'createdAt'])
@Index('ix_ledger_payment', ['paymentId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amount: bigint;

  @Column({ type: 'varchar', length: 16, charset: 'ascii' })
  category: LedgerCategory;

  @Column({
    name: 'block_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  blockId: number | null;

  @Column({
    name: 'payment_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  paymentId: number | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;

  @Column({ type: 'char', length: 64, charset: 'ascii', nullable: true })
  txid: string | null;

  @CreatedAtColumn()
  createdAt: Date;
}
