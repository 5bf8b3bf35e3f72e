import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAtColumn } from '../../../database/columns';
import { idTransformer } from '../../../database/bigint.transformer';

/** A named rig of a miner (`ADDRESS/WORKER` in the wallet's workerid; `Default` when empty). */
@Entity('worker')
@Index('uq_worker_miner_name', ['minerId', 'name'], { unique: true })
export class WorkerEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: number;

  @Column({ name: 'miner_id', type: 'bigint', unsigned: true, transformer: idTransformer })
  minerId: number;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /**
   * The worker's last accepted share (the backend's recorder): a worker without one in
   * WORKER_IDLE_DAYS is idle — its slot may go to a new name, and the cleanup prunes it.
   */
  @Column({ name: 'last_accepted_solution_at', type: 'datetime', precision: 3, nullable: true })
  lastAcceptedSolutionAt: Date | null;

  @CreatedAtColumn()
  createdAt: Date;
}
