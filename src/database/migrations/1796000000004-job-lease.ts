import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job leases replace MySQL named locks (GET_LOCK): a row per job with its owner and expiry. Only
 * the backend user can write it (the frontend user's grants do not cover the table).
 */
export class JobLease1796000000004 implements MigrationInterface {
  name = 'JobLease1796000000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `job_lease` (`name` varchar(64) CHARACTER SET "ascii" NOT NULL, ' +
        '`owner` varchar(120) NOT NULL, `expires_at` datetime(3) NOT NULL, ' +
        '`acquired_at` datetime(3) NOT NULL, PRIMARY KEY (`name`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `job_lease`');
  }
}
