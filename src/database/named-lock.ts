import { DataSource } from 'typeorm';

/**
 * Runs `work` only if this process gets the MySQL named lock `name` (GET_LOCK, no wait), so a job
 * that must run once runs on one backend replica at a time. The lock lives on one dedicated
 * connection and is released even when `work` throws; a crashed holder's lock dies with its
 * connection. Returns undefined when another replica holds the lock.
 */
export async function withNamedLock<T>(
  db: DataSource,
  name: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 0) AS got', [lockName(db, name)])) as {
      got: number | null;
    }[];
    if (Number(row?.got) !== 1) return undefined;
    try {
      return await work();
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lockName(db, name)]);
    }
  } finally {
    await runner.release();
  }
}

/** Named locks are server-wide: scope them to the schema so two pools on one server never clash. */
function lockName(db: DataSource, name: string): string {
  const database = (db.driver as { database?: string }).database ?? '';
  return `purepool:${database}:${name}`.slice(0, 64);
}
