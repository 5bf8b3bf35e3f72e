// `npm run bench:solutions`: queue N valid solutions (plus a share of invalid ones) through a real
// frontend, then start one backend and time it until the queue drains. Prints solutions/s and the
// accepted/rejected counts; the last line is one JSON object.
import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import { solutionQueueNames } from '../src/messaging/broker-topology';
import { craftShares, submitShares } from '../test/support/share-factory';
import { report, rssMb, startBenchPool, startBenchRole } from './support/bench-env';

const VALID = Number(process.env.BENCH_SOLUTIONS ?? 20_000);
const INVALID_EVERY = 10; // one share in ten is bent (above target, wrong recipient, bad bible hash)

async function main(): Promise<void> {
  const pool = await startBenchPool('solutions');
  const { env, node } = pool;
  const frontend = await startBenchRole(pool, 'frontend');
  const broker = await amqplib.connect(env.urls.backendMq);
  const channel = await broker.createChannel();
  const db = await mysql.createConnection({ uri: env.urls.adminDb });
  try {
    const total = Math.round(VALID * (INVALID_EVERY / (INVALID_EVERY - 1)));
    const bent = ['above-target', 'wrong-recipient', 'bad-biblehash'] as const;
    const invalid = Array.from({ length: total }, (_, i) => i).filter(
      (i) => i % INVALID_EVERY === INVALID_EVERY - 1,
    ).length;
    console.log(`crafting ${total} shares (${invalid} invalid) ...`);
    const shares = await craftShares({
      pool: frontend.url,
      node: node.url,
      count: total,
      miners: 500,
      misbehave: (i) => (i % INVALID_EVERY === INVALID_EVERY - 1 ? bent[i % bent.length] : 'none'),
    });
    const ok = await submitShares(frontend.url, shares);
    // A broker message may carry several solutions (the frontend's group commit): count `ok`s.
    let queuedMessages = 0;
    for (const queue of solutionQueueNames(env.setup.solutionQueue.shards))
      queuedMessages += (await channel.checkQueue(queue)).messageCount;
    const queued = ok;
    console.log(
      `queued ${ok} solutions in ${queuedMessages} broker messages; starting one backend ...`,
    );

    const backend = await startBenchRole(pool, 'backend');
    const recorded = async (): Promise<{ accepted: number; rejected: number }> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        'SELECT (SELECT COUNT(*) FROM solution) a, (SELECT COUNT(*) FROM rejected_solution) r',
      );
      return { accepted: Number(row.a), rejected: Number(row.r) };
    };
    let first: { at: number; n: number } | undefined;
    let last = { at: Date.now(), accepted: 0, rejected: 0 };
    const deadline = Date.now() + 15 * 60_000;
    while (Date.now() < deadline) {
      const c = await recorded();
      const n = c.accepted + c.rejected;
      if (!first && n > 0) first = { at: Date.now(), n };
      last = { at: Date.now(), ...c };
      if (n >= queued) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const backendRss = rssMb(backend.child.pid);
    await backend.stop();
    const processed = last.accepted + last.rejected;
    const seconds = first ? (last.at - first.at) / 1000 : NaN;
    report('solutions', {
      queued,
      queued_messages: queuedMessages,
      accepted: last.accepted,
      rejected: last.rejected,
      drained: processed === queued,
      seconds: Math.round(seconds * 100) / 100,
      solutions_per_sec: Math.round((processed - (first?.n ?? 0)) / seconds),
      queue_type: env.setup.solutionQueue.type,
      rss_mb_backend: backendRss,
      rss_mb_frontend: rssMb(frontend.child.pid),
    });
  } finally {
    await db.end();
    await broker.close();
    await frontend.stop();
    await pool.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
