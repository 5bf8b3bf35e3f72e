import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import {
  clusterDown,
  clusterUp,
  ClusterState,
  defaultClusterOptions,
  waitHealthy,
} from '../../scripts/cluster/local-cluster';
import { nodePid } from '../../scripts/cluster/rabbit-cluster';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { runSimMiner, SimMinerSummary, defaultSimMinerOptions } from '../../sim/miner/sim-miner';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const MINING_SECONDS = Number(process.env.CLUSTER_TEST_SECONDS ?? 75);
const log = (line: string): void => console.log(`test:cluster: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** kill -9: no shutdown hook runs, connections drop mid-flight. */
function crash(pid: number, what: string): void {
  log(`kill -9 ${what} (pid ${pid})`);
  process.kill(pid, 'SIGKILL');
}

async function recorded(
  db: mysql.Connection,
): Promise<{ solutions: number; rejected: Record<string, number> }> {
  const [[{ n }]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM solution');
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    'SELECT reason, COUNT(*) AS n FROM rejected_solution GROUP BY reason',
  );
  return {
    solutions: Number(n),
    rejected: Object.fromEntries(rows.map((r) => [String(r.reason), Number(r.n)])),
  };
}

describe('a clustered pool survives kill -9 of a broker node, a frontend and a backend', () => {
  const options = {
    ...defaultClusterOptions(),
    name: 'failover',
    stateDir: path.join(ROOT, '.cluster-test'),
    portBase: Number(process.env.CLUSTER_TEST_PORT_BASE ?? 28000),
    // Blocks every few seconds with maturity 5: pool blocks are shared out (and paid) during the
    // run, so the audit checks a ledger that the failures happened under.
    blockSeconds: 4,
  };
  let state: ClusterState;
  let db: mysql.Connection;

  beforeAll(async () => {
    await clusterDown(options.stateDir, log); // a previous run that died half-way
    state = await clusterUp(options, log);
    const url = new URL(state.setupEnv.BACKEND_DATABASE_URL);
    db = await mysql.createConnection({
      uri: `mysql://root@127.0.0.1:3306${url.pathname}`,
    });
  });

  afterAll(async () => {
    await db?.end();
    await clusterDown(options.stateDir, log);
  });

  it('records every share answered ok exactly once, the audit passes, errors stay a brief burst', async () => {
    const proc = (name: string) => {
      const found = state.processes.find((p) => p.name === name);
      if (!found) throw new Error(`no ${name}`);
      return found;
    };
    // every role process is logged in to MariaDB as a user of its own
    const [sessions] = await db.query<mysql.RowDataPacket[]>(
      'SELECT DISTINCT USER u FROM information_schema.PROCESSLIST WHERE DB = DATABASE() ORDER BY u',
    );
    const database = new URL(state.setupEnv.BACKEND_DATABASE_URL).pathname.slice(1);
    expect(sessions.map((r) => r.u as string).filter((u) => u !== 'root')).toEqual(
      ['be1', 'be2', 'fe1', 'fe2'].map((suffix) => `${database}_${suffix}`),
    );
    const answeredOk: string[] = [];
    const mining: Promise<SimMinerSummary> = runSimMiner({
      ...defaultSimMinerOptions(),
      pool: state.balancerUrl,
      node: state.nodeRpcUrl,
      miners: 4,
      workers: 2,
      threads: 1,
      shareSeconds: 0.25,
      durationSeconds: MINING_SECONDS,
      log: () => undefined,
      onSolutionAnswer: ({ bibleHash, ok }) => {
        if (ok) answeredOk.push(bibleHash);
      },
    });
    const step = (MINING_SECONDS * 1000) / 5;
    await sleep(step);
    crash(
      nodePid(state.nodes[0]),
      `RabbitMQ node ${state.nodes[0].name} (the queues' first leader)`,
    );
    await sleep(step);
    crash(proc('frontend1').pid, 'frontend1');
    await sleep(step);
    crash(proc('backend1').pid, 'backend1');
    const summary = await mining;
    const errors = Object.values(summary.errors).reduce((a, b) => a + b, 0);
    log(
      `miners: ${summary.sharesSent} shares sent, ${summary.accepted} answered ok, ${errors} protocol errors ${JSON.stringify(summary.errors)}, ${summary.getworks} getworks`,
    );

    // Drain: the surviving backend empties the queue (through the surviving broker nodes).
    const connection = await amqplib.connect(state.setupEnv.BACKEND_AMQP_URL.split(',')[1]);
    try {
      const channel = await connection.createChannel();
      const until = Date.now() + 60_000;
      while ((await channel.checkQueue(SOLUTION_QUEUE)).messageCount > 0 && Date.now() < until)
        await sleep(500);
      expect((await channel.checkQueue(SOLUTION_QUEUE)).messageCount).toBe(0);
    } finally {
      await connection.close();
    }
    await sleep(3000); // the last batch's commit after its messages left the ready count
    const [[blocks]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS pool, SUM(shared_out_at IS NOT NULL) AS shared FROM block WHERE is_pool_block = 1',
    );
    log(`pool blocks: ${blocks.pool}, shared out: ${blocks.shared ?? 0}`);
    const rows = await recorded(db);
    const total = rows.solutions + Object.values(rows.rejected).reduce((a, b) => a + b, 0);
    log(`recorded: ${rows.solutions} solutions, rejections ${JSON.stringify(rows.rejected)}`);

    // Every ok is recorded; nothing is recorded twice (a redelivered message keeps its id, a second
    // copy of a share would be a duplicate_bible_hash rejection); an errored share may or may not
    // have reached the queue before its connection died, so the total lies between the two counts.
    expect(summary.accepted).toBeGreaterThan(MINING_SECONDS * 10);
    expect(total).toBeGreaterThanOrEqual(summary.accepted);
    expect(total).toBeLessThanOrEqual(summary.sharesSent);
    expect(rows.rejected.duplicate_bible_hash ?? 0).toBe(0);
    // Share by share: each bible hash answered ok is in exactly one row (accepted or rejected).
    expect(answeredOk).toHaveLength(summary.accepted);
    const [perHash] = await db.query<mysql.RowDataPacket[]>(
      `SELECT bible_hash, COUNT(*) AS n FROM (
         SELECT bible_hash FROM solution UNION ALL
         SELECT bible_hash FROM rejected_solution WHERE bible_hash IS NOT NULL) AS recorded_rows
        GROUP BY bible_hash`,
    );
    const counts = new Map(perHash.map((r) => [String(r.bible_hash), Number(r.n)]));
    const notOnce = answeredOk.filter((hash) => counts.get(hash) !== 1);
    expect(notOnce).toEqual([]);
    expect(errors).toBeLessThanOrEqual(Math.max(40, summary.sharesSent * 0.05));

    // The survivors are healthy and the ledger adds up.
    await waitHealthy(`http://127.0.0.1:${proc('frontend2').port}/health`, 'frontend2', 30_000);
    await waitHealthy(`http://127.0.0.1:${proc('backend2').port}/health`, 'backend2', 30_000);
    const backendEnv = { ...process.env, ...proc('backend2').env, RUN_BACKGROUND_WORK: 'false' };
    const audit = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'src/cli/main.ts', 'audit'],
      {
        cwd: ROOT,
        env: backendEnv,
        timeout: 120_000,
      },
    );
    log(`audit: ${audit.stdout.trim()}`);
    expect(audit.stdout).toMatch(/main: OK/);
    expect(Number(blocks.shared)).toBeGreaterThan(0);
  });
});
