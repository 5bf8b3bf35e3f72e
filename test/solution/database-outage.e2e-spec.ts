import type { Channel, ChannelModel } from 'amqplib';
import type mysql from 'mysql2/promise';
import { DEAD_LETTER_QUEUE, SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../../src/messaging/solution-message';
import { SimNodeHandle } from '../../sim/node/sim-node';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import {
  adminDb,
  backendBroker,
  eventually,
  queueDepth,
  RunningApp,
  startRole,
} from '../support/harness';
import { startTestSimNode, TEST_HASH_TARGET } from '../support/pool-fixture';
import { craftShares, inBatches } from '../support/share-factory';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { roleUrls } from '../support/test-env';

/** The database's outage as the run takes it: 30 s, as issue 25 states it. */
const OUTAGE_MS = 30_000;
const SHARES = 2000;

interface Health {
  status: number;
  database?: string;
  /** What the solution consumer holds batches unacked for. */
  waitingFor?: string[];
}

async function health(url: string): Promise<Health> {
  try {
    const res = await fetch(`${url}/health`);
    const body = (await res.json()) as {
      details?: Record<string, { status: string; waiting?: Record<string, unknown> }>;
    };
    return {
      status: res.status,
      database: body.details?.database?.status,
      waitingFor: Object.keys(body.details?.solutions?.waiting ?? {}),
    };
  } catch {
    return { status: 0 };
  }
}

async function batchesWaitingForDatabase(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = /^purepool_solution_batches_waiting\{reason="database"\} (\d+)/m.exec(text);
  return line ? Number(line[1]) : -1;
}

/**
 * MariaDB stopped for 30 s under a 2,000-share burst (issue 25, item 5). Both roles reach the
 * database through a TCP proxy the test stops (connections dropped, the port refusing) and resumes,
 * so the run's real MariaDB, which every other test uses, stays up. Every share the frontend
 * answered `ok` for must be recorded exactly once, and nothing dead-lettered: a database outage is
 * waited out like a node outage, it is no fault of the shares.
 */
describe('MariaDB stopped 30 s under a 2,000-share burst', () => {
  let proxy: TcpProxy;
  let node: SimNodeHandle;
  let frontend: RunningApp;
  let backend: RunningApp | undefined;
  let db: mysql.Connection;
  let broker: { connection: ChannelModel; channel: Channel };
  let env: Record<string, string>;

  beforeAll(async () => {
    const real = new URL(roleUrls().backendDatabaseUrl);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 3306) });
    node = await startTestSimNode();
    env = {
      POOL_HASH_TARGET: TEST_HASH_TARGET,
      NETWORKS: 'main',
      NODE_RPC_URL_MAIN: node.url,
      NODE_TIP_REFRESH_MS: '0',
      SOLUTION_BATCH_WAIT_MS: '5',
    };
    frontend = await startRole('frontend', {
      ...env,
      DATABASE_URL: proxy.via(roleUrls().frontendDatabaseUrl),
    });
    db = await adminDb();
    broker = await backendBroker();
  });
  afterAll(async () => {
    await proxy?.resume();
    await backend?.close();
    await frontend?.close();
    await node?.close();
    await proxy?.close();
    await db?.end();
    await broker?.connection.close();
  });

  it('records every share answered ok exactly once and dead-letters none', async () => {
    const shares = await craftShares({ pool: frontend.url, node: node.url, count: SHARES });
    const workIds = shares.map((s) => s.workId);
    const recorded = async (): Promise<{ accepted: number; rejected: number; twice: number }> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        `SELECT (SELECT COUNT(DISTINCT work_id) FROM solution WHERE work_id IN (?)) AS accepted,
                (SELECT COUNT(*) - COUNT(DISTINCT work_id) FROM solution WHERE work_id IN (?)) AS twice,
                (SELECT COUNT(*) FROM rejected_solution WHERE work_id IN (?)) AS rejected`,
        [workIds, workIds, workIds],
      );
      return {
        accepted: Number(row.accepted),
        rejected: Number(row.rejected),
        twice: Number(row.twice),
      };
    };

    backend = await startRole('backend', {
      ...env,
      DATABASE_URL: proxy.via(roleUrls().backendDatabaseUrl),
      // Small batches, one at a time: the outage finds most of the burst still to record.
      SOLUTION_BATCH_MAX: '50',
      SOLUTION_BATCHES_IN_FLIGHT: '1',
      NODE_RETRY_MAX_SECONDS: '1',
    });
    const backendUrl = backend.url;

    // The burst: every share as a wallet sends it; `ok` kept per share.
    const answeredOk = new Set<string>();
    const burst = inBatches(shares, 32, async (s) => {
      const answer = await walletRequest({
        pool: frontend.url,
        action: 'solution',
        miner: s.workerId,
        network: 'main',
        solution: s.solution,
      });
      if (answer.body.includes('<STATUS>ok</STATUS>')) answeredOk.add(s.workId);
    });

    await eventually(
      () => recorded(),
      (c) => c.accepted >= 100,
      60_000,
    );
    await proxy.stop();
    const stoppedAt = Date.now();
    expect((await recorded()).accepted).toBeLessThan(SHARES);

    // While it is down: the backend says so — the database down, the consumer holding batches for
    // it — and a wallet's getwork gets a protocol answer.
    const down = await eventually(
      () => health(backendUrl),
      (h) => h.status === 503 && h.waitingFor?.length === 1,
      15_000,
    );
    expect(down).toEqual({ status: 503, database: 'down', waitingFor: ['database'] });
    expect(await batchesWaitingForDatabase(backendUrl)).toBe(1);
    expect(await health(frontend.url)).toMatchObject({ status: 503, database: 'down' });
    const getwork = await walletRequest({
      pool: frontend.url,
      action: 'readytomine2',
      miner: shares[0].workerId,
      network: 'main',
    });
    expect(getwork.body).toContain('<ERROR>');

    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    await proxy.resume();
    await burst;
    // The intake needs only the broker: the outage refused no wallet.
    expect(answeredOk.size).toBe(SHARES);

    const final = await eventually(
      () => recorded(),
      (c) => c.accepted >= answeredOk.size,
      180_000,
    );
    expect(final).toEqual({ accepted: SHARES, rejected: 0, twice: 0 });
    expect(
      await eventually(
        () => queueDepth(broker.channel, SOLUTION_QUEUE),
        (n) => n === 0,
      ),
    ).toBe(0);

    // Nothing of the burst in the dead-letter queue.
    const dead: string[] = [];
    for (;;) {
      const message = await broker.channel.get(DEAD_LETTER_QUEUE, { noAck: false });
      if (message === false) break;
      for (const m of decodeSolutionMessages(message.content)) {
        const workId = m.solution.split(',')[6];
        if (answeredOk.has(workId)) dead.push(workId);
      }
    }
    broker.channel.nackAll(true);
    expect(dead).toEqual([]);

    expect(
      await eventually(
        () => health(backendUrl),
        (h) => h.status === 200,
      ),
    ).toEqual({ status: 200, database: 'up', waitingFor: [] });
    expect(await batchesWaitingForDatabase(backendUrl)).toBe(0);
  }, 420_000);
});
