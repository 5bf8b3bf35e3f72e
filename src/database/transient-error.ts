import { sqlErrorCode } from './lock-retry';
/**
 * Database errors that are not the statement's fault — the server unreachable or restarting, a
 * connection lost, a lock given up, a Galera node not ready or read-only for a while — so the same
 * statement may succeed later. Anything else (a value the column refuses, a packet too large, a
 * bug) fails again with the same input.
 */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_SERVER_SHUTDOWN',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_UNKNOWN_COM_ERROR',
  'ER_CONNECTION_KILLED',
]);

const TRANSIENT_MESSAGES = [/pool is closed/i, /connection (is in closed state|lost)/i, /timeout/i];

export function isTransientDatabaseError(error: unknown): boolean {
  const code = sqlErrorCode(error);
  if (code) return TRANSIENT_CODES.has(code);
  const message = (error as { message?: string } | null)?.message ?? '';
  return TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}
