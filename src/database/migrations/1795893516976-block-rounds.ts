import { MigrationInterface, QueryRunner } from 'typeorm';

/** Pool blocks remember whether their round (the shares they pay) has been assigned. */
export class BlockRounds1795893516976 implements MigrationInterface {
  name = 'BlockRounds1795893516976';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `block` ADD `round_assigned` tinyint NOT NULL DEFAULT 0');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `block` DROP COLUMN `round_assigned`');
  }
}
