import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evo wallets send a `SessionID` with each getwork; the work row keeps it. */
export class WorkSession1796000000000 implements MigrationInterface {
  name = 'WorkSession1796000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `work` ADD `session_id` varchar(64) NULL DEFAULT NULL AFTER `agent`',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `work` DROP COLUMN `session_id`');
  }
}
