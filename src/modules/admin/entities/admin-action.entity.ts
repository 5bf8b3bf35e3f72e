import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';

/** What the console can do; the trail names each action with one of these. */
export type AdminActionKind =
  | 'miner.disable'
  | 'miner.enable'
  | 'balance.adjust'
  | 'shareout.dry-run'
  | 'payouts.dry-run'
  | 'report.audit'
  | 'report.funding'
  | 'dead-letter.requeue'
  | 'dead-letter.discard'
  | 'payment.release'
  | 'payment.recredit'
  | 'wallet-send.attach'
  | 'wallet-send.dismiss';

/** One entry of the console's audit trail (owned by the admin module). */
@Entity('admin_action')
@Index('ix_admin_action_created', ['createdAt'])
@Index('ix_admin_action_target', ['network', 'target'])
export class AdminActionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @CreatedAtColumn()
  createdAt: Date;

  /** The label of the token that was used (never the token). */
  @Column({ type: 'varchar', length: 64 })
  actor: string;

  @Column({ name: 'client_ip', type: 'varchar', length: 45, charset: 'ascii', nullable: true })
  clientIp: string | null;

  @Column({ type: 'varchar', length: 32, charset: 'ascii' })
  action: AdminActionKind;

  @Column({ type: 'varchar', length: 8, charset: 'ascii', nullable: true })
  network: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  target: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reason: string | null;

  @Column({ name: 'before_state', type: 'text', nullable: true })
  beforeState: string | null;

  @Column({ name: 'after_state', type: 'text', nullable: true })
  afterState: string | null;
}
