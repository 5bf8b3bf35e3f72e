// `npm run bench:getwork`: readytomine2 against ROLE=frontend on MariaDB with 1,000 rotating miner
// addresses × 3 workers, loaded three ways (keep-alive, one new connection per request as classic
// wallets do, one new TLS connection per request as Evo wallets do). Prints req/s and p50/p99 per
// way, and checks work rows = successful answers.
import mysql from 'mysql2/promise';
import { randomAddress } from '../src/biblepay/address';
import { childRssMb, createBenchEnv, rssMb } from './support/bench-env';
import {
  GroupProbe,
  keepAliveLoad,
  loadThreeWays,
  reportModes,
  startLoadFrontends,
  WalletLoad,
} from './support/wallet-load';

const KEEP_ALIVE_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 120_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MINERS = 1000;
const WORKERS = 3;
/** The work writer's group commit: rows per INSERT, INSERTs (= MariaDB commits) per second. */
const PROBE: GroupProbe = {
  metric: 'purepool_work_insert_rows',
  perGroup: 'rows_per_insert',
  perSecond: 'commits_per_sec',
};

async function main(): Promise<void> {
  const env = await createBenchEnv('getwork');
  // BENCH_FRONTEND_PROCESSES=2: each frontend runs FRONTEND_PROCESSES workers on its port.
  const processes = process.env.BENCH_FRONTEND_PROCESSES ?? '1';
  const frontends = await startLoadFrontends(env, Number(process.env.BENCH_PORT ?? 18100), {
    DATABASE_POOL_SIZE: '8',
    FRONTEND_PROCESSES: processes,
  });
  try {
    const workerIds: string[] = [];
    for (let m = 0; m < MINERS; m++) {
      const address = randomAddress('main');
      for (let w = 0; w < WORKERS; w++) workerIds.push(`${address}/rig${w}`);
    }
    const load: WalletLoad = {
      call: (i) => ({
        action: 'readytomine2',
        miner: workerIds[i % workerIds.length],
        threadId: i % 8,
      }),
      isSuccess: (answer) => answer.includes('<WORKID>'),
    };

    // Warm-up: every miner and worker gets created (first getworks) before the measured runs.
    await keepAliveLoad(frontends.plain.url, CONNECTIONS, workerIds.length * 2, load);
    const db = await mysql.createConnection({ uri: env.urls.adminDb });
    const workRows = async (): Promise<number> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM work');
      return Number(row.n);
    };
    const before = await workRows();
    const modes = await loadThreeWays(frontends, CONNECTIONS, KEEP_ALIVE_REQUESTS, load, PROBE);
    const written = (await workRows()) - before;
    const [[workers]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM worker');
    await db.end();
    const successes = Object.values(modes).reduce((sum, m) => sum + m.successes, 0);
    reportModes(
      'getwork',
      modes,
      {
        rss_mb_frontend: rssMb(frontends.plain.child.pid),
        rss_mb_frontend_tls: rssMb(frontends.secure.child.pid),
        frontend_processes: Number(processes),
        rss_mb_frontend_worker: childRssMb(frontends.plain.child.pid),
        work_rows: written,
        work_rows_match: written === successes,
        workers: Number(workers.n),
      },
      PROBE,
    );
  } finally {
    await frontends.stop();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
