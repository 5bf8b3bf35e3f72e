import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pool block orphaned after it was shared out (a reorg deeper than maturity) is reversed: its
 * credits are taken back from each miner's balance as far as it covers them, and what had already
 * been paid is the pool's loss, recorded per miner. A recipient whose payments fail for reasons of
 * its own is counted in payout_set_aside (reset by a successful payment); past the limit it is set
 * aside (set_aside_at) until the operator releases it.
 */
export class ReversalsAndSetAsides1796000000005 implements MigrationInterface {
  name = 'ReversalsAndSetAsides1796000000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `block` ADD `reversed_at` datetime(3) NULL DEFAULT NULL AFTER `shared_out_at`',
    );
    await queryRunner.query(
      'CREATE TABLE `credit_reversal` (`block_id` bigint unsigned NOT NULL, ' +
        '`miner_id` bigint unsigned NOT NULL, `network` varchar(8) CHARACTER SET "ascii" NOT NULL, ' +
        '`credited` bigint NOT NULL, `reversed` bigint NOT NULL, `loss` bigint NOT NULL, ' +
        '`created_at` datetime(3) NOT NULL, PRIMARY KEY (`block_id`, `miner_id`), ' +
        'INDEX `ix_credit_reversal_miner` (`miner_id`), ' +
        'INDEX `ix_credit_reversal_network` (`network`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `payout_set_aside` (`miner_id` bigint unsigned NOT NULL, ' +
        '`network` varchar(8) CHARACTER SET "ascii" NOT NULL, `failures` int unsigned NOT NULL, ' +
        '`last_error` text NOT NULL, `set_aside_at` datetime(3) NULL DEFAULT NULL, ' +
        'PRIMARY KEY (`miner_id`), INDEX `ix_payout_set_aside_network` (`network`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `payout_set_aside`');
    await queryRunner.query('DROP TABLE `credit_reversal`');
    await queryRunner.query('ALTER TABLE `block` DROP COLUMN `reversed_at`');
  }
}
