import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/** A payout address on one network. The frontend creates it; only the backend changes it. */
@Entity('miner')
@Index('uq_miner_network_address', ['network', 'address'], { unique: true })
@Index('uq_miner_guid', ['guid'], { unique: true })
export class MinerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  /** MINERGUID: the random id the wallet embeds in the coinbase of blocks it builds for the pool. */
  @Column({ type: 'char', length: 36, charset: 'ascii' })
  guid: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ type: 'varchar', length: 64, charset: 'ascii' })
  address: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  email: string | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Set by the backend when the miner's rejected shares exceed MINER_SUSPEND_REJECTIONS. */
  @Column({ name: 'suspended_until', type: 'datetime', precision: 3, nullable: true })
  suspendedUntil: Date | null;

  @Column({ name: 'suspended_reason', type: 'varchar', length: 160, nullable: true })
  suspendedReason: string | null;

  /** Share efficiency from the rating job (block module); null until rated. */
  @Column({ type: 'decimal', precision: 12, scale: 6, nullable: true })
  rating: string | null;

  /** Hash target the rating job chose for this miner; null → the pool's base target. */
  @Column({ name: 'hash_target', type: 'char', length: 64, charset: 'ascii', nullable: true })
  hashTarget: string | null;

  @Column({ name: 'last_accepted_solution_at', type: 'datetime', precision: 3, nullable: true })
  lastAcceptedSolutionAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
