import mysql from 'mysql2/promise';
import { SetupConfig } from '../../src/config/setup-config';
import { dropDatabase, provisionDatabase } from '../../src/database/setup/database-provisioner';
import { Factories } from './factories';
import { roleUrls, runId, setupEnv } from './test-env';

export interface IsolatedDatabase {
  /** DATABASE_URL for a frontend: its own read-mostly user on this database. */
  frontendUrl: string;
  /** DATABASE_URL for a backend: its own full-rights user on this database. */
  backendUrl: string;
  /** Root's URL into this database (schema inspection). */
  adminUrl: string;
  db: mysql.Connection;
  factories: Factories;
  drop(): Promise<void>;
}

/**
 * A database of this test file's own (schema by the migrations, its own frontend and backend
 * users with the real grants), next to the run's shared one. The pages show pool-wide totals,
 * so the tests need rows no other test file adds to (and a test may damage its own schema);
 * the broker stays the run's.
 */
export async function isolatedDatabase(label: string): Promise<IsolatedDatabase> {
  const suffix = `${runId()}${label}`;
  const retarget = (url: string, user: string): string => {
    const u = new URL(url);
    u.username = user;
    u.pathname = `/purepool_test_${suffix}`;
    return u.toString();
  };
  const urls = roleUrls();
  const frontendUrl = retarget(urls.frontendDatabaseUrl, `ppfe_${suffix}`);
  const backendUrl = retarget(urls.backendDatabaseUrl, `ppbe_${suffix}`);
  const config = new SetupConfig({
    ...setupEnv(),
    FRONTEND_DATABASE_URL: frontendUrl,
    BACKEND_DATABASE_URL: backendUrl,
  });
  await provisionDatabase(config, () => undefined);
  const adminUrl = new URL(urls.adminDatabaseUrl);
  adminUrl.pathname = `/${config.database}`;
  const db = await mysql.createConnection({ uri: adminUrl.toString(), supportBigNumbers: true });
  return {
    frontendUrl,
    backendUrl,
    adminUrl: adminUrl.toString(),
    db,
    factories: new Factories(db),
    drop: async () => {
      await db.end();
      if (process.env.KEEP_TEST_DATA !== '1') await dropDatabase(config);
    },
  };
}
