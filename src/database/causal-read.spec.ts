import type { DataSource } from 'typeorm';
import { causalRead } from './causal-read';

function fakeSource(wsrep: () => unknown): { db: DataSource; sent: string[] } {
  const sent: string[] = [];
  const query = (sql: string) => {
    sent.push(sql);
    return sql.includes('@@wsrep_on') ? Promise.resolve(wsrep()) : Promise.resolve([{ n: 1 }]);
  };
  return { db: { query } as unknown as DataSource, sent };
}

describe('causalRead', () => {
  it('on a Galera node, makes the read wait for the cluster (wsrep_sync_wait) and asks once', async () => {
    const { db, sent } = fakeSource(() => [{ wsrep: 1 }]);
    await causalRead(db, 'SELECT COUNT(*) AS n FROM job_lease WHERE name = ?', ['x']);
    await causalRead(db, 'SELECT 1', []);
    expect(sent).toEqual([
      'SELECT @@wsrep_on AS wsrep',
      'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT COUNT(*) AS n FROM job_lease WHERE name = ?',
      'SET STATEMENT wsrep_sync_wait = 1 FOR SELECT 1',
    ]);
  });

  it('is a plain read on a single server (wsrep off) and on MySQL (no wsrep variables)', async () => {
    const off = fakeSource(() => [{ wsrep: 0 }]);
    await causalRead(off.db, 'SELECT 1', []);
    expect(off.sent).toEqual(['SELECT @@wsrep_on AS wsrep', 'SELECT 1']);
    const mysql = fakeSource(() => {
      throw Object.assign(new Error("Unknown system variable 'wsrep_on'"), { errno: 1193 });
    });
    await causalRead(mysql.db, 'SELECT 1', []);
    await causalRead(mysql.db, 'SELECT 2', []);
    expect(mysql.sent).toEqual(['SELECT @@wsrep_on AS wsrep', 'SELECT 1', 'SELECT 2']);
  });
});
