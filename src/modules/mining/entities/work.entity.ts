import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idTransformer } from '../../../database/bigint.transformer';

/** One getwork answer: the WORKID a share must quote, with the target it was given. */
@Entity('work')
@Index('ix_work_created_at', ['createdAt'])
export class WorkEntity {
  @PrimaryColumn({ type: 'char', length: 36, charset: 'ascii' })
  id: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ name: 'worker_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  workerId: number;

  @Column({ name: 'thread_id', type: 'int', unsigned: true, nullable: true })
  threadId: number | null;

  @Column({ name: 'hash_target', type: 'char', length: 64, charset: 'ascii' })
  hashTarget: string;

  @Column({ type: 'varchar', length: 45, charset: 'ascii', nullable: true })
  ip: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  os: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  agent: string | null;

  /** The `SessionID` an Evo wallet sent with its getwork. */
  @Column({ name: 'session_id', type: 'varchar', length: 64, nullable: true })
  sessionId: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
