import { MigrationInterface, QueryRunner } from 'typeorm';

/** Signed-out console sessions and used confirmation forms (issue 22): never accepted again. */
export class AdminSpentToken1796000000010 implements MigrationInterface {
  name = 'AdminSpentToken1796000000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `admin_spent_token` (`digest` char(64) CHARACTER SET "ascii" NOT NULL, ' +
        '`kind` varchar(16) CHARACTER SET "ascii" NOT NULL, `expires_at` datetime(3) NOT NULL, ' +
        '`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        'PRIMARY KEY (`digest`), INDEX `ix_admin_spent_token_expires` (`expires_at`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `admin_spent_token`');
  }
}
