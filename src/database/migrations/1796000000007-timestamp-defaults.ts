import { MigrationInterface, QueryRunner } from 'typeorm';

const CREATED_AT = [
  'admin_action',
  'block',
  'miner',
  'worker',
  'credit_reversal',
  'ledger_entry',
  'payment_error',
  'payment',
];

/**
 * One default for every row timestamp, the same in the entities and the schema: millisecond
 * precision, CURRENT_TIMESTAMP(3) (the first migrations mixed (6), (3) and no default). Found by
 * the entities-vs-migrations check (test/schema).
 */
export class TimestampDefaults1796000000007 implements MigrationInterface {
  name = 'TimestampDefaults1796000000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of CREATED_AT) {
      await queryRunner.query(
        `ALTER TABLE \`${table}\` MODIFY \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)`,
      );
    }
    await queryRunner.query(
      'ALTER TABLE `miner_balance` MODIFY `updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)',
    );
  }

  public async down(): Promise<void> {
    // Defaults only: nothing to undo that an older version would notice.
  }
}
