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

  @CreatedAtColumn()
  createdAt: Date;
}
