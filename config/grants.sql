-- Purepool: the two role users and their grants (what `npm run db:setup` applies).
-- Replace the passwords; narrow the host part (%) to your servers in production.
CREATE DATABASE IF NOT EXISTS `purepool` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'purepool_frontend'@'%' IDENTIFIED BY 'CHANGE-ME';
CREATE USER IF NOT EXISTS 'purepool_backend'@'%' IDENTIFIED BY 'CHANGE-ME';
-- Run after the schema exists (db:setup's migrations): table grants name existing tables.
-- The frontend reads only what its pages and getwork read: no operator trail, no e-mail column.
GRANT SELECT ON `purepool`.`block` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`credit_reversal` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`ledger_entry` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`payment` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`payment_error` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`payout_set_aside` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`rejected_solution` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`solution` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`source_suspension` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`work` TO 'purepool_frontend'@'%';
GRANT SELECT ON `purepool`.`worker` TO 'purepool_frontend'@'%';
GRANT SELECT (id, guid, network, address, disabled, suspended_until, suspended_reason, rating, hash_target, last_accepted_solution_at, created_at) ON `purepool`.`miner` TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`miner` TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`worker` TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`work` TO 'purepool_frontend'@'%';
GRANT UPDATE (`name`, `created_at`) ON `purepool`.`worker` TO 'purepool_frontend'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES ON `purepool`.* TO 'purepool_backend'@'%';
