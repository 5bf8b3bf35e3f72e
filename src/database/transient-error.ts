import { sqlErrorCode } from './lock-retry';

/**
 * How a database failure that is not the statement's fault looks:
 * - `connection`: the link to the server failed — refused, reset, lost, timed out, the server
 *   shutting down or out of connections, a Galera node not ready. The same statement may succeed
 *   once the server is back; a caller that can ask the server whether it answers (a probe on a
 *   fresh connection) can tell an outage from a statement that breaks its own connection.
 * - `refusing`: the server answers but refuses writes for now — read-only (a replica being
 *   promoted, `read_only` during a failover), a lock wait given up, a deadlock still there after
 *   the caller's own retries. A state of the database, never of one statement's input.
 * Anything else (a value the column refuses, a packet too large, a bug) fails again with the same
 * input: null.
 */
export type DatabaseOutage = 'connection' | 'refusing';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_INTERRUPTED',
  'ER_SERVER_SHUTDOWN',
  'ER_UNKNOWN_COM_ERROR',
  'ER_CONNECTION_KILLED',
]);

const REFUSING_CODES = new Set([
  'ER_LOCK_DEADLOCK', // 1213
  'ER_LOCK_WAIT_TIMEOUT', // 1205
  'ER_OPTION_PREVENTS_STATEMENT', // 1290: --read-only
  'ER_READ_ONLY_MODE', // 1836: InnoDB read-only
]);

const CONNECTION_MESSAGES = [
  /pool is closed/i,
  /connection (is in closed state|lost)/i,
  /timeout/i,
];

export function databaseOutageOf(error: unknown): DatabaseOutage | null {
  const code = sqlErrorCode(error);
  if (code) {
    if (CONNECTION_CODES.has(code)) return 'connection';
    return REFUSING_CODES.has(code) ? 'refusing' : null;
  }
  const message = (error as { message?: string } | null)?.message ?? '';
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(message)) ? 'connection' : null;
}

/** The same statement may succeed later (either kind of outage). */
export function isTransientDatabaseError(error: unknown): boolean {
  return databaseOutageOf(error) !== null;
}
