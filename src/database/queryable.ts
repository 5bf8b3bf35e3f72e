import type { EntityManager } from 'typeorm';

/** Where a read runs: the data source's pool (the default) or one transaction's connection. */
export type Queryable = Pick<EntityManager, 'query'>;
