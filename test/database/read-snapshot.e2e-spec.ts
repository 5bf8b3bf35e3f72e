import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import type { Queryable } from '../../src/database/queryable';
import { inReadSnapshot } from '../../src/database/read-snapshot';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';

/** What the audit relies on: all its reads see one committed state, whatever commits meanwhile. */
describe('inReadSnapshot', () => {
  let store: IsolatedDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    store = await isolatedDatabase('snapshot');
    dataSource = new DataSource(dataSourceOptions(store.backendUrl, 2, ENTITIES));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.drop();
  });

  const miners = async (q: Queryable): Promise<number> =>
    Number((await q.query<{ n: string }[]>('SELECT COUNT(*) n FROM miner'))[0].n);

  it('reads the state of its start even when another connection commits in between', async () => {
    await store.factories.miner();
    const [first, second] = await inReadSnapshot(dataSource, async (q) => {
      const before = await miners(q);
      await store.factories.miner(); // committed by another connection
      return [before, await miners(q)];
    });
    expect(second).toBe(first);
    expect(await miners(dataSource)).toBe(first + 1);
  });

  it('is read-only: a write inside is refused and changes nothing', async () => {
    const before = await miners(dataSource);
    await expect(
      inReadSnapshot(dataSource, (q) =>
        q.query("UPDATE miner SET email = 'x@example.org' WHERE id > 0"),
      ),
    ).rejects.toThrow(/READ ONLY/i);
    expect(await miners(dataSource)).toBe(before);
  });
});
