// `npm run bench:getwork`: readytomine2 against ROLE=frontend on MariaDB with 1,000 rotating miner
// addresses × 3 workers. Prints req/s, p50/p99 latency, errors, and checks work rows = successes.
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { randomAddress } from '../src/biblepay/address';
import { createBenchEnv, report, startRoleProcess } from './support/bench-env';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 120_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MINERS = 1000;
const WORKERS = 3;

async function main(): Promise<void> {
  const env = await createBenchEnv('getwork');
  const frontend = await startRoleProcess(
    {
      ROLE: 'frontend',
      DATABASE_URL: env.urls.frontendDb,
      AMQP_URL: env.urls.frontendMq,
      NETWORKS: 'main',
      POOL_ADDRESS_MAIN: env.poolAddress.main,
      DATABASE_POOL_SIZE: '8',
    },
    Number(process.env.BENCH_PORT ?? 18100),
  );
  try {
    const workerIds: string[] = [];
    for (let m = 0; m < MINERS; m++) {
      const address = randomAddress('main');
      for (let w = 0; w < WORKERS; w++) workerIds.push(`${address}/rig${w}`);
    }
    let next = 0;
    let successes = 0;
    let protocolErrors = 0;
    // A fixed request count (not a duration) so every response is read: work rows must equal successes.
    const run = (amount: number) =>
      autocannon({
        url: `${frontend.url}/Action.aspx`,
        connections: CONNECTIONS,
        amount,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const miner = workerIds[next++ % workerIds.length];
              return {
                ...req,
                headers: {
                  'User-Agent': 'Mozilla/5.0/1.1.9.3',
                  Action: 'readytomine2',
                  Agent: '1.1.9.3',
                  Miner: miner,
                  NetworkID: 'main',
                  OS: 'LIN',
                  Solution: '',
                  ThreadID: String(next % 8),
                },
                body: 'readytomine2',
              };
            },
            onResponse: (_status, body) => {
              if (body.includes('<WORKID>')) successes++;
              else protocolErrors++;
            },
          },
        ],
      });

    // Warm-up: every miner and worker gets created (first getworks) before the measured run.
    await run(workerIds.length * 2);
    const db = await mysql.createConnection({ uri: env.urls.adminDb });
    const [[before]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM work');
    successes = 0;
    protocolErrors = 0;
    const result = await run(REQUESTS);
    const [[after]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM work');
    const [[miners]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM worker');
    await db.end();
    const workRows = Number(after.n) - Number(before.n);
    report('getwork', {
      requests: REQUESTS,
      duration_s: result.duration,
      connections: CONNECTIONS,
      requests_per_sec: Math.round(successes / result.duration),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      successes,
      protocol_errors: protocolErrors,
      transport_errors: result.errors + result.timeouts + result.non2xx,
      work_rows: workRows,
      work_rows_match: workRows === successes,
      workers: Number(miners.n),
    });
  } finally {
    await frontend.stop();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
