import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE = 'migrations';

/**
 * One place that knows how Purepool talks to MySQL/MariaDB. Times are UTC; BIGINT comes back as
 * strings (exact) and is turned into bigint by the entity transformers. Never `synchronize`:
 * the schema changes only through migrations.
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'mysql',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false, // safe integers as numbers, larger ones as exact strings
    charset: 'utf8mb4',
    poolSize,
    logging: false,
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
