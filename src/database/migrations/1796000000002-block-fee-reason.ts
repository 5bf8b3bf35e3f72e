import { MigrationInterface, QueryRunner } from 'typeorm';

/** A pool block whose whole subsidy went to the fee says why (the audit lists them). */
export class BlockFeeReason1796000000002 implements MigrationInterface {
  name = 'BlockFeeReason1796000000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `block` ADD `fee_reason` varchar(120) NULL DEFAULT NULL AFTER `fee_recipient`',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `block` DROP COLUMN `fee_reason`');
  }
}
