import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One scheduled job's lease (jobs/job-lease.ts): who runs it, until when unless renewed. */
@Entity('job_lease')
export class JobLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, charset: 'ascii' })
  name: string;

  @Column({ type: 'varchar', length: 120 })
  owner: string;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'acquired_at', type: 'datetime', precision: 3 })
  acquiredAt: Date;
}

/** The jobs' table (`job_lease`): registered by JobsModule, listed in src/entities.ts. */
export const JOBS_ENTITIES = [JobLeaseEntity];
