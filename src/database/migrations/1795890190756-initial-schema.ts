import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795890190756 implements MigrationInterface {
  name = 'InitialSchema1795890190756';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`block\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`height\` int UNSIGNED NOT NULL, \`hash\` char(64) CHARACTER SET "ascii" NOT NULL, \`chain_time\` datetime(3) NOT NULL, \`subsidy\` bigint NOT NULL, \`recipient\` varchar(64) CHARACTER SET "ascii" NOT NULL, \`miner_guid\` varchar(64) CHARACTER SET "ascii" NULL, \`miner_id\` bigint UNSIGNED NULL, \`is_pool_block\` tinyint NOT NULL DEFAULT 0, \`status\` varchar(16) CHARACTER SET "ascii" NOT NULL DEFAULT 'pending', \`confirmations\` int UNSIGNED NOT NULL DEFAULT '0', \`pool_fee\` bigint NULL, \`fee_recipient\` varchar(64) NULL, \`shared_out_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_block_network_time\` (\`network\`, \`chain_time\`), INDEX \`ix_block_network_pool_status\` (\`network\`, \`is_pool_block\`, \`status\`), UNIQUE INDEX \`uq_block_network_height_hash\` (\`network\`, \`height\`, \`hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`miner\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`guid\` char(36) CHARACTER SET "ascii" NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`address\` varchar(64) CHARACTER SET "ascii" NOT NULL, \`email\` varchar(255) NULL, \`disabled\` tinyint NOT NULL DEFAULT 0, \`rating\` decimal(12,6) NULL, \`hash_target\` char(64) CHARACTER SET "ascii" NULL, \`last_accepted_solution_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_miner_guid\` (\`guid\`), UNIQUE INDEX \`uq_miner_network_address\` (\`network\`, \`address\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`work\` (\`id\` char(36) CHARACTER SET "ascii" NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`miner_id\` bigint UNSIGNED NOT NULL, \`worker_id\` bigint UNSIGNED NOT NULL, \`thread_id\` int UNSIGNED NULL, \`hash_target\` char(64) CHARACTER SET "ascii" NOT NULL, \`ip\` varchar(45) CHARACTER SET "ascii" NULL, \`os\` varchar(32) NULL, \`agent\` varchar(64) NULL, \`created_at\` datetime(3) NOT NULL, INDEX \`ix_work_created_at\` (\`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`worker\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`miner_id\` bigint UNSIGNED NOT NULL, \`name\` varchar(64) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), UNIQUE INDEX \`uq_worker_miner_name\` (\`miner_id\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`ledger_entry\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`miner_id\` bigint UNSIGNED NOT NULL, \`amount\` bigint NOT NULL, \`category\` varchar(16) CHARACTER SET "ascii" NOT NULL, \`block_id\` bigint UNSIGNED NULL, \`payment_id\` bigint UNSIGNED NULL, \`note\` varchar(255) NULL, \`txid\` char(64) CHARACTER SET "ascii" NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_ledger_payment\` (\`payment_id\`), INDEX \`ix_ledger_miner_created\` (\`miner_id\`, \`created_at\`), UNIQUE INDEX \`uq_ledger_block_miner_category\` (\`block_id\`, \`miner_id\`, \`category\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`miner_balance\` (\`miner_id\` bigint UNSIGNED NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`balance\` bigint NOT NULL, \`total_credited\` bigint NOT NULL, \`total_paid\` bigint NOT NULL, \`last_paid_at\` datetime(3) NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), PRIMARY KEY (\`miner_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`payment_error\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`payment_id\` bigint UNSIGNED NULL, \`miner_id\` bigint UNSIGNED NOT NULL, \`amount\` bigint NOT NULL, \`error\` text NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX \`ix_payment_error_miner\` (\`miner_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`payment\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`batch_id\` char(36) CHARACTER SET "ascii" NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`status\` varchar(16) CHARACTER SET "ascii" NOT NULL, \`total\` bigint NOT NULL, \`recipients\` int UNSIGNED NOT NULL, \`txid\` char(64) CHARACTER SET "ascii" NULL, \`error\` text NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \`sent_at\` datetime(3) NULL, INDEX \`ix_payment_network_status\` (\`network\`, \`status\`), UNIQUE INDEX \`uq_payment_batch_id\` (\`batch_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`rejected_solution\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`message_id\` char(36) CHARACTER SET "ascii" NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`work_id\` char(36) CHARACTER SET "ascii" NULL, \`miner_id\` bigint UNSIGNED NULL, \`worker_id\` bigint UNSIGNED NULL, \`reason\` varchar(40) CHARACTER SET "ascii" NOT NULL, \`detail\` varchar(255) NULL, \`bible_hash\` char(64) CHARACTER SET "ascii" NULL, \`solution_string\` mediumtext NULL, \`inserted_at\` datetime(3) NOT NULL, INDEX \`ix_rejected_solution_miner_inserted\` (\`miner_id\`, \`inserted_at\`), INDEX \`ix_rejected_solution_network_inserted\` (\`network\`, \`inserted_at\`), UNIQUE INDEX \`uq_rejected_solution_message_id\` (\`message_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`solution\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`message_id\` char(36) CHARACTER SET "ascii" NOT NULL, \`network\` varchar(8) CHARACTER SET "ascii" NOT NULL, \`work_id\` char(36) CHARACTER SET "ascii" NOT NULL, \`miner_id\` bigint UNSIGNED NOT NULL, \`worker_id\` bigint UNSIGNED NOT NULL, \`block_hash\` char(64) CHARACTER SET "ascii" NOT NULL, \`prev_height\` int UNSIGNED NOT NULL, \`bible_hash\` char(64) CHARACTER SET "ascii" NOT NULL, \`hash_target\` char(64) CHARACTER SET "ascii" NOT NULL, \`share_weight\` bigint UNSIGNED NOT NULL, \`hashes_per_second\` bigint UNSIGNED NOT NULL, \`block_id\` bigint UNSIGNED NULL, \`inserted_at\` datetime(3) NOT NULL, INDEX \`ix_solution_miner_inserted\` (\`miner_id\`, \`inserted_at\`), INDEX \`ix_solution_block\` (\`block_id\`), INDEX \`ix_solution_network_inserted\` (\`network\`, \`inserted_at\`), UNIQUE INDEX \`uq_solution_message_id\` (\`message_id\`), UNIQUE INDEX \`uq_solution_bible_hash\` (\`bible_hash\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_solution_bible_hash\` ON \`solution\``);
    await queryRunner.query(`DROP INDEX \`uq_solution_message_id\` ON \`solution\``);
    await queryRunner.query(`DROP INDEX \`ix_solution_network_inserted\` ON \`solution\``);
    await queryRunner.query(`DROP INDEX \`ix_solution_block\` ON \`solution\``);
    await queryRunner.query(`DROP INDEX \`ix_solution_miner_inserted\` ON \`solution\``);
    await queryRunner.query(`DROP TABLE \`solution\``);
    await queryRunner.query(
      `DROP INDEX \`uq_rejected_solution_message_id\` ON \`rejected_solution\``,
    );
    await queryRunner.query(
      `DROP INDEX \`ix_rejected_solution_network_inserted\` ON \`rejected_solution\``,
    );
    await queryRunner.query(
      `DROP INDEX \`ix_rejected_solution_miner_inserted\` ON \`rejected_solution\``,
    );
    await queryRunner.query(`DROP TABLE \`rejected_solution\``);
    await queryRunner.query(`DROP INDEX \`uq_payment_batch_id\` ON \`payment\``);
    await queryRunner.query(`DROP INDEX \`ix_payment_network_status\` ON \`payment\``);
    await queryRunner.query(`DROP TABLE \`payment\``);
    await queryRunner.query(`DROP INDEX \`ix_payment_error_miner\` ON \`payment_error\``);
    await queryRunner.query(`DROP TABLE \`payment_error\``);
    await queryRunner.query(`DROP TABLE \`miner_balance\``);
    await queryRunner.query(`DROP INDEX \`uq_ledger_block_miner_category\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`ix_ledger_miner_created\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`ix_ledger_payment\` ON \`ledger_entry\``);
    await queryRunner.query(`DROP TABLE \`ledger_entry\``);
    await queryRunner.query(`DROP INDEX \`uq_worker_miner_name\` ON \`worker\``);
    await queryRunner.query(`DROP TABLE \`worker\``);
    await queryRunner.query(`DROP INDEX \`ix_work_created_at\` ON \`work\``);
    await queryRunner.query(`DROP TABLE \`work\``);
    await queryRunner.query(`DROP INDEX \`uq_miner_network_address\` ON \`miner\``);
    await queryRunner.query(`DROP INDEX \`uq_miner_guid\` ON \`miner\``);
    await queryRunner.query(`DROP TABLE \`miner\``);
    await queryRunner.query(`DROP INDEX \`uq_block_network_height_hash\` ON \`block\``);
    await queryRunner.query(`DROP INDEX \`ix_block_network_pool_status\` ON \`block\``);
    await queryRunner.query(`DROP INDEX \`ix_block_network_time\` ON \`block\``);
    await queryRunner.query(`DROP TABLE \`block\``);
  }
}
