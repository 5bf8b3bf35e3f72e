import type { DataSource, EntityManager } from 'typeorm';

/**
 * One multi-row INSERT for a batch (one round trip, one commit): `head` is the statement up to
 * VALUES (`INSERT IGNORE INTO t (a, b)`), `values` maps a row to its parameters in column order.
 * Nothing is sent for an empty batch.
 */
export async function insertRows<T>(
  runner: DataSource | EntityManager,
  head: string,
  rows: readonly T[],
  values: (row: T) => unknown[],
): Promise<{ affectedRows: number }> {
  if (rows.length === 0) return { affectedRows: 0 };
  const params: unknown[] = [];
  let columns = 0;
  for (const row of rows) {
    const v = values(row);
    columns = v.length;
    params.push(...v);
  }
  const tuple = `(${Array(columns).fill('?').join(',')})`;
  const result: { affectedRows?: number } = await runner.query(
    `${head} VALUES ${Array(rows.length).fill(tuple).join(',')}`,
    params,
  );
  return { affectedRows: result.affectedRows ?? 0 };
}

/** What one statement of `insertRowsBounded` may carry by default: well under MariaDB's 16 MiB `max_allowed_packet`. */
export const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/**
 * `insertRows` in as many statements as it takes to keep each one's parameters under `maxBytes`
 * (strings by their UTF-8 length; a row alone larger than that goes in a statement of its own), so
 * a batch of large rows never passes the server's packet limit. Same transaction when `runner` is
 * a transaction's manager.
 */
export async function insertRowsBounded<T>(
  runner: DataSource | EntityManager,
  head: string,
  rows: readonly T[],
  values: (row: T) => unknown[],
  maxBytes = MAX_STATEMENT_BYTES,
): Promise<{ affectedRows: number }> {
  let affectedRows = 0;
  let chunk: T[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = values(row).reduce<number>(
      (sum, v) => sum + (typeof v === 'string' ? Buffer.byteLength(v) : 16) + 4,
      0,
    );
    if (chunk.length > 0 && bytes + size > maxBytes) {
      affectedRows += (await insertRows(runner, head, chunk, values)).affectedRows;
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += size;
  }
  affectedRows += (await insertRows(runner, head, chunk, values)).affectedRows;
  return { affectedRows };
}
