// `npm run bench:getwork`: readytomine2 against ROLE=frontend on MariaDB with 1,000 rotating miner
// addresses × 3 workers, loaded three ways (keep-alive, one new connection per request as classic
// wallets do, one new TLS connection per request as Evo wallets do). Prints req/s and p50/p99 per
// way, and checks work rows = successful answers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { randomAddress } from '../src/biblepay/address';
import { createBenchEnv, startRoleProcess } from './support/bench-env';
import {
  benchCertificate,
  connectionPerRequestLoad,
  keepAliveLoad,
  LoadMode,
  ModeFigures,
  reportModes,
  WalletLoad,
} from './support/wallet-load';

const KEEP_ALIVE_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 120_000);
const CONNECT_REQUESTS = Number(process.env.BENCH_CONNECT_REQUESTS ?? 30_000);
const TLS_REQUESTS = Number(process.env.BENCH_TLS_REQUESTS ?? 15_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MINERS = 1000;
const WORKERS = 3;

async function main(): Promise<void> {
  const env = await createBenchEnv('getwork');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-bench-'));
  const { cert, key } = benchCertificate(dir);
  const port = Number(process.env.BENCH_PORT ?? 18100);
  const frontendEnv = {
    ROLE: 'frontend',
    DATABASE_URL: env.urls.frontendDb,
    AMQP_URL: env.urls.frontendMq,
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: env.poolAddress.main,
    DATABASE_POOL_SIZE: '8',
    ACTION_KEEP_ALIVE: 'true',
  };
  const plain = await startRoleProcess(frontendEnv, port);
  const secure = await startRoleProcess(
    { ...frontendEnv, TLS_CERT_FILE: cert, TLS_KEY_FILE: key },
    port + 2,
  );
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
    await keepAliveLoad(plain.url, CONNECTIONS, workerIds.length * 2, load);
    const db = await mysql.createConnection({ uri: env.urls.adminDb });
    const workRows = async (): Promise<number> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM work');
      return Number(row.n);
    };
    const before = await workRows();
    // A fixed request count per way (not a duration) so every answer is read.
    const modes: Record<LoadMode, ModeFigures> = {
      keep_alive: await keepAliveLoad(plain.url, CONNECTIONS, KEEP_ALIVE_REQUESTS, load),
      new_connection: await connectionPerRequestLoad(
        plain.url,
        CONNECTIONS,
        CONNECT_REQUESTS,
        load,
      ),
      new_tls_connection: await connectionPerRequestLoad(
        secure.url,
        CONNECTIONS,
        TLS_REQUESTS,
        load,
      ),
    };
    const written = (await workRows()) - before;
    const [[workers]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM worker');
    await db.end();
    const successes = Object.values(modes).reduce((sum, m) => sum + m.successes, 0);
    reportModes('getwork', modes, {
      work_rows: written,
      work_rows_match: written === successes,
      workers: Number(workers.n),
    });
  } finally {
    await Promise.all([plain.stop(), secure.stop()]);
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
