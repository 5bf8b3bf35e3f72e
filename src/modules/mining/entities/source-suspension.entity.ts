import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/**
 * A source (an IPv4 address, an IPv6 /64) whose bad shares passed MINER_SUSPEND_REJECTIONS: the
 * backend writes it, the frontends refuse the source's requests until `suspended_until`. The miner
 * a flood names is never suspended: anyone can name any miner.
 */
@Entity('source_suspension')
@Index('ix_source_suspension_until', ['suspendedUntil'])
export class SourceSuspensionEntity {
  @PrimaryColumn({ type: 'varchar', length: 45, charset: 'ascii' })
  source: string;

  @Column({ name: 'suspended_until', type: 'datetime', precision: 3 })
  suspendedUntil: Date;

  @Column({ name: 'suspended_reason', type: 'varchar', length: 160 })
  suspendedReason: string;

  @CreatedAtColumn()
  createdAt: Date;
}
