import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idTransformer } from '../../../database/bigint.transformer';

/** A share that failed a check, with the name of the check, shown to the miner on the web. */
@Entity('rejected_solution')
@Index('uq_rejected_solution_message_id', ['messageId'], { unique: true })
@Index('ix_rejected_solution_network_inserted', ['network', 'insertedAt'])
@Index('ix_rejected_solution_miner_inserted', ['minerId', 'insertedAt'])
@Index('ix_rejected_solution_source_inserted', ['source', 'insertedAt'])
export class RejectedSolutionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'message_id', type: 'char', length: 36, charset: 'ascii' })
  messageId: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ name: 'work_id', type: 'char', length: 36, charset: 'ascii', nullable: true })
  workId: string | null;

  @Column({
    name: 'miner_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  minerId: number | null;

  @Column({
    name: 'worker_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  workerId: number | null;

  @Column({ type: 'varchar', length: 40, charset: 'ascii' })
  reason: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  detail: string | null;

  @Column({ name: 'bible_hash', type: 'char', length: 64, charset: 'ascii', nullable: true })
  bibleHash: string | null;

  /** Where the share came from (client IPv4 address or IPv6 /64): suspensions count by it. */
  @Column({ type: 'varchar', length: 45, charset: 'ascii', nullable: true })
  source: string | null;

  /** The full solution string, kept only as long as configured. */
  @Column({ name: 'solution_string', type: 'mediumtext', nullable: true })
  solutionString: string | null;

  @Column({ name: 'inserted_at', type: 'datetime', precision: 3 })
  insertedAt: Date;
}
