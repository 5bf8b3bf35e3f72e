import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The operator console's audit trail: every action taken through `/admin` — who (the token's
 * label), from where, when, what, on which target, why, and the state before and after (JSON).
 */
export class AdminAction1796000000006 implements MigrationInterface {
  name = 'AdminAction1796000000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `admin_action` (`id` bigint unsigned NOT NULL AUTO_INCREMENT, ' +
        '`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        '`actor` varchar(64) NOT NULL, `client_ip` varchar(45) CHARACTER SET "ascii" NULL, ' +
        '`action` varchar(32) CHARACTER SET "ascii" NOT NULL, ' +
        '`network` varchar(8) CHARACTER SET "ascii" NULL, `target` varchar(128) NULL, ' +
        '`reason` varchar(255) NULL, `before_state` text NULL, `after_state` text NULL, ' +
        'PRIMARY KEY (`id`), INDEX `ix_admin_action_created` (`created_at`), ' +
        'INDEX `ix_admin_action_target` (`network`, `target`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `admin_action`');
  }
}
