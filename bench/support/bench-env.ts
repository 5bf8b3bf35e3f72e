import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomAddress } from '../../src/biblepay/address';
import { SetupConfig } from '../../src/config/setup-config';
import { dropDatabase, provisionDatabase } from '../../src/database/setup/database-provisioner';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker, provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import type { SimNodeOptions } from '../../sim/node/options';
import { SimNodeHandle, startSimNode } from '../../sim/node/sim-node';
import { HARD_NETWORK_TARGET, TEST_HASH_TARGET } from '../../test/support/pool-fixture';
import { freePort, startRoleProcess } from '../../test/support/role-process';
import type { RoleProcess } from '../../test/support/role-process';
export { startRoleProcess };
export type { RoleProcess };

/**
 * A benchmark's own database and vhost (never the development defaults), role processes started
 * as separate OS processes with their own users, and a teardown that removes it all.
 */
export interface BenchEnv {
  id: string;
  setup: SetupConfig;
  urls: {
    frontendDb: string;
    backendDb: string;
    frontendMq: string;
    backendMq: string;
    adminDb: string;
  };
  poolAddress: { main: string; test: string };
  teardown(): Promise<void>;
}

export async function createBenchEnv(name: string): Promise<BenchEnv> {
  const id = `${name}_${Date.now().toString(36)}`;
  const pw = `pw_${id}`;
  const db = `purepool_bench_${id}`;
  const admin = process.env.DATABASE_ADMIN_URL ?? 'mysql://root@127.0.0.1:3306';
  const urls = {
    frontendDb: `mysql://ppfe_${id}:${pw}@127.0.0.1:3306/${db}`,
    backendDb: `mysql://ppbe_${id}:${pw}@127.0.0.1:3306/${db}`,
    frontendMq: `amqp://ppfe_${id}:${pw}@127.0.0.1:5672/${db}`,
    backendMq: `amqp://ppbe_${id}:${pw}@127.0.0.1:5672/${db}`,
    adminDb: `${admin}/${db}`,
  };
  const setup = new SetupConfig({
    DATABASE_ADMIN_URL: admin,
    FRONTEND_DATABASE_URL: urls.frontendDb,
    BACKEND_DATABASE_URL: urls.backendDb,
    FRONTEND_AMQP_URL: urls.frontendMq,
    BACKEND_AMQP_URL: urls.backendMq,
    // SOLUTION_QUEUE_TYPE=quorum npm run bench:intake measures the replicated queue type.
    SOLUTION_QUEUE_TYPE: process.env.SOLUTION_QUEUE_TYPE,
    // SOLUTION_QUEUE_SHARDS=2: the queues the role processes (same environment) route over.
    SOLUTION_QUEUE_SHARDS: process.env.SOLUTION_QUEUE_SHARDS,
  });
  const quiet = (): void => undefined;
  await provisionDatabase(setup, quiet);
  const brokerAdmin = brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL);
  await provisionBroker(setup, brokerAdmin, quiet);
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown || process.env.KEEP_BENCH_DATA === '1') return;
    tornDown = true;
    await dropDatabase(setup);
    await dropBroker(setup, brokerAdmin);
  };
  // Stopped from outside (bench:compare's cleanup, Ctrl-C): drop the database and vhost, then exit;
  // the role processes are killed on exit (test/support/role-process.ts).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      teardown()
        .catch((error: unknown) => console.error(error))
        .finally(() => process.exit(130));
    });
  }
  return {
    id,
    setup,
    urls,
    poolAddress: { main: randomAddress('main'), test: randomAddress('test') },
    teardown,
  };
}

/** A bench's environment with a simulated main node, and what every role's environment holds. */
export interface BenchPool {
  env: BenchEnv;
  /** Finds no blocks of its own, and no share meets its network target. */
  node: SimNodeHandle;
  /** NETWORKS, the pool address, the pool's hash target and the node's URL. */
  common: Record<string, string>;
  /** Stops the node, then drops the database and vhost. */
  close(): Promise<void>;
}

/**
 * {@link createBenchEnv} and a simulated main node for a bench that sends real shares; `chain`
 * gives the node a growing chain (block interval, target, maturity) instead of a still one.
 */
export async function startBenchPool(
  name: string,
  chain: Partial<Pick<SimNodeOptions, 'blockSeconds' | 'networkTarget' | 'maturity'>> = {},
): Promise<BenchPool> {
  const env = await createBenchEnv(name);
  const node = await startSimNode({
    port: 0,
    network: 'main',
    poolAddress: env.poolAddress.main,
    blockSeconds: 0,
    networkTarget: HARD_NETWORK_TARGET,
    log: () => undefined,
    ...chain,
  });
  const common = {
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: env.poolAddress.main,
    POOL_HASH_TARGET: TEST_HASH_TARGET,
    NODE_RPC_URL_MAIN: node.url,
  };
  const close = async (): Promise<void> => {
    await node.close();
    await env.teardown();
  };
  return { env, node, common, close };
}

/** A role of the bench pool as its own OS process on a free port, as the role's own DB/broker user. */
export async function startBenchRole(
  pool: BenchPool,
  role: 'frontend' | 'backend',
  extra: Record<string, string> = {},
): Promise<RoleProcess> {
  const { urls } = pool.env;
  const env = {
    ...pool.common,
    ...extra,
    ROLE: role,
    DATABASE_URL: role === 'frontend' ? urls.frontendDb : urls.backendDb,
    AMQP_URL: role === 'frontend' ? urls.frontendMq : urls.backendMq,
  };
  return startRoleProcess(env, await freePort());
}

/** A role process's resident memory in MB (VmRSS), for the bench JSON after a run. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : NaN;
}

/** The largest RSS among a process's children (FRONTEND_PROCESSES workers), NaN without any. */
export function childRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return NaN; // pgrep exits 1 when there is no child
  }
  return Math.max(...children.map(rssMb));
}

/** A short table for people, then the JSON line for machines (always the last line). */
export function report(name: string, figures: Record<string, number | string | boolean>): void {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`\n${name}`);
  for (const [key, value] of Object.entries(figures))
    console.log(`  ${key.padEnd(width)}  ${value}`);
  console.log(JSON.stringify({ bench: name, ...figures }));
}
