import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer, idTransformer } from '../../../database/bigint.transformer';

/** An accepted share. A bible hash is accepted once; a queue message is recorded once. */
@Entity('solution')
@Index('uq_solution_bible_hash', ['bibleHash'], { unique: true })
@Index('uq_solution_message_id', ['messageId'], { unique: true })
@Index('ix_solution_network_inserted', ['network', 'insertedAt'])
@Index('ix_solution_network_received', ['network', 'receivedAt'])
@Index('ix_solution_block', ['blockId'])
@Index('ix_solution_miner_inserted', ['minerId', 'insertedAt'])
@Index('ix_solution_block_hash', ['blockHash'])
export class SolutionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'message_id', type: 'char', length: 36, charset: 'ascii' })
  messageId: string;

  @Column({ type: 'varchar', length: 8, charset: 'ascii' })
  network: string;

  @Column({ name: 'work_id', type: 'char', length: 36, charset: 'ascii' })
  workId: string;

  @Column({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ name: 'worker_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  workerId: number;

  @Column({ name: 'block_hash', type: 'char', length: 64, charset: 'ascii' })
  blockHash: string;

  @Column({ name: 'prev_height', type: 'int', unsigned: true })
  prevHeight: number;

  @Column({ name: 'bible_hash', type: 'char', length: 64, charset: 'ascii' })
  bibleHash: string;

  @Column({ name: 'hash_target', type: 'char', length: 64, charset: 'ascii' })
  hashTarget: string;

  /** Difficulty relative to the base target, in millionths (see biblepay/hash-target.ts). */
  @Column({ name: 'share_weight', type: 'bigint', unsigned: true, transformer: bigintTransformer })
  shareWeight: bigint;

  @Column({
    name: 'hashes_per_second',
    type: 'bigint',
    unsigned: true,
    transformer: bigintTransformer,
  })
  hashesPerSecond: bigint;

  /** The pool block whose round this share belongs to; null until assigned. */
  @Column({
    name: 'block_id',
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: idTransformer,
  })
  blockId: number | null;

  /** When the frontend received the share: rounds and PPLNS windows are cut by this. */
  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt: Date;

  @Column({ name: 'inserted_at', type: 'datetime', precision: 3 })
  insertedAt: Date;
}
