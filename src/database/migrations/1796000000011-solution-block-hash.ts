import { MigrationInterface, QueryRunner } from 'typeorm';

/** A round ends at the share that found its block (issue 25): find it by the block's hash. */
export class SolutionBlockHash1796000000011 implements MigrationInterface {
  name = 'SolutionBlockHash1796000000011';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX `ix_solution_block_hash` ON `solution` (`block_hash`)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `ix_solution_block_hash` ON `solution`');
  }
}
