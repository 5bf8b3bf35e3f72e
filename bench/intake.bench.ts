// `npm run bench:intake`: the `solution` action against ROLE=frontend with publisher confirms,
// loaded three ways (keep-alive, one new connection per request as classic wallets do, one new TLS
// connection per request as Evo wallets do). Prints req/s and p50/p99 per way, and checks queued
// messages = `ok` answers.
import amqplib from 'amqplib';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomAddress } from '../src/biblepay/address';
import { SOLUTION_QUEUE } from '../src/messaging/broker-topology';
import { wellFormedSolution } from '../test/support/solutions';
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

const KEEP_ALIVE_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150_000);
const CONNECT_REQUESTS = Number(process.env.BENCH_CONNECT_REQUESTS ?? 30_000);
const TLS_REQUESTS = Number(process.env.BENCH_TLS_REQUESTS ?? 15_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function main(): Promise<void> {
  const env = await createBenchEnv('intake');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-bench-'));
  const { cert, key } = benchCertificate(dir);
  const port = Number(process.env.BENCH_PORT ?? 18101);
  const frontendEnv = {
    ROLE: 'frontend',
    DATABASE_URL: env.urls.frontendDb,
    AMQP_URL: env.urls.frontendMq,
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: env.poolAddress.main,
    ACTION_KEEP_ALIVE: 'true',
  };
  const plain = await startRoleProcess(frontendEnv, port);
  const secure = await startRoleProcess(
    { ...frontendEnv, TLS_CERT_FILE: cert, TLS_KEY_FILE: key },
    port + 2,
  );
  const broker = await amqplib.connect(env.urls.backendMq);
  const channel = await broker.createChannel();
  try {
    const miners = Array.from({ length: 1000 }, () => randomAddress('main'));
    const solutions = Array.from({ length: 1000 }, () => wellFormedSolution());
    const load: WalletLoad = {
      call: (i) => ({
        action: 'solution',
        miner: `${miners[i % miners.length]}/rig${i % 3}`,
        solution: solutions[i % solutions.length],
        threadId: i % 8,
      }),
      isSuccess: (answer) => answer.includes('<STATUS>ok</STATUS>'),
    };

    await keepAliveLoad(plain.url, CONNECTIONS, 5000, load); // warm-up
    await channel.purgeQueue(SOLUTION_QUEUE);
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
    const queued = (await channel.checkQueue(SOLUTION_QUEUE)).messageCount;
    const ok = Object.values(modes).reduce((sum, m) => sum + m.successes, 0);
    reportModes('intake', modes, {
      ok_answers: ok,
      queued_messages: queued,
      queued_matches_ok: queued === ok,
    });
    await channel.purgeQueue(SOLUTION_QUEUE);
  } finally {
    await broker.close();
    await Promise.all([plain.stop(), secure.stop()]);
    await env.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
