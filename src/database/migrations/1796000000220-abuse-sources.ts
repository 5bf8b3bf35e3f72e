import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Abuse limits charge the source of a flood, not the miner it names (issue 22): rejected shares
 * keep their source, suspensions are per source, and a worker knows its last accepted share (an
 * idle worker's slot may go to a new name). Suspensions charged to named miners are lifted.
 */
export class AbuseSources1796000000220 implements MigrationInterface {
  name = 'AbuseSources1796000000220';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `rejected_solution` ADD `source` varchar(45) CHARACTER SET ascii NULL DEFAULT NULL AFTER `worker_id`, ' +
        'ADD INDEX `ix_rejected_solution_source_inserted` (`source`, `inserted_at`)',
    );
    await queryRunner.query(
      'CREATE TABLE `source_suspension` (' +
        '`source` varchar(45) CHARACTER SET ascii NOT NULL, ' +
        '`suspended_until` datetime(3) NOT NULL, ' +
        '`suspended_reason` varchar(160) NOT NULL, ' +
        '`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        'INDEX `ix_source_suspension_until` (`suspended_until`), ' +
        'PRIMARY KEY (`source`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'ALTER TABLE `worker` ADD `last_accepted_solution_at` datetime(3) NULL DEFAULT NULL AFTER `name`',
    );
    await queryRunner.query(
      'UPDATE `miner` SET `suspended_until` = NULL, `suspended_reason` = NULL WHERE `suspended_until` IS NOT NULL',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `worker` DROP COLUMN `last_accepted_solution_at`');
    await queryRunner.query('DROP TABLE `source_suspension`');
    await queryRunner.query(
      'ALTER TABLE `rejected_solution` DROP INDEX `ix_rejected_solution_source_inserted`, DROP COLUMN `source`',
    );
  }
}
