import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accepted shares keep when the frontend received them: rounds and PPLNS windows are cut by that
 * moment, not by when a (possibly backlogged) backend validated them. Existing rows get their
 * validation time, the best they have.
 */
export class SolutionReceivedAt1796000000001 implements MigrationInterface {
  name = 'SolutionReceivedAt1796000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `solution` ADD `received_at` datetime(3) NULL AFTER `block_id`',
    );
    await queryRunner.query('UPDATE `solution` SET `received_at` = `inserted_at`');
    await queryRunner.query('ALTER TABLE `solution` MODIFY `received_at` datetime(3) NOT NULL');
    await queryRunner.query(
      'CREATE INDEX `ix_solution_network_received` ON `solution` (`network`, `received_at`)',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `ix_solution_network_received` ON `solution`');
    await queryRunner.query('ALTER TABLE `solution` DROP COLUMN `received_at`');
  }
}
