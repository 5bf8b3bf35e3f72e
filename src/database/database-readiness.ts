import mysql from 'mysql2/promise';
import type { MigrationInterface } from 'typeorm';
import type { DatabaseLink } from '../config/link-tls';
import { backoffMs } from '../server/backoff';
import { mysqlConnectionOptions } from './database-link';
import { MIGRATIONS_TABLE } from './data-source';
import { MIGRATIONS } from './migrations';

interface Log {
  log(message: string): void;
  warn(message: string): void;
}

/** A backend started against a schema that lacks migrations this version needs. */
export class SchemaBehindError extends Error {}

export const DB_SETUP_HINT =
  'run `npm run db:setup` (in the Docker image: `node dist/scripts/db-setup.js`) with the admin credentials';

/** `host:port/db` of a MySQL URL, never its password. */
export function describeDatabaseUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '3306'}${u.pathname}`;
}

/** Codes that no amount of waiting fixes without an operator, worth a hint in the log line. */
const SETUP_ERRORS = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
]);

/** TLS verification failures: waiting does not fix them, the operator's files or URL do. */
const CERTIFICATE_ERRORS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HANDSHAKE_NO_SSL_SUPPORT',
  'HANDSHAKE_SSL_ERROR', // mysql2's code for any of the above during its TLS upgrade
]);

/** A hint for the operator for errors that need them, not time. */
export function connectionHint(code: string | undefined): string {
  if (code && SETUP_ERRORS.has(code))
    return ` (has db:setup created this user and database? ${DB_SETUP_HINT}; a user created with DB_REQUIRE_TLS=true needs ?ssl= in its URL)`;
  if (code && CERTIFICATE_ERRORS.has(code))
    return " (the server's certificate is refused or TLS is off on the server: check DATABASE_CA_FILE, the host name in DATABASE_URL and the server's ssl_cert)";
  return '';
}

/**
 * Connects as the role's own DB user, retrying until MySQL answers: 1 s, doubling up to 30 s, one
 * log line per attempt naming the server (never the password) and why. Waiting forever is the
 * right default on a machine that boots before its database; systemd or Docker shows the lines.
 */
export async function waitForDatabase(
  link: DatabaseLink,
  log: Log,
  options: { maxDelayMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<mysql.Connection> {
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const where = describeDatabaseUrl(link.url);
  const connectOptions = { ...mysqlConnectionOptions(link), connectTimeout: 5000 };
  for (let attempt = 1; ; attempt++) {
    try {
      const connection = await mysql.createConnection(connectOptions);
      if (attempt > 1) log.log(`MySQL at ${where} is reachable`);
      return connection;
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const delay = backoffMs(attempt - 1, 1000, maxDelayMs);
      const hint = connectionHint(e.code);
      log.warn(
        `waiting for MySQL at ${where}: ${e.code ?? 'error'} ${e.message ?? ''}${hint} — attempt ${attempt}, next in ${delay / 1000} s`,
      );
      await sleep(delay);
    }
  }
}

/** TypeORM's name for a migration, as stored in the migrations table. */
export function migrationNames(
  migrations: readonly (new () => MigrationInterface)[] = MIGRATIONS,
): string[] {
  return migrations.map((M) => new M().name ?? M.name);
}

export interface SchemaState {
  /** Migrations this version has that the database has not run (oldest first). */
  missing: string[];
  /** Migrations the database has run that this version does not know (a newer version ran db:setup). */
  unknown: string[];
}

/** Compares the migrations table with the migrations compiled into this version. */
export async function readSchemaState(
  connection: mysql.Connection,
  expected: readonly string[] = migrationNames(),
): Promise<SchemaState> {
  let applied: string[];
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT name FROM \`${MIGRATIONS_TABLE}\``,
    );
    applied = rows.map((r) => String(r.name));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw error;
    applied = [];
  }
  const known = new Set(expected);
  const ran = new Set(applied);
  return {
    missing: expected.filter((name) => !ran.has(name)),
    unknown: applied.filter((name) => !known.has(name)),
  };
}

/**
 * A backend writes every table, so it must not run on a schema behind its code: throws
 * SchemaBehindError telling the operator what to run. A schema ahead (a newer version already
 * migrated it, e.g. during a rolling upgrade) is only a warning: migrations add, they do not break
 * the version before.
 */
export async function assertSchemaCurrent(connection: mysql.Connection, log: Log): Promise<void> {
  const state = await readSchemaState(connection);
  if (state.missing.length > 0) {
    throw new SchemaBehindError(
      `The database schema is behind this version of Purepool: migration(s) ${state.missing.join(', ')} ` +
        `not applied. The backend will not start on it; ${DB_SETUP_HINT}, then start the backend again.`,
    );
  }
  if (state.unknown.length > 0) {
    log.warn(
      `the database has migrations this version does not know (${state.unknown.join(', ')}): ` +
        'a newer Purepool migrated it; upgrade this process',
    );
  }
}
