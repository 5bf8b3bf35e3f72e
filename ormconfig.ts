// TypeORM data source for the typeorm CLI (migration:generate / migration:run / migration:show).
// Uses the admin URL: only `npm run db:setup` and operators run migrations, never a pool role.
import 'reflect-metadata';
import { createDataSource } from './src/database/data-source';

const url = process.env.DATABASE_ADMIN_URL_WITH_DB ?? 'mysql://root@127.0.0.1:3306/purepool';
export default createDataSource(url);
