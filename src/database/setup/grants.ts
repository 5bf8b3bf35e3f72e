/**
 * The two role users' privileges (DESIGN.md): the frontend reads everything and may only INSERT
 * miners, workers and work — and give an idle worker's slot to a new name (UPDATE of the worker's
 * name and creation time, nothing else: a worker is a label, shares and money go by miner); the
 * backend changes data but never the schema (migrations run as admin).
 */
export const FRONTEND_INSERT_TABLES = ['miner', 'worker', 'work'] as const;
export const FRONTEND_WORKER_UPDATE_COLUMNS = ['name', 'created_at'] as const;
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
  return [
    `GRANT SELECT ON \`${database}\`.* TO ${fe}`,
    ...FRONTEND_INSERT_TABLES.map(
      (table) => `GRANT INSERT ON \`${database}\`.\`${table}\` TO ${fe}`,
    ),
    `GRANT UPDATE (${FRONTEND_WORKER_UPDATE_COLUMNS.map((c) => `\`${c}\``).join(', ')}) ON \`${database}\`.\`worker\` TO ${fe}`,
    `GRANT ${BACKEND_PRIVILEGES} ON \`${database}\`.* TO ${be}`,
  ];
}
