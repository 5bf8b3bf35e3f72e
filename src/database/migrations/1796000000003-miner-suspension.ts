import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The backend suspends a miner whose rejected shares exceed a rate for a while; the frontends read
 * it with the miner row and refuse the wallet with the reason.
 */
export class MinerSuspension1796000000003 implements MigrationInterface {
  name = 'MinerSuspension1796000000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `miner` ADD `suspended_until` datetime(3) NULL DEFAULT NULL AFTER `disabled`, ' +
        'ADD `suspended_reason` varchar(160) NULL DEFAULT NULL AFTER `suspended_until`',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `miner` DROP COLUMN `suspended_reason`, DROP COLUMN `suspended_until`',
    );
  }
}
