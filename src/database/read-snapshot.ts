import type { DataSource } from 'typeorm';
import type { Queryable } from './queryable';

/**
 * Runs several reads on one InnoDB snapshot, so a report that sums them (the audit) never sees
 * half of a shareout or payout that commits between two of its queries.
 */
export async function inReadSnapshot<T>(
  db: DataSource,
  read: (q: Queryable) => Promise<T>,
): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await runner.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    try {
      return await read(runner.manager);
    } finally {
      await runner.query('COMMIT');
    }
  } finally {
    await runner.release();
  }
}
