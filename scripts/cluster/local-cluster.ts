import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { randomAddress } from '../../src/biblepay/address';
import { SetupConfig } from '../../src/config/setup-config';
import { dropDatabase } from '../../src/database/setup/database-provisioner';
import { startHaproxy } from './haproxy';
import { portBaseClash } from './ports';
import { nodeEnv, nodePid, RabbitNode, startRabbitCluster, stopNode } from './rabbit-cluster';
import { logTail, waitHealthy } from '../support/wait-healthy';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The cluster's backends mature (5 confirmations), share out and pay on a short cadence: blocks
 * every 2 s, shareout 5 s, payouts 10 s, any balance of 1 BBP at once, the chain walked from the tip.
 */
export const CLUSTER_BACKEND_JOBS: Record<string, string> = {
  MATURITY_CONFIRMATIONS_MAIN: '5',
  BLOCK_POLL_SECONDS: '2',
  SHAREOUT_INTERVAL_SECONDS: '5',
  PAYOUT_INTERVAL_SECONDS: '10',
  PAYOUT_MINIMUM_MAIN: '1',
  PAYOUT_MIN_INTERVAL_HOURS: '0',
  CHAIN_WALK_START_DEPTH: '0',
};

export interface ClusterOptions {
  /** Short name: nodes are `purepool-<name>1@localhost` …, the database and vhost `purepool_<name>`. */
  name: string;
  stateDir: string;
  /** Balancer on base, frontends base+1…, backends base+11…, simulated node base+9, AMQP base+21…, dist base+31…. */
  portBase: number;
  frontends: number;
  backends: number;
  brokerNodes: number;
  /** Seconds between the simulated chain's blocks. */
  blockSeconds: number;
  /** The simulated chain's block target: an easy one lets the miners find pool blocks. */
  networkTarget: string;
  /** MariaDB `host:port` of the role users (default 127.0.0.1:3306; the soak runs a private one). */
  databaseHost?: string;
  /** db:setup's DATABASE_ADMIN_URL (default: the environment's, else db:setup's default). */
  adminDatabaseUrl?: string;
  /** Extra environment of every frontend and backend (the soak's short send timeout, a pool fee). */
  roleEnv?: Record<string, string>;
}

export interface ClusterProcess {
  name: string;
  pid: number;
  port: number;
  env: Record<string, string>;
  args: string[];
  log: string;
}

export interface ClusterState {
  options: ClusterOptions;
  nodes: RabbitNode[];
  haproxyPid: number;
  balancerUrl: string;
  nodeRpcUrl: string;
  processes: ClusterProcess[];
  /** db:setup's environment with the users of frontend 1 and backend 1. */
  setupEnv: Record<string, string>;
  /** One db:setup environment per frontend/backend pair: every process has users of its own. */
  userSets: Record<string, string>[];
}

export function defaultClusterOptions(env = process.env): ClusterOptions {
  return {
    name: env.CLUSTER_NAME ?? 'c',
    stateDir: path.resolve(env.CLUSTER_STATE_DIR ?? path.join(ROOT, '.cluster')),
    portBase: Number(env.CLUSTER_PORT_BASE ?? 18000),
    frontends: Number(env.CLUSTER_FRONTENDS ?? 2),
    backends: Number(env.CLUSTER_BACKENDS ?? 2),
    brokerNodes: 3,
    blockSeconds: Number(env.CLUSTER_BLOCK_SECONDS ?? 30),
    networkTarget: '007fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  };
}

const stateFile = (dir: string): string => path.join(dir, 'state.json');

export function readClusterState(dir: string): ClusterState | null {
  return existsSync(stateFile(dir))
    ? (JSON.parse(readFileSync(stateFile(dir), 'utf8')) as ClusterState)
    : null;
}

export function saveState(state: ClusterState): void {
  writeFileSync(stateFile(state.options.stateDir), JSON.stringify(state, null, 2));
}

/** A detached child in its own process group (logs to a file), so cluster:up can exit and leave it running. */
export function spawnLogged(proc: Omit<ClusterProcess, 'pid'>): ClusterProcess {
  const fd = openSync(proc.log, 'a');
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', ...proc.args], {
    cwd: ROOT,
    env: { ...process.env, ...proc.env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`${proc.name} did not start`);
  return { ...proc, pid: child.pid };
}

export { waitHealthy };

/** The URLs of frontend `n` and backend `n`: the one database and vhost, users of their own. */
function clusterUrls(options: ClusterOptions, nodes: RabbitNode[], n: number) {
  const db = `purepool_${options.name}`;
  const pw = `${db}-password`;
  const host = options.databaseHost ?? '127.0.0.1:3306';
  const amqp = (user: string) =>
    nodes.map((node) => `amqp://${user}:${pw}@127.0.0.1:${node.amqpPort}/${db}`).join(',');
  return {
    database: db,
    frontendDb: `mysql://${db}_fe${n}:${pw}@${host}/${db}`,
    backendDb: `mysql://${db}_be${n}:${pw}@${host}/${db}`,
    frontendMq: amqp(`${db}_fe${n}`),
    backendMq: amqp(`${db}_be${n}`),
  };
}

function setupEnvOf(
  urls: ReturnType<typeof clusterUrls>,
  adminUrl = process.env.DATABASE_ADMIN_URL,
): Record<string, string> {
  return {
    FRONTEND_DATABASE_URL: urls.frontendDb,
    BACKEND_DATABASE_URL: urls.backendDb,
    FRONTEND_AMQP_URL: urls.frontendMq,
    BACKEND_AMQP_URL: urls.backendMq,
    SOLUTION_QUEUE_TYPE: 'quorum',
    ...(adminUrl ? { DATABASE_ADMIN_URL: adminUrl } : {}),
  };
}

/**
 * Three RabbitMQ nodes clustered on loopback, the pool's database, vhost, users and quorum queues
 * through db:setup, the simulated node, the frontends behind HAProxy and the backends; every pid
 * is written to the state file as soon as it exists, so cluster:down can stop a half-started one.
 */
export async function clusterUp(
  options: ClusterOptions,
  log: (line: string) => void,
): Promise<ClusterState> {
  if (readClusterState(options.stateDir)) {
    throw new Error(
      `a cluster is already up (${options.stateDir}); run npm run cluster:down first`,
    );
  }
  mkdirSync(path.join(options.stateDir, 'logs'), { recursive: true });
  const clash = portBaseClash(options.portBase);
  if (clash) log(`warning: ${clash}`);
  const nodes: RabbitNode[] = Array.from({ length: options.brokerNodes }, (_, i) => ({
    name: `purepool-${options.name}${i + 1}@localhost`,
    amqpPort: options.portBase + 21 + i,
    distPort: options.portBase + 31 + i,
    dir: path.join(options.stateDir, `rabbit${i + 1}`),
  }));
  const pairs = Array.from({ length: Math.max(options.frontends, options.backends, 1) }, (_, i) =>
    clusterUrls(options, nodes, i + 1),
  );
  const userSets = pairs.map((urls) => setupEnvOf(urls, options.adminDatabaseUrl));
  const nodePort = options.portBase + 9;
  const state: ClusterState = {
    options,
    nodes,
    haproxyPid: 0,
    balancerUrl: `http://127.0.0.1:${options.portBase}`,
    nodeRpcUrl: `http://sim:sim@127.0.0.1:${nodePort}`,
    processes: [],
    setupEnv: userSets[0],
    userSets,
  };
  saveState(state);

  log(`starting ${nodes.length} RabbitMQ nodes (${nodes.map((n) => n.name).join(', ')})`);
  await startRabbitCluster(nodes);
  log('RabbitMQ cluster formed');

  // The simulated chain starts anew each time, so the database does too.
  for (const setupEnv of userSets) await dropDatabase(new SetupConfig(setupEnv));
  // db:setup once per pair: the schema and queues the first time, each pair's users every time.
  for (const setupEnv of userSets) {
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'scripts/db-setup.ts'], {
      cwd: ROOT,
      // rabbitmqctl (db:setup's broker admin) reaches our first node, not rabbit@localhost.
      env: { ...nodeEnv(nodes[0]), ...setupEnv },
      stdio: 'inherit',
    });
  }

  const poolAddress = randomAddress('main');
  const logFile = (name: string) => path.join(options.stateDir, 'logs', `${name}.log`);
  const add = (proc: Omit<ClusterProcess, 'pid'>): ClusterProcess => {
    const role = proc.name !== 'sim-node';
    const started = spawnLogged(
      role ? { ...proc, env: { ...proc.env, ...options.roleEnv } } : proc,
    );
    state.processes.push(started);
    saveState(state);
    return started;
  };
  add({
    name: 'sim-node',
    port: nodePort,
    args: ['sim/node/main.ts'],
    log: logFile('sim-node'),
    env: {
      SIM_PORT: String(nodePort),
      SIM_RPC_USER: 'sim',
      SIM_RPC_PASSWORD: 'sim',
      SIM_NETWORK: 'main',
      SIM_POOL_ADDRESS: poolAddress,
      SIM_BLOCK_SECONDS: String(options.blockSeconds),
      SIM_NETWORK_TARGET: options.networkTarget,
      SIM_MATURITY: '5',
      SIM_STATE: '',
    },
  });
  const common = {
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: poolAddress,
    POOL_HASH_TARGET: '0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    HTTP_HOST: '127.0.0.1',
  };
  for (let i = 0; i < options.backends; i++) {
    add({
      name: `backend${i + 1}`,
      port: options.portBase + 11 + i,
      args: ['src/main.ts'],
      log: logFile(`backend${i + 1}`),
      env: {
        ...common,
        ROLE: 'backend',
        HTTP_PORT: String(options.portBase + 11 + i),
        DATABASE_URL: pairs[i].backendDb,
        AMQP_URL: pairs[i].backendMq,
        NODE_RPC_URL_MAIN: state.nodeRpcUrl,
        ...CLUSTER_BACKEND_JOBS,
      },
    });
  }
  const frontendPorts: number[] = [];
  for (let i = 0; i < options.frontends; i++) {
    const port = options.portBase + 1 + i;
    frontendPorts.push(port);
    add({
      name: `frontend${i + 1}`,
      port,
      args: ['src/main.ts'],
      log: logFile(`frontend${i + 1}`),
      env: {
        ...common,
        ROLE: 'frontend',
        HTTP_PORT: String(port),
        DATABASE_URL: pairs[i].frontendDb,
        AMQP_URL: pairs[i].frontendMq,
        // The balancer connects from 127.0.0.1: its X-Forwarded-For names the wallet.
        TRUST_PROXY: '127.0.0.1',
        RATE_LIMIT_ACTION_PER_MINUTE: '0',
        RATE_LIMIT_WEB_PER_MINUTE: '0',
      },
    });
  }
  for (const proc of state.processes) {
    if (proc.name === 'sim-node') continue;
    await waitRoleHealthy(proc);
  }
  state.haproxyPid = startHaproxy(options.stateDir, options.portBase, frontendPorts);
  saveState(state);
  await waitHealthy(`${state.balancerUrl}/health`, 'the balancer');
  return state;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An exited child its parent has not reaped yet still answers signal 0: a zombie is not alive.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Waits for a role's /health to answer 200; fails at once, with its log's end, if it exits. */
export function waitRoleHealthy(proc: ClusterProcess, ms = 90_000): Promise<void> {
  return waitHealthy(`http://127.0.0.1:${proc.port}/health`, proc.name, {
    ms,
    gone: () => exitedWithLog(proc),
  });
}

/** When `proc` has exited: says so with the end of its log (an EADDRINUSE, a crash at boot). */
function exitedWithLog(proc: ClusterProcess): string | null {
  if (isAlive(proc.pid)) return null;
  return `it exited; the end of ${proc.log}:\n${logTail(proc.log)}`;
}

async function stopPid(pid: number, group: boolean): Promise<void> {
  const target = group ? -pid : pid;
  try {
    process.kill(target, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // gone
  }
}

/** Stops what the state file names (process groups, HAProxy, our RabbitMQ nodes), drops the database, removes the state. */
export async function clusterDown(stateDir: string, log: (line: string) => void): Promise<void> {
  const state = readClusterState(stateDir);
  if (!state) {
    log(`no cluster state in ${stateDir}: nothing to stop`);
    return;
  }
  await Promise.all(state.processes.map((p) => stopPid(p.pid, true)));
  log(`stopped ${state.processes.map((p) => p.name).join(', ') || 'no role process'}`);
  if (state.haproxyPid) await stopPid(state.haproxyPid, false);
  for (const node of state.nodes) {
    let pid = 0;
    try {
      pid = nodePid(node);
    } catch {
      // never started
    }
    await stopNode(node);
    if (pid && isAlive(pid)) await stopPid(pid, false);
  }
  log(`stopped RabbitMQ nodes ${state.nodes.map((n) => n.name).join(', ')}`);
  for (const setupEnv of state.userSets ?? [state.setupEnv]) {
    await dropDatabase(new SetupConfig(setupEnv)).catch((error: Error) =>
      log(`could not drop the database or its users: ${error.message}`),
    );
  }
  rmSync(stateDir, { recursive: true, force: true });
  log('state removed');
}
