import { DataSource, DataSourceOptions, type EntitySchema } from 'typeorm';
import type { DatabaseLink } from '../config/link-tls';
import { mysqlSsl, plainDatabaseLink } from './database-link';
import { MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE = 'migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type DataSourceEntity = Function | string | EntitySchema;

/**
 * One place that knows how Purepool talks to MySQL/MariaDB. Times are UTC; BIGINT comes back as
 * strings (exact) and is turned into bigint by the entity transformers. Never `synchronize`:
 * the schema changes only through migrations.
 *
 * The entities are not this layer's: each module registers its own (TypeOrmModule.forFeature, loaded
 * by the roles' DatabaseModule with autoLoadEntities); what needs the whole schema (the typeorm CLI,
 * the schema test) passes src/entities.ts's ENTITIES. Without entities, raw SQL and migrations work.
 */
export function dataSourceOptions(
  link: DatabaseLink | string,
  poolSize = 10,
  entities: readonly DataSourceEntity[] = [],
): DataSourceOptions {
  const { url } = typeof link === 'string' ? plainDatabaseLink(link) : link;
  const ssl = typeof link === 'string' ? undefined : mysqlSsl(link);
  return {
    type: 'mysql',
    url,
    ...(ssl ? { ssl } : {}),
    entities: [...entities],
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false, // safe integers as numbers, larger ones as exact strings
    charset: 'utf8mb4',
    poolSize,
    // mysql2 captures a stack trace for every query by default (to point an error at its caller):
    // ~3 % of a frontend's CPU on the getwork path (issue 23 profile). Errors keep their message
    // and code.
    trace: false,
    logging: false,
  };
}

export function createDataSource(
  link: DatabaseLink | string,
  poolSize?: number,
  entities?: readonly DataSourceEntity[],
): DataSource {
  return new DataSource(dataSourceOptions(link, poolSize, entities));
}
