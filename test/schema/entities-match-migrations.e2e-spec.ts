import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';

/**
 * The schema is written twice — as entities (what the code maps) and as migrations (what
 * db:setup creates) — so they can drift apart. TypeORM's own schema diff (what
 * `npm run migration:generate` would write) over a database built by the migrations must be empty.
 */
describe('schema in one place', () => {
  let store: IsolatedDatabase;
  beforeAll(async () => {
    store = await isolatedDatabase('schema');
  });
  afterAll(async () => {
    await store?.drop();
  });

  it('the entities describe exactly the schema the migrations build', async () => {
    // TypeORM reads column defaults the MariaDB way only with type 'mariadb' (with 'mysql' every
    // nullable column looks changed on MariaDB); the production data source works with both.
    const [[{ version }]] = (await store.db.query('SELECT VERSION() AS version')) as unknown as [
      { version: string }[],
    ];
    const dataSource = new DataSource({
      ...dataSourceOptions(store.adminUrl, 1, ENTITIES),
      type: version.includes('MariaDB') ? 'mariadb' : 'mysql',
    } as never);
    await dataSource.initialize();
    try {
      // Every table the migrations create is mapped (an empty entity list would diff as nothing).
      expect(dataSource.entityMetadatas.map((m) => m.tableName).sort()).toEqual(
        [...new Set(ENTITIES.map((e) => dataSource.getMetadata(e).tableName))].sort(),
      );
      expect(ENTITIES.length).toBeGreaterThanOrEqual(17);
      const diff = await dataSource.driver.createSchemaBuilder().log();
      expect(diff.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
