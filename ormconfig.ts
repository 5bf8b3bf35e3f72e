// TypeORM data source for the typeorm CLI: `npm run migration:generate -- src/database/migrations/Name`
// writes the difference between the entities and a database migrated so far; `npm run
// migration:run` applies pending migrations (db:setup does the same, with users and grants). Uses
// the admin URL: only operators and db:setup change the schema, never a pool role.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source';
import { ENTITIES } from './src/entities';

const url = process.env.DATABASE_ADMIN_URL_WITH_DB ?? 'mysql://root@127.0.0.1:3306/purepool';
// TypeORM compares column defaults the MariaDB way only with type 'mariadb' (DATABASE_ENGINE=mysql
// for a MySQL server): with the wrong one every nullable column would look changed.
const type = process.env.DATABASE_ENGINE === 'mysql' ? 'mysql' : 'mariadb';
export default new DataSource({ ...dataSourceOptions(url, 10, ENTITIES), type } as never);
