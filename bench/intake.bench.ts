// `npm run bench:intake`: the `solution` action against ROLE=frontend with publisher confirms.
// Prints req/s, p50/p99 latency, errors, and checks queued messages = `ok` answers.
import amqplib from 'amqplib';
import autocannon from 'autocannon';
import { randomAddress } from '../src/biblepay/address';
import { SOLUTION_QUEUE } from '../src/messaging/broker-topology';
import { wellFormedSolution } from '../test/support/solutions';
import { createBenchEnv, report, startRoleProcess } from './support/bench-env';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function main(): Promise<void> {
  const env = await createBenchEnv('intake');
  const frontend = await startRoleProcess(
    {
      ROLE: 'frontend',
      DATABASE_URL: env.urls.frontendDb,
      AMQP_URL: env.urls.frontendMq,
      NETWORKS: 'main',
      POOL_ADDRESS_MAIN: env.poolAddress.main,
    },
    Number(process.env.BENCH_PORT ?? 18101),
  );
  const broker = await amqplib.connect(env.urls.backendMq);
  const channel = await broker.createChannel();
  try {
    const miners = Array.from({ length: 1000 }, () => randomAddress('main'));
    const solutions = Array.from({ length: 1000 }, () => wellFormedSolution());
    let next = 0;
    let ok = 0;
    let refused = 0;
    const run = (amount: number) =>
      autocannon({
        url: `${frontend.url}/Action.aspx`,
        connections: CONNECTIONS,
        amount,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const i = next++;
              return {
                ...req,
                headers: {
                  'User-Agent': 'Mozilla/5.0/1.1.9.3',
                  Action: 'solution',
                  Agent: '1.1.9.3',
                  Miner: `${miners[i % miners.length]}/rig${i % 3}`,
                  NetworkID: 'main',
                  OS: 'LIN',
                  Solution: solutions[i % solutions.length],
                  ThreadID: String(i % 8),
                },
                body: 'solution',
              };
            },
            onResponse: (_status, body) => {
              if (body.includes('<STATUS>ok</STATUS>')) ok++;
              else refused++;
            },
          },
        ],
      });

    await run(5000); // warm-up
    await channel.purgeQueue(SOLUTION_QUEUE);
    ok = 0;
    refused = 0;
    const result = await run(REQUESTS);
    const queued = (await channel.checkQueue(SOLUTION_QUEUE)).messageCount;
    report('intake', {
      requests: REQUESTS,
      duration_s: result.duration,
      connections: CONNECTIONS,
      requests_per_sec: Math.round(ok / result.duration),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      ok_answers: ok,
      error_answers: refused,
      transport_errors: result.errors + result.timeouts + result.non2xx,
      queued_messages: queued,
      queued_matches_ok: queued === ok,
    });
    await channel.purgeQueue(SOLUTION_QUEUE);
  } finally {
    await broker.close();
    await frontend.stop();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
