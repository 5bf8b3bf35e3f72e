// `npm run bench:intake`: the `solution` action against ROLE=frontend with publisher confirms,
// loaded three ways (keep-alive, one new connection per request as classic wallets do, one new TLS
// connection per request as Evo wallets do). Prints req/s and p50/p99 per way, and checks queued
// messages = `ok` answers.
import amqplib from 'amqplib';
import { randomAddress } from '../src/biblepay/address';
import { solutionQueueNames } from '../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../src/messaging/solution-message';
import { wellFormedSolution } from '../test/support/solutions';
import { childRssMb, createBenchEnv, rssMb } from './support/bench-env';
import {
  GroupProbe,
  keepAliveLoad,
  loadThreeWays,
  reportModes,
  startLoadFrontends,
  WalletLoad,
} from './support/wallet-load';

const KEEP_ALIVE_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 150_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** The publisher's group commit: solutions per broker message, confirmed messages per second. */
const PROBE: GroupProbe = {
  metric: 'purepool_solution_publish_size',
  perGroup: 'solutions_per_publish',
  perSecond: 'publishes_per_sec',
};

async function main(): Promise<void> {
  const env = await createBenchEnv('intake');
  // BENCH_FRONTEND_PROCESSES=2: each frontend runs FRONTEND_PROCESSES workers on its port.
  const workers = process.env.BENCH_FRONTEND_PROCESSES ?? '1';
  const frontends = await startLoadFrontends(env, Number(process.env.BENCH_PORT ?? 18101), {
    FRONTEND_PROCESSES: workers,
  });
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

    const queues = solutionQueueNames(env.setup.solutionQueue.shards);
    await keepAliveLoad(frontends.plain.url, CONNECTIONS, 5000, load); // warm-up
    for (const queue of queues) await channel.purgeQueue(queue);
    const modes = await loadThreeWays(frontends, CONNECTIONS, KEEP_ALIVE_REQUESTS, load, PROBE);
    let queuedMessages = 0;
    let queued = 0;
    for (const queue of queues) {
      const messages = (await channel.checkQueue(queue)).messageCount;
      queuedMessages += messages;
      queued += await takeQueuedSolutions(channel, queue, messages);
    }
    const ok = Object.values(modes).reduce((sum, m) => sum + m.successes, 0);
    reportModes(
      'intake',
      modes,
      {
        queue_type: env.setup.solutionQueue.type,
        queue_shards: queues.length,
        rss_mb_frontend: rssMb(frontends.plain.child.pid),
        rss_mb_frontend_tls: rssMb(frontends.secure.child.pid),
        frontend_processes: Number(workers),
        rss_mb_frontend_worker: childRssMb(frontends.plain.child.pid),
        ok_answers: ok,
        queued_messages: queuedMessages,
        queued_solutions: queued,
        solutions_per_message: Math.round((queued / Math.max(1, queuedMessages)) * 10) / 10,
        publish_batch_max: Number(process.env.SOLUTION_PUBLISH_BATCH_MAX ?? 64),
        queued_matches_ok: queued === ok,
      },
      PROBE,
    );
    for (const queue of queues) await channel.purgeQueue(queue);
  } finally {
    await broker.close();
    await frontends.stop();
    await env.teardown();
  }
}

/** Consumes the queue's messages and counts the solutions they carry (a group message holds several). */
async function takeQueuedSolutions(
  channel: amqplib.Channel,
  queue: string,
  messages: number,
): Promise<number> {
  let seen = 0;
  let solutions = 0;
  await channel.prefetch(2000);
  await new Promise<void>((resolve, reject) => {
    if (messages === 0) return resolve();
    channel
      .consume(queue, (message) => {
        if (!message) return;
        solutions += decodeSolutionMessages(message.content).length;
        channel.ack(message);
        if (++seen === messages) resolve();
      })
      .catch(reject);
  });
  return solutions;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
