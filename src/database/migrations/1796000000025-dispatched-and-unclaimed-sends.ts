import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25. `payment.dispatched_at`: stamped just before `sendmany`, so a payment the wallet may
 * have sent is never refunded on absence alone. `unclaimed_send`: wallet sends that look like the
 * pool's (a `purepool:` comment, or every output to a miner) but that no payment row claims —
 * payouts stop until an operator attaches each to the ledger or dismisses it.
 */
export class DispatchedAndUnclaimedSends1796000000025 implements MigrationInterface {
  name = 'DispatchedAndUnclaimedSends1796000000025';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `payment` ADD `dispatched_at` datetime(3) NULL AFTER `created_at`',
    );
    await queryRunner.query(
      'CREATE TABLE `unclaimed_send` (`id` bigint unsigned NOT NULL AUTO_INCREMENT, ' +
        '`network` varchar(8) CHARACTER SET "ascii" NOT NULL, ' +
        '`txid` char(64) CHARACTER SET "ascii" NOT NULL, `comment` varchar(255) NOT NULL, ' +
        '`paid` bigint NOT NULL, `fee` bigint NOT NULL, `outputs` text NOT NULL, ' +
        '`sent_at` datetime(3) NOT NULL, ' +
        '`found_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        '`status` varchar(16) CHARACTER SET "ascii" NOT NULL, ' +
        '`payment_id` bigint unsigned NULL, `resolved_at` datetime(3) NULL, ' +
        'PRIMARY KEY (`id`), UNIQUE INDEX `uq_unclaimed_send_txid` (`network`, `txid`), ' +
        'INDEX `ix_unclaimed_send_status` (`network`, `status`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `unclaimed_send`');
    await queryRunner.query('ALTER TABLE `payment` DROP COLUMN `dispatched_at`');
  }
}
