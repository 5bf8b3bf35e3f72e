import { randomBytes } from 'node:crypto';
import { randomAddress } from '../../src/biblepay/address';
import { AppConfig, Role } from '../../src/config/app-config';
import { SetupConfig } from '../../src/config/setup-config';

/**
 * Every test run gets its own database, DB users, broker vhost and broker users, named after a run
 * id that globalSetup puts in the environment (Jest workers inherit it). Nothing touches the
 * development defaults, and two runs never collide.
 */
export const RUN_ID_VARIABLE = 'PUREPOOL_TEST_RUN_ID';

export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export function runId(): string {
  const id = process.env[RUN_ID_VARIABLE];
  if (!id)
    throw new Error(`${RUN_ID_VARIABLE} is not set: run the e2e tests through jest (globalSetup)`);
  return id;
}

const DB_HOST = process.env.TEST_DB_HOST ?? '127.0.0.1:3306';
const MQ_HOST = process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672';

export interface TestNames {
  database: string;
  vhost: string;
  frontendUser: string;
  backendUser: string;
  password: string;
}

export function testNames(id = runId()): TestNames {
  return {
    database: `purepool_test_${id}`,
    vhost: `purepool_test_${id}`,
    frontendUser: `ppfe_${id}`,
    backendUser: `ppbe_${id}`,
    password: `pw_${id}`,
  };
}

export function roleUrls(id = runId()) {
  const n = testNames(id);
  const vhost = encodeURIComponent(n.vhost);
  return {
    frontendDatabaseUrl: `mysql://${n.frontendUser}:${n.password}@${DB_HOST}/${n.database}`,
    backendDatabaseUrl: `mysql://${n.backendUser}:${n.password}@${DB_HOST}/${n.database}`,
    frontendAmqpUrl: `amqp://${n.frontendUser}:${n.password}@${MQ_HOST}/${vhost}`,
    backendAmqpUrl: `amqp://${n.backendUser}:${n.password}@${MQ_HOST}/${vhost}`,
    adminDatabaseUrl: `${process.env.TEST_DATABASE_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306'}/${n.database}`,
  };
}

export function setupEnv(id = runId()): Record<string, string> {
  const urls = roleUrls(id);
  return {
    DATABASE_ADMIN_URL: process.env.TEST_DATABASE_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306',
    FRONTEND_DATABASE_URL: urls.frontendDatabaseUrl,
    BACKEND_DATABASE_URL: urls.backendDatabaseUrl,
    FRONTEND_AMQP_URL: urls.frontendAmqpUrl,
    BACKEND_AMQP_URL: urls.backendAmqpUrl,
  };
}

export function testSetupConfig(id = runId()): SetupConfig {
  return new SetupConfig(setupEnv(id));
}

/** Pool addresses are fixed per run so every process of a test agrees on them. */
export function poolAddresses(): { main: string; test: string } {
  return cachedPool ?? (cachedPool = { main: randomAddress('main'), test: randomAddress('test') });
}
let cachedPool: { main: string; test: string } | undefined;

/** The environment a role process of this test run boots with. */
export function roleEnv(
  role: Role,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const urls = roleUrls();
  const pool = poolAddresses();
  const frontend = role === 'frontend';
  return {
    ROLE: role,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    DATABASE_URL: frontend ? urls.frontendDatabaseUrl : urls.backendDatabaseUrl,
    AMQP_URL: frontend ? urls.frontendAmqpUrl : urls.backendAmqpUrl,
    NETWORKS: 'main,test',
    POOL_ADDRESS_MAIN: pool.main,
    POOL_ADDRESS_TEST: pool.test,
    NODE_RPC_URL_MAIN: 'http://user:pass@127.0.0.1:1',
    NODE_RPC_URL_TEST: 'http://user:pass@127.0.0.1:1',
    LOG_LEVEL: 'silent',
    // Every test client is 127.0.0.1: tests that mean to be limited set their own limits.
    RATE_LIMIT_ACTION_PER_MINUTE: '0',
    RATE_LIMIT_WEB_PER_MINUTE: '0',
    // Suspensions are per source, and one run's tests share a database: bad shares sent by one
    // test file would suspend 127.0.0.1 for the next. Tests of suspension set their own threshold.
    MINER_SUSPEND_REJECTIONS: '0',
    MAX_CONNECTIONS_PER_SOURCE: '0',
    ...overrides,
  };
}

export function roleConfig(role: Role, overrides: Record<string, string> = {}): AppConfig {
  return new AppConfig(roleEnv(role, overrides));
}
