import type { DataSource } from 'typeorm';

const galeraBySource = new WeakMap<DataSource, boolean>();

async function isGalera(db: DataSource): Promise<boolean> {
  const known = galeraBySource.get(db);
  if (known !== undefined) return known;
  try {
    const rows: { wsrep: number | string | null }[] = await db.query('SELECT @@wsrep_on AS wsrep');
    const galera = Number(rows[0]?.wsrep) === 1;
    galeraBySource.set(db, galera);
    return galera;
  } catch (error) {
    // MySQL has no wsrep variables (not Galera: remember); anything else: ask again next time.
    if ((error as { errno?: number }).errno === 1193) galeraBySource.set(db, false);
    return false;
  }
}

/**
 * A read that must see every write the cluster has committed, on whichever node it runs. On a
 * Galera cluster a node applies the others' commits asynchronously, so a plain SELECT can miss a
 * row another backend just changed (a job lease taken over); `wsrep_sync_wait = 1` makes the node
 * catch up first (MariaDB's `SET STATEMENT … FOR`, for this statement alone). Elsewhere it is a
 * plain read.
 */
export async function causalRead<T>(db: DataSource, sql: string, params: unknown[]): Promise<T> {
  const galera = await isGalera(db);
  return db.query<T>(galera ? `SET STATEMENT wsrep_sync_wait = 1 FOR ${sql}` : sql, params);
}
