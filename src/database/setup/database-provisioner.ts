import mysql from 'mysql2/promise';
import { Credentials, SetupConfig } from '../../config/setup-config';
import { createDataSource } from '../data-source';
import { mysqlConnectionOptions } from '../database-link';
import { grantStatements, quoteUser } from './grants';

type Log = (line: string) => void;

/**
 * Idempotent: creates the database, runs pending migrations, creates or updates the two role users
 * and resets their grants to exactly what grants.ts says.
 */
export async function provisionDatabase(config: SetupConfig, log: Log): Promise<void> {
  const admin = await mysql.createConnection(mysqlConnectionOptions(config.admin));
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    log(`database ${config.database} ready`);
  } finally {
    await admin.end();
  }

  const dataSource = createDataSource(config.adminDatabase, 2);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log(
      applied.length
        ? `migrations applied: ${applied.map((m) => m.name).join(', ')}`
        : 'schema up to date',
    );
  } finally {
    await dataSource.destroy();
  }

  const conn = await mysql.createConnection(mysqlConnectionOptions(config.admin));
  try {
    for (const user of [config.frontendDb, config.backendDb]) {
      await ensureUser(conn, user, config.dbUserHost, config.requireTls);
      await conn.query(
        `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${quoteUser(user.user, config.dbUserHost)}`,
      );
    }
    for (const statement of grantStatements(
      config.database,
      config.frontendDb.user,
      config.backendDb.user,
      config.dbUserHost,
    )) {
      await conn.query(statement);
    }
    log(
      `users ${config.frontendDb.user} (read + insert miner/worker/work) and ${config.backendDb.user} ready` +
        (config.requireTls ? ' (REQUIRE SSL: clear-text logins refused)' : ''),
    );
  } finally {
    await conn.end();
  }
}

/** Creates or updates a role user; REQUIRE SSL or NONE is set every run, so the flag can be undone. */
async function ensureUser(
  conn: mysql.Connection,
  user: Credentials,
  host: string,
  requireTls: boolean,
): Promise<void> {
  const who = quoteUser(user.user, host);
  const require = requireTls ? 'REQUIRE SSL' : 'REQUIRE NONE';
  await conn.query(`CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ?`, [user.password]);
  await conn.query(`ALTER USER ${who} IDENTIFIED BY ? ${require}`, [user.password]);
}

/** For tests and teardown: drops the database and both users. */
export async function dropDatabase(config: SetupConfig): Promise<void> {
  const conn = await mysql.createConnection(mysqlConnectionOptions(config.admin));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
    for (const user of [config.frontendDb, config.backendDb]) {
      await conn.query(`DROP USER IF EXISTS ${quoteUser(user.user, config.dbUserHost)}`);
    }
  } finally {
    await conn.end();
  }
}
