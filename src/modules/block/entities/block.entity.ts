import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

export const BLOCK_STATUSES = ['pending', 'mature', 'orphaned', 'shared'] as const;
export type BlockStatus = (typeof BLOCK_STATUSES)[number];

/** A block of the chain as the walk saw it; pool blocks carry a round and a shareout. */
@Entity('block')
@Index('uq_block_network_height_hash', ['network', 'height', 'hash'], { unique: true })
@Index('ix_block_network_pool_status', ['network', 'isPoolBlock', 'status'])
@Index('ix_block_network_time', ['network', 'chainTime'])
export class BlockEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'int', unsigned: true })
  height: number;

  @Column({ type: 'char', length: 64, charset: 'ascii' })
  hash: string;

  /** Chain time of the block, not the time we saw it. */
  @Column({ name: 'chain_time', type: 'datetime', precision: 3 })
  chainTime: Date;

  /** Subsidy in base units (1 BBP = 100,000,000). */
  @Column({ type: 'bigint', transformer: bigintTransformer })
  subsidy: bigint;

  @Column({ type: 'varchar', length: 64, charset: 'ascii' })
  recipient: string;

  @Column({ name: 'miner_guid', type: 'varchar', length: 64, charset: 'ascii', nullable: true })
  minerGuid: string | null;

  @Column({
    name: 'miner_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  minerId: number | null;

  @Column({ name: 'is_pool_block', type: 'boolean', default: false })
  isPoolBlock: boolean;

  @Column({ type: 'varchar', length: 16, charset: 'ascii', default: 'pending' })
  status: BlockStatus;

  @Column({ type: 'int', unsigned: true, default: 0 })
  confirmations: number;

  /** The round (the accepted shares this pool block pays) has been assigned. */
  @Column({ name: 'round_assigned', type: 'boolean', default: false })
  roundAssigned: boolean;

  /** Pool fee taken at shareout, base units, and where it went. */
  @Column({ name: 'pool_fee', type: 'bigint', nullable: true, transformer: bigintTransformer })
  poolFee: bigint | null;

  @Column({ name: 'fee_recipient', type: 'varchar', length: 64, nullable: true })
  feeRecipient: string | null;

  /** Why the whole subsidy went to the fee (no share to pay), shown by the audit. */
  @Column({ name: 'fee_reason', type: 'varchar', length: 120, nullable: true })
  feeReason: string | null;

  @Column({ name: 'shared_out_at', type: 'datetime', precision: 3, nullable: true })
  sharedOutAt: Date | null;

  /** Set when the block was orphaned after its shareout: its credits were reversed. */
  @Column({ name: 'reversed_at', type: 'datetime', precision: 3, nullable: true })
  reversedAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
