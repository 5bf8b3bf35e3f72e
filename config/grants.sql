-- Purepool: the two role users and their grants (what `npm run db:setup` applies).
-- Replace the passwords; narrow the host part (%) to your servers in production.
CREATE DATABASE IF NOT EXISTS `purepool` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'purepool_frontend'@'%' IDENTIFIED BY 'CHANGE-ME';
CREATE USER IF NOT EXISTS 'purepool_backend'@'%' IDENTIFIED BY 'CHANGE-ME';
GRANT SELECT ON `purepool`.* TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`miner` TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`worker` TO 'purepool_frontend'@'%';
GRANT INSERT ON `purepool`.`work` TO 'purepool_frontend'@'%';
GRANT UPDATE (`name`, `created_at`) ON `purepool`.`worker` TO 'purepool_frontend'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES ON `purepool`.* TO 'purepool_backend'@'%';
