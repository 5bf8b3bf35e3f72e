// `npm run demo`: a living pool on this machine in one command. Sets up a fresh demo database and
// broker vhost (its own users), then starts the simulated BiblePay node, the backend, the frontend
// (each a separate process with its own DB and broker user) and a few simulated miners, with
// fast-forward settings: within a couple of minutes the pages show shares, pool blocks, a shareout
// and a payout. Ctrl-C stops everything it started.
import 'reflect-metadata';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { randomAddress } from '../src/biblepay/address';
import { SetupConfig } from '../src/config/setup-config';
import { dropDatabase, provisionDatabase } from '../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../src/messaging/setup/broker-admin';
import { dropBroker, provisionBroker } from '../src/messaging/setup/broker-provisioner';
import { waitHealthy } from './support/wait-healthy';

const ROOT = path.join(__dirname, '..');
const env = process.env;
const FRONTEND_PORT = Number(env.DEMO_HTTP_PORT ?? 8000);
const BACKEND_PORT = Number(env.DEMO_BACKEND_PORT ?? 8001);
const NODE_PORT = Number(env.DEMO_NODE_PORT ?? 19998);
const MINERS = Number(env.DEMO_MINERS ?? 4);
const DB = env.DEMO_DATABASE ?? 'purepool_demo';
const HOST_DB = env.DEMO_DB_HOST ?? '127.0.0.1:3306';
const HOST_MQ = env.DEMO_AMQP_HOST ?? '127.0.0.1:5672';

const children: ChildProcess[] = [];
let stopping = false;

function log(line: string): void {
  console.log(`demo: ${line}`);
}

function start(name: string, args: string[], extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', ...args], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal's Ctrl-C reaches only the demo, which stops them in order.
    detached: true,
  });
  const prefix = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) console.log(`[${name}] ${line}`);
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${code ?? signal}); stopping the demo`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping ...');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  log('stopped');
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  execFileSync('bash', [path.join(ROOT, 'scripts/ensure-services.sh')], { stdio: 'inherit' });

  const pw = 'demo-password';
  const urls = {
    frontendDb: `mysql://${DB}_fe:${pw}@${HOST_DB}/${DB}`,
    backendDb: `mysql://${DB}_be:${pw}@${HOST_DB}/${DB}`,
    frontendMq: `amqp://${DB}_fe:${pw}@${HOST_MQ}/${DB}`,
    backendMq: `amqp://${DB}_be:${pw}@${HOST_MQ}/${DB}`,
  };
  const setup = new SetupConfig({
    DATABASE_ADMIN_URL: env.DATABASE_ADMIN_URL,
    FRONTEND_DATABASE_URL: urls.frontendDb,
    BACKEND_DATABASE_URL: urls.backendDb,
    FRONTEND_AMQP_URL: urls.frontendMq,
    BACKEND_AMQP_URL: urls.backendMq,
    RABBITMQ_MANAGEMENT_URL: env.RABBITMQ_MANAGEMENT_URL,
  });
  // The simulated chain starts anew each time, so the demo's database does too.
  const admin = brokerAdminFor(setup.rabbitmqManagementUrl);
  await dropDatabase(setup);
  await dropBroker(setup, admin);
  await provisionDatabase(setup, log);
  await provisionBroker(setup, admin, log);

  const poolAddress = env.DEMO_POOL_ADDRESS ?? randomAddress('main');
  const nodeUrl = `http://demo:demo@127.0.0.1:${NODE_PORT}`;
  start('node', ['sim/node/main.ts'], {
    SIM_PORT: String(NODE_PORT),
    SIM_RPC_USER: 'demo',
    SIM_RPC_PASSWORD: 'demo',
    SIM_NETWORK: 'main',
    SIM_POOL_ADDRESS: poolAddress,
    SIM_BLOCK_SECONDS: '20',
    SIM_NETWORK_TARGET: '007fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    SIM_MATURITY: '5',
    SIM_STATE: '',
  });

  const common = {
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: poolAddress,
    // fast-forward: an easy share target, quick jobs, low maturity and minimum
    POOL_HASH_TARGET: '0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  };
  start('backend', ['src/main.ts'], {
    ...common,
    ROLE: 'backend',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(BACKEND_PORT),
    DATABASE_URL: urls.backendDb,
    AMQP_URL: urls.backendMq,
    NODE_RPC_URL_MAIN: nodeUrl,
    MATURITY_CONFIRMATIONS_MAIN: '5',
    BLOCK_POLL_SECONDS: '2',
    SHAREOUT_INTERVAL_SECONDS: '3',
    PAYOUT_INTERVAL_SECONDS: '5',
    PAYOUT_MINIMUM_MAIN: '1',
    PAYOUT_MIN_INTERVAL_HOURS: '0',
    POOL_FEE_PERCENT: '1',
    CHAIN_WALK_START_DEPTH: '0',
    RATING_INTERVAL_SECONDS: '30',
  });
  start('frontend', ['src/main.ts'], {
    ...common,
    ROLE: 'frontend',
    HTTP_HOST: env.DEMO_HTTP_HOST ?? '127.0.0.1',
    HTTP_PORT: String(FRONTEND_PORT),
    DATABASE_URL: urls.frontendDb,
    AMQP_URL: urls.frontendMq,
    WEB_CACHE_SECONDS: '5',
  });
  await waitHealthy(`http://127.0.0.1:${BACKEND_PORT}/health`, 'backend');
  await waitHealthy(`http://127.0.0.1:${FRONTEND_PORT}/health`, 'frontend');

  const addresses = Array.from({ length: MINERS }, () => randomAddress('main'));
  start(
    'miners',
    [
      'sim/miner/main.ts',
      '--pool',
      `http://127.0.0.1:${FRONTEND_PORT}`,
      '--node',
      nodeUrl,
      '--workers',
      '2',
      '--threads',
      '1',
      '--share-seconds',
      '1',
      ...addresses.flatMap((a) => ['--address', a]),
    ],
    {},
  );

  const url = `http://127.0.0.1:${FRONTEND_PORT}/main/`;
  log(
    `pool running: ${url}  (statistics: ${url}statistics, API: http://127.0.0.1:${FRONTEND_PORT}/api/docs)`,
  );
  for (const a of addresses) log(`miner ${a}: ${url}miner/${a}/`);
  log('first payouts arrive within about two minutes; Ctrl-C stops everything');
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
