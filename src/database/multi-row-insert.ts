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
