import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 25, item 4. A `sent` payment is broadcast (the wallet holds it) until it has
 * PAYOUT_CONFIRMATIONS confirmations: `confirmations` is the wallet's last count, `confirmed_at`
 * when it reached them. `wallet_problem`: the wallet reports the send conflicted (negative
 * confirmations) or abandoned — an open problem until an operator re-credits it.
 */
export class PaymentConfirmations1796000000251 implements MigrationInterface {
  name = 'PaymentConfirmations1796000000251';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `payment` ADD `confirmations` int NULL, ADD `confirmed_at` datetime(3) NULL, ' +
        'ADD `wallet_problem` varchar(255) NULL, ADD `problem_at` datetime(3) NULL',
    );
    // Payments sent before confirmations were tracked count as confirmed when they were sent: the
    // wallet is not asked about years of history (and one it no longer knows would never settle).
    await queryRunner.query(
      "UPDATE `payment` SET `confirmed_at` = COALESCE(`sent_at`, `created_at`) WHERE `status` = 'sent'",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `payment` DROP COLUMN `problem_at`, DROP COLUMN `wallet_problem`, ' +
        'DROP COLUMN `confirmed_at`, DROP COLUMN `confirmations`',
    );
  }
}
