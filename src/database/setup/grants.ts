/**
 * The two role users' privileges (DESIGN.md). The frontend reads only what its pages and getwork
 * read — not the operator trail (`admin_action`), job leases, the backend's bookkeeping, nor the
 * miners' e-mail addresses — and may only INSERT miners, workers and work, and give an idle
 * worker's slot to a new name (UPDATE of the worker's name and creation time, nothing else: a
 * worker is a label, shares and money go by miner); the backend changes data but never the schema (migrations run as admin). A table or column the frontend starts to
 * read must be added here (test/roles/role-permissions and the web/mining e2e tests show a gap).
 */
export const FRONTEND_INSERT_TABLES = ['miner', 'worker', 'work'] as const;
export const FRONTEND_WORKER_UPDATE_COLUMNS = ['name', 'created_at'] as const;
/** Tables the frontend reads whole (web/web-read-model.ts, mining/). */
export const FRONTEND_READ_TABLES = [
  'block',
  'credit_reversal',
  'ledger_entry',
  'payment',
  'payment_error',
  'payout_set_aside',
  'rejected_solution',
  'solution',
  'source_suspension',
  'work',
  'worker',
] as const;
/** `miner` without `email`: the frontend stores a miner's e-mail address but never reads one. */
export const FRONTEND_MINER_COLUMNS = [
  'id',
  'guid',
  'network',
  'address',
  'disabled',
  'suspended_until',
  'suspended_reason',
  'rating',
  'hash_target',
  'last_accepted_solution_at',
  'created_at',
] as const;
export const BACKEND_PRIVILEGES =
  'SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES, LOCK TABLES';

export function quoteUser(user: string, host: string): string {
  return `'${user.replace(/'/g, "''")}'@'${host.replace(/'/g, "''")}'`;
}

export function grantStatements(
  database: string,
  frontendUser: string,
  backendUser: string,
  host: string,
): string[] {
  const fe = quoteUser(frontendUser, host);
  const be = quoteUser(backendUser, host);
  const table = (name: string) => `\`${database}\`.\`${name}\``;
  return [
    ...FRONTEND_READ_TABLES.map((name) => `GRANT SELECT ON ${table(name)} TO ${fe}`),
    `GRANT SELECT (${FRONTEND_MINER_COLUMNS.join(', ')}) ON ${table('miner')} TO ${fe}`,
    ...FRONTEND_INSERT_TABLES.map((name) => `GRANT INSERT ON ${table(name)} TO ${fe}`),
    `GRANT UPDATE (${FRONTEND_WORKER_UPDATE_COLUMNS.map((c) => `\`${c}\``).join(', ')}) ON ${table('worker')} TO ${fe}`,
    `GRANT ${BACKEND_PRIVILEGES} ON \`${database}\`.* TO ${be}`,
  ];
}
