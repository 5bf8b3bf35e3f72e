import { ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  fstatSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import amqplib from 'amqplib';
import { randomAddress } from '../../src/biblepay/address';
import { DEAD_LETTER_QUEUE, SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { rpcCall } from '../../sim/node/rpc-client';
import { MISBEHAVIOURS } from '../../sim/miner/craft';
import {
  clusterDown,
  clusterUp,
  ClusterOptions,
  ClusterProcess,
  ClusterState,
  defaultClusterOptions,
  isAlive,
  saveState,
  spawnLogged,
  waitRoleHealthy,
} from '../cluster/local-cluster';
import { nodePid, restartNode } from '../cluster/rabbit-cluster';
import { PrivateMariadb } from './private-mariadb';
import { describeFault, drawSchedule, Fault } from './schedule';
import { WalletLogLine, WalletsConfig } from './wallets';

export const SOAK_MATURITY = 5;
/** The pool's send timeout in the soak: short, so `send-late` outlasts it without slowing the run. */
export const SOAK_SEND_TIMEOUT_MS = 3000;
/** 1.5 %: the verdict recomputes every shareout with this fee. */
export const SOAK_FEE_PPM = 15_000n;
/** The short soak inside `npm test`: a port base of its own, apart from `npm run soak`'s. */
export const SOAK_TEST_PORT_BASE = 26100;

export interface SoakOptions {
  minutes: number;
  wallets: number;
  seed: number;
  /** Cluster name: RabbitMQ nodes purepool-<name>N, database and vhost purepool_<name>. */
  name: string;
  portBase: number;
  stateDir: string;
  /** The report goes here (summary.json, report.md, timeline.svg). */
  outDir: string;
  /** One share per wallet per this many seconds. */
  shareSeconds: number;
  sampleSeconds: number;
  blockSeconds: number;
  /** About one pool block per this many seconds (the chain's target follows the share rate). */
  poolBlockSeconds: number;
  log: (line: string) => void;
}

export function defaultSoakOptions(root: string): Omit<SoakOptions, 'seed' | 'outDir'> {
  return {
    minutes: 30,
    wallets: 100,
    name: 'soak',
    portBase: 24000,
    stateDir: path.join(root, '.soak'),
    shareSeconds: 10,
    sampleSeconds: 5,
    blockSeconds: 4,
    poolBlockSeconds: 15,
    log: (line) => console.log(`soak: ${line}`),
  };
}

export interface Sample {
  /** Seconds since the wallets started. */
  t: number;
  /** Solutions answered ok per second over the interval. */
  okPerSecond: number;
  /** Per kind, failures in the interval (refusals by their ERROR text, transport errors). */
  errors: Record<string, number>;
  /** Ready messages in the solution queue (null: no broker node answered). */
  queue: number | null;
  deadLetters: number | null;
  /** Resident memory per process, MiB. */
  rssMb: Record<string, number>;
}

export interface TimelineEvent {
  t: number;
  fault: string;
  phase: 'start' | 'end' | 'failed';
  detail?: string;
}

/** What the wallets logged, folded per bible hash. */
export interface WalletTally {
  /** bible hash → ok answers, honest wallets. */
  honestOk: Map<string, number>;
  /** bible hash → ok answers, the misbehaving wallets. */
  junkOk: Map<string, number>;
  answers: number;
  ok: number;
  refused: Record<string, number>;
  failures: Record<string, number>;
}

/** A process the soak started: every pid it ever had, and which (if any) runs now. */
export interface Tracked {
  name: string;
  role: string;
  pids: { pid: number; startedAt: number }[];
  group: boolean;
}

export interface SoakRun {
  options: SoakOptions;
  schedule: Fault[];
  startedAt: number;
  samples: Sample[];
  events: TimelineEvent[];
  tally: WalletTally;
  tracked: Tracked[];
  state: ClusterState;
  db: PrivateMariadb;
  honestAddresses: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pool's share target (cluster-up's POOL_HASH_TARGET): 0fff…f = 2^252 − 1. */
const POOL_TARGET_BITS = 252;

/**
 * The simulated chain's target for a pool block every `poolBlockSeconds` at this share rate: one
 * share in (rate × seconds), rounded to a power of two, also meets the network's target.
 */
export function networkTargetFor(sharesPerSecond: number, poolBlockSeconds = 15): string {
  const shift = Math.max(0, Math.round(Math.log2(Math.max(1, sharesPerSecond * poolBlockSeconds))));
  const target = (1n << BigInt(POOL_TARGET_BITS - shift)) - 1n;
  return target.toString(16).padStart(64, '0');
}

/** Reads the JSON lines a wallets process appended since the last call. */
class LogTail {
  private offset = 0;
  private rest = '';
  constructor(readonly file: string) {}

  read(): WalletLogLine[] {
    if (!existsSync(this.file)) return [];
    const fd = openSync(this.file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset = size;
      const text = this.rest + buffer.toString('utf8');
      const lines = text.split('\n');
      this.rest = lines.pop() ?? '';
      return lines.filter((l) => l !== '').map((l) => JSON.parse(l) as WalletLogLine);
    } finally {
      closeSync(fd);
    }
  }
}

/** A failure text as a short kind: digits and ids dropped, so a chart can stack them. */
export function errorKind(text: string): string {
  return text
    .replace(/[0-9a-f]{16,}/gi, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 48);
}

export function rssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Math.round(Number(kb[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Every process id of a group and of descendants started from it: what must be gone at the end. */
export function survivors(tracked: Tracked[], stateDir: string): string[] {
  const pids = new Set(tracked.flatMap((t) => t.pids.map((p) => p.pid)));
  const groups = new Set(tracked.filter((t) => t.group).flatMap((t) => t.pids.map((p) => p.pid)));
  const left: string[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …: comm may hold spaces, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    if (fields[0] === 'Z') continue;
    if (pids.has(pid) || groups.has(pgrp) || cmdline.includes(stateDir)) {
      left.push(`${pid} (group ${pgrp}): ${cmdline.slice(0, 160)}`);
    }
  }
  return left;
}

function readdirSafe(dir: string): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('node:fs') as typeof import('node:fs')).readdirSync(dir);
  } catch {
    return [];
  }
}

function waitExit(child: ChildProcess | number, ms: number): Promise<boolean> {
  const pid = typeof child === 'number' ? child : (child.pid ?? 0);
  return (async () => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!isAlive(pid)) return true;
      await sleep(100);
    }
    return !isAlive(pid);
  })();
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/**
 * Brings the cluster up on a private MariaDB, runs the wallets for `minutes` while the seeded
 * schedule injects its faults, heals everything, lets the pool settle (queue drained, pool blocks
 * mature and shared out, no payment in flight) and hands back the run for the verdict. The caller
 * must call {@link teardown} (in a finally).
 */
export async function startSoak(
  options: SoakOptions,
  /** Gets the run as soon as it exists, so a failure half-way still tears down what started. */
  started: (run: SoakRun) => void = () => undefined,
): Promise<SoakRun> {
  const log = options.log;
  const seconds = Math.round(options.minutes * 60);
  const clusterDir = path.join(options.stateDir, 'cluster');
  const shape = { seconds, frontends: 2, backends: 2, brokerNodes: 3, maturity: SOAK_MATURITY };
  const schedule = drawSchedule(options.seed, shape);
  log(`seed ${options.seed}: ${schedule.length} faults over ${seconds} s`);
  for (const f of schedule) log(`  t+${String(f.at).padStart(4)} s  ${describeFault(f)}`);

  await cleanLeftovers(options.stateDir, log);
  mkdirSync(path.join(options.stateDir, 'wallets'), { recursive: true });
  const db = new PrivateMariadb(path.join(options.stateDir, 'mariadb'), options.portBase + 40);
  const tracked: Tracked[] = [];
  const track = (name: string, role: string, pid: number, group: boolean): void => {
    let t = tracked.find((x) => x.name === name);
    if (!t) tracked.push((t = { name, role, pids: [], group }));
    t.pids.push({ pid, startedAt: Date.now() });
  };
  const run: SoakRun = {
    options,
    schedule,
    startedAt: 0,
    samples: [],
    events: [],
    tally: { honestOk: new Map(), junkOk: new Map(), answers: 0, ok: 0, refused: {}, failures: {} },
    tracked,
    state: undefined as unknown as ClusterState,
    db,
    honestAddresses: [],
  };
  started(run);
  await db.init();
  track('mariadbd', 'mariadb', db.pid, true);
  log(`private MariaDB on ${db.host} (pid ${db.pid})`);

  const clusterOptions: ClusterOptions = {
    ...defaultClusterOptions(),
    name: options.name,
    stateDir: clusterDir,
    portBase: options.portBase,
    blockSeconds: options.blockSeconds,
    networkTarget: networkTargetFor(
      options.wallets / options.shareSeconds,
      options.poolBlockSeconds,
    ),
    databaseHost: db.host,
    adminDatabaseUrl: db.adminUrl,
    roleEnv: {
      POOL_FEE_PERCENT: '1.5',
      PAYOUT_SCHEME: 'prop',
      NODE_SEND_TIMEOUT_MS: String(SOAK_SEND_TIMEOUT_MS),
      // An unproven send is looked for this long before it is held for the operator.
      PAYOUT_RECONCILE_GRACE_SECONDS: '20',
    },
  };
  run.state = await clusterUp(clusterOptions, log);
  const state = run.state;
  for (const p of state.processes) track(p.name, p.name.replace(/\d+$/, ''), p.pid, true);
  track('haproxy', 'haproxy', state.haproxyPid, false);
  for (const [i, node] of state.nodes.entries())
    track(`rabbit${i + 1}`, 'rabbit', nodePid(node), false);

  // The wallets: N honest ones (one address each) for the whole run.
  const walletsLog = (name: string) => path.join(options.stateDir, 'wallets', `${name}.jsonl`);
  run.honestAddresses = Array.from({ length: options.wallets }, () => randomAddress('main'));
  const startWallets = (name: string, config: Omit<WalletsConfig, 'log' | 'pool' | 'node'>) => {
    const proc = spawnLogged({
      name,
      port: 0,
      args: ['scripts/soak/wallets.ts'],
      log: path.join(options.stateDir, 'wallets', `${name}.log`),
      env: {
        SOAK_WALLETS: JSON.stringify({
          ...config,
          pool: state.balancerUrl,
          node: state.nodeRpcUrl,
          log: walletsLog(name),
        } satisfies WalletsConfig),
      },
    });
    track(name, 'wallets', proc.pid, true);
    return proc;
  };
  const honestTail = new LogTail(walletsLog('wallets'));
  const junkTails: LogTail[] = [];

  run.startedAt = Date.now();
  const honest = startWallets('wallets', {
    miners: options.wallets,
    workers: 1,
    shareSeconds: options.shareSeconds,
    durationSeconds: 0,
    misbehave: ['none'],
    addresses: run.honestAddresses,
    timeoutMs: 10_000,
  });
  const now = () => Math.round((Date.now() - run.startedAt) / 100) / 10;
  const event = (fault: Fault, phase: TimelineEvent['phase'], detail?: string): void => {
    run.events.push({
      t: now(),
      fault: describeFault(fault),
      phase,
      ...(detail ? { detail } : {}),
    });
    log(`t+${now()} s ${phase} ${describeFault(fault)}${detail ? `: ${detail}` : ''}`);
  };

  // The sampler: the wallets' logs, the queue, every process's resident memory.
  const fold = (
    lines: WalletLogLine[],
    ok: Map<string, number>,
    errors: Record<string, number>,
  ) => {
    let okCount = 0;
    for (const l of lines) {
      if (l.h !== undefined) {
        run.tally.answers++;
        if (l.ok) {
          okCount++;
          run.tally.ok++;
          ok.set(l.h, (ok.get(l.h) ?? 0) + 1);
        } else {
          const kind = `refused: ${errorKind(l.e ?? '?')}`;
          run.tally.refused[kind] = (run.tally.refused[kind] ?? 0) + 1;
          errors[kind] = (errors[kind] ?? 0) + 1;
        }
      } else if (l.f !== undefined) {
        const kind = errorKind(l.f);
        run.tally.failures[kind] = (run.tally.failures[kind] ?? 0) + 1;
        errors[kind] = (errors[kind] ?? 0) + 1;
      }
    }
    return okCount;
  };
  const queues = new QueueProbe(state.setupEnv.BACKEND_AMQP_URL.split(','));
  let lastSampleAt = Date.now();
  const sample = async (): Promise<void> => {
    const errors: Record<string, number> = {};
    const ok =
      fold(honestTail.read(), run.tally.honestOk, errors) +
      junkTails.reduce((n, tail) => n + fold(tail.read(), run.tally.junkOk, errors), 0);
    const depth = await queues.depth();
    const rss: Record<string, number> = {};
    for (const t of tracked) {
      const current = t.pids[t.pids.length - 1];
      const mb = current ? rssMb(current.pid) : null;
      if (mb !== null) rss[t.name] = mb;
    }
    const elapsed = Math.max(0.001, (Date.now() - lastSampleAt) / 1000);
    lastSampleAt = Date.now();
    run.samples.push({
      t: now(),
      okPerSecond: Math.round((ok / elapsed) * 10) / 10,
      errors,
      queue: depth?.queue ?? null,
      deadLetters: depth?.dead ?? null,
      rssMb: rss,
    });
  };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(options.sampleSeconds * 1000);
      await sample().catch((error: Error) => log(`sample failed: ${error.message}`));
    }
  })();

  // The faults, each at its time; a fault with a down time restarts its victim itself.
  const proc = (name: string): ClusterProcess => {
    const p = state.processes.find((x) => x.name === name);
    if (!p) throw new Error(`no process ${name}`);
    return p;
  };
  const admin = async (method: string, params: unknown[] = []): Promise<unknown> => {
    const until = Date.now() + 90_000;
    for (;;) {
      try {
        return await rpcCall(state.nodeRpcUrl, method, params, 5000);
      } catch (error) {
        if (Date.now() > until) throw error;
        await sleep(500);
      }
    }
  };
  // The fault ends when its victim is back: a role that cannot start again (a port taken, a crash
  // at boot) fails the fault at once with the end of its log. Its /health may stay 503 while other
  // faults go on (the node, MariaDB, a broker node down), hence the long limit.
  const restartRole = async (name: string): Promise<void> => {
    const old = proc(name);
    const started = spawnLogged({ ...old });
    state.processes[state.processes.indexOf(old)] = started;
    saveState(state);
    track(name, name.replace(/\d+$/, ''), started.pid, true);
    await waitRoleHealthy(started, 240_000);
  };
  const inject = async (f: Fault): Promise<void> => {
    await sleep(Math.max(0, run.startedAt + f.at * 1000 - Date.now()));
    event(f, 'start');
    switch (f.kind) {
      case 'kill-frontend':
      case 'kill-backend': {
        const name = `${f.kind === 'kill-frontend' ? 'frontend' : 'backend'}${(f.target ?? 0) + 1}`;
        killGroup(proc(name).pid, 'SIGKILL');
        await sleep(f.seconds * 1000);
        await restartRole(name);
        break;
      }
      case 'kill-rabbit': {
        const node = state.nodes[f.target ?? 0];
        process.kill(nodePid(node), 'SIGKILL');
        await sleep(f.seconds * 1000);
        await restartNode(node);
        track(`rabbit${(f.target ?? 0) + 1}`, 'rabbit', nodePid(node), false);
        break;
      }
      case 'restart-mariadb':
        db.kill(f.signal ?? 'SIGKILL');
        await db.exited();
        await sleep(f.seconds * 1000);
        await db.start();
        track('mariadbd', 'mariadb', db.pid, true);
        break;
      case 'node-outage':
        await admin('sim_down', [f.seconds]);
        await sleep(f.seconds * 1000);
        break;
      case 'reorg-shallow':
      case 'reorg-deep': {
        const status = (await admin('sim_status')) as { height: number };
        let from = status.height - (f.depth ?? 1) + 1;
        // Deeper than maturity: start at the newest pool block already shared out (and maybe
        // paid), so the reorg takes money back that miners were credited.
        if (f.kind === 'reorg-deep')
          from = (await sharedPoolBlockBelow(run, from).catch(() => null)) ?? from;
        await admin('sim_reorg', [from]);
        event(f, 'end', `heights ${from}..${status.height} replaced`);
        return;
      }
      case 'send-late':
        await admin('sim_runlate', ['sendmany', SOAK_SEND_TIMEOUT_MS + 2000, 1]);
        break;
      case 'send-lost-reply':
        await admin('sim_losereply', ['sendmany', 1]);
        break;
      case 'send-error-after':
        await admin('sim_errorafter', ['sendmany', -4, 'Error: the transaction was rejected', 1]);
        break;
      case 'wallet-locked':
        await admin('sim_lockwallet', [true]);
        await sleep(f.seconds * 1000);
        await admin('sim_lockwallet', [false]);
        break;
      case 'junk-burst': {
        const name = `junk${junkTails.length + 1}`;
        junkTails.push(new LogTail(walletsLog(name)));
        const junk = startWallets(name, {
          miners: 2,
          workers: 1,
          shareSeconds: 0.3,
          durationSeconds: f.seconds,
          misbehave: MISBEHAVIOURS.filter((m) => m !== 'none'),
          timeoutMs: 10_000,
        });
        await waitExit(junk.pid, (f.seconds + 30) * 1000);
        break;
      }
    }
    event(f, 'end');
  };
  const injections = schedule.map((f) =>
    inject(f).catch((error: Error) => event(f, 'failed', error.message)),
  );

  await sleep(seconds * 1000);
  log(`t+${now()} s: stopping the wallets`);
  killGroup(honest.pid, 'SIGTERM');
  if (!(await waitExit(honest.pid, 30_000))) killGroup(honest.pid, 'SIGKILL');
  await Promise.all(injections);
  await admin('sim_resetfaults').catch(() => undefined);
  // Everything is up again: the pool settles before the verdict.
  await settle(run, queues);
  sampling = false;
  await sampler;
  await sample();
  await queues.close();
  return run;
}

/** The newest pool block shared out at or below `height` and at most 3 maturities deep. */
async function sharedPoolBlockBelow(run: SoakRun, height: number): Promise<number | null> {
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection({
    uri: `${run.db.adminUrl}/purepool_${run.options.name}`,
  });
  try {
    const [rows] = await c.query<import('mysql2/promise').RowDataPacket[]>(
      `SELECT MAX(height) h FROM block WHERE is_pool_block = 1 AND status = 'shared'
        AND height BETWEEN ? AND ?`,
      [height - 3 * SOAK_MATURITY, height],
    );
    return rows[0]?.h === null || rows[0]?.h === undefined ? null : Number(rows[0].h);
  } finally {
    await c.end();
  }
}

/** Queue depths through whichever broker node answers (the backend user may read them). */
class QueueProbe {
  private connection: amqplib.ChannelModel | null = null;
  private channel: amqplib.Channel | null = null;
  private next = 0;
  constructor(private readonly urls: string[]) {}

  async depth(): Promise<{ queue: number; dead: number } | null> {
    for (let attempt = 0; attempt < this.urls.length; attempt++) {
      try {
        if (!this.channel) {
          const url = this.urls[this.next++ % this.urls.length];
          this.connection = await amqplib.connect(url, { timeout: 2000 });
          this.connection.on('error', () => undefined);
          this.connection.on('close', () => {
            this.connection = null;
            this.channel = null;
          });
          this.channel = await this.connection.createChannel();
          this.channel.on('error', () => undefined);
        }
        const queue = (await this.channel.checkQueue(SOLUTION_QUEUE)).messageCount;
        const dead = (await this.channel.checkQueue(DEAD_LETTER_QUEUE)).messageCount;
        return { queue, dead };
      } catch {
        await this.close();
      }
    }
    return null;
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = null;
    this.channel = null;
    await c?.close().catch(() => undefined);
  }
}

/**
 * Waits until the queue is empty, every pool block deep enough is shared out (or orphaned), and
 * no payment is in flight: the state the verdict judges.
 */
async function settle(run: SoakRun, queues: QueueProbe): Promise<void> {
  const log = run.options.log;
  const until = Date.now() + 240_000;
  let empty = 0;
  while (Date.now() < until) {
    const depth = await queues.depth();
    empty = depth && depth.queue === 0 ? empty + 1 : 0;
    if (empty >= 3) break;
    await sleep(1000);
  }
  log(`queue drained (${empty >= 3 ? 'empty' : 'NOT empty'})`);
  const mysql = await import('mysql2/promise');
  const c = await mysql.createConnection({
    uri: `${run.db.adminUrl}/purepool_${run.options.name}`,
  });
  try {
    while (Date.now() < until) {
      const status = await rpcCall<{ height: number }>(
        run.state.nodeRpcUrl,
        'sim_status',
        [],
        5000,
      );
      const [[row]] = await c.query<import('mysql2/promise').RowDataPacket[]>(
        `SELECT
           (SELECT COUNT(*) FROM block WHERE is_pool_block = 1 AND status IN ('pending', 'mature')
             AND height <= ?) AS unshared,
           (SELECT COUNT(*) FROM payment WHERE status = 'intent' AND error IS NULL) AS inflight`,
        [status.height - SOAK_MATURITY - 3],
      );
      if (Number(row.unshared) === 0 && Number(row.inflight) === 0) {
        log(`settled at height ${status.height}`);
        return;
      }
      await sleep(2000);
    }
    log('did NOT settle within 4 minutes (the verdict judges the state as it is)');
  } finally {
    await c.end();
  }
}

/** Kills what a previous soak left behind (its state file, its MariaDB) and removes its state. */
export async function cleanLeftovers(stateDir: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(stateDir)) return;
  await clusterDown(path.join(stateDir, 'cluster'), log).catch(() => undefined);
  const pidFile = path.join(stateDir, 'mariadb', 'mariadbd.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0 && isAlive(pid)) killGroup(pid, 'SIGKILL');
  }
  for (const line of survivors([], stateDir)) {
    const pid = Number(line.split(' ')[0]);
    killGroup(pid, 'SIGKILL');
  }
  rmSync(stateDir, { recursive: true, force: true });
}

/** Stops everything the soak started (process groups, children included) and removes its state. */
export async function teardown(run: SoakRun | null, options: SoakOptions): Promise<string[]> {
  const log = options.log;
  // Every process's log goes next to the report before the state is removed.
  for (const dir of ['cluster/logs', 'wallets']) {
    const from = path.join(options.stateDir, dir);
    if (existsSync(from))
      cpSync(from, path.join(options.outDir, 'logs'), { recursive: true, force: true });
  }
  const dbLog = path.join(options.stateDir, 'mariadb', 'mariadbd.log');
  if (existsSync(dbLog)) cpSync(dbLog, path.join(options.outDir, 'logs', 'mariadbd.log'));
  if (run) {
    for (const t of run.tracked.filter((x) => x.role === 'wallets'))
      for (const p of t.pids) killGroup(p.pid, 'SIGKILL');
  }
  await clusterDown(path.join(options.stateDir, 'cluster'), log).catch((error: Error) =>
    log(`cluster:down failed: ${error.message}`),
  );
  if (run) await run.db.stop();
  await sleep(500);
  const left = run ? survivors(run.tracked, options.stateDir) : [];
  for (const line of left) killGroup(Number(line.split(' ')[0]), 'SIGKILL');
  if (left.length === 0) rmSync(options.stateDir, { recursive: true, force: true });
  return left;
}
