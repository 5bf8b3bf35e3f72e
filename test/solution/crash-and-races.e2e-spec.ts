import type { Channel, ChannelModel } from 'amqplib';
import type mysql from 'mysql2/promise';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { RejectReason } from '../../src/modules/solution/reject-reason';
import {
  adminDb,
  backendBroker,
  eventually,
  queueDepth,
  queuedSolutions,
  RunningApp,
  startRole,
} from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, startRoleProcess } from '../support/role-process';
import { craftShares, submitShares } from '../support/share-factory';
import { roleEnv } from '../support/test-env';

describe('solution pipeline under crashes, races and node outages', () => {
  let pool: PoolFixture;
  let db: mysql.Connection;
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    pool = await startPoolFixture();
    db = await adminDb();
    broker = await backendBroker();
  });
  afterAll(async () => {
    await pool.close();
    await db.end();
    await broker.connection.close();
  });

  const counts = async (workIds: string[]) => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT (SELECT COUNT(*) FROM solution WHERE work_id IN (?)) AS accepted,
              (SELECT COUNT(*) FROM rejected_solution WHERE work_id IN (?)) AS rejected,
              (SELECT COUNT(*) - COUNT(DISTINCT bible_hash) FROM solution) AS twice`,
      [workIds, workIds],
    );
    return {
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      twice: Number(row.twice),
    };
  };

  it('two consumers racing on copies of one share accept it once and reject the rest as duplicates', async () => {
    const backends: RunningApp[] = [
      await startRole('backend', pool.env),
      await startRole('backend', pool.env),
    ];
    try {
      const [share] = await craftShares({ pool: pool.frontend.url, node: pool.node.url, count: 1 });
      const copies = Array.from({ length: 40 }, () => share);
      expect(await submitShares(pool.frontend.url, copies)).toBe(40);
      const done = await eventually(
        () => counts([share.workId]),
        (c) => c.accepted + c.rejected >= 40,
        20_000,
      );
      expect(done.accepted).toBe(1);
      expect(done.rejected).toBe(39);
      const [reasons] = await db.query<mysql.RowDataPacket[]>(
        'SELECT DISTINCT reason FROM rejected_solution WHERE work_id = ?',
        [share.workId],
      );
      expect(reasons.map((r) => r.reason as string)).toEqual([RejectReason.duplicate]);
    } finally {
      await Promise.all(backends.map((b) => b.close()));
    }
  });

  it('kill -9 of a backend in the middle of 2,000 queued solutions loses and doubles nothing', async () => {
    const shares = await craftShares({
      pool: pool.frontend.url,
      node: pool.node.url,
      count: 2000,
      misbehave: (i) => (i % 10 === 0 ? 'above-target' : i % 25 === 1 ? 'duplicate' : 'none'),
    });
    const published = shares.length;
    expect(await submitShares(pool.frontend.url, shares)).toBe(published);
    expect(await queuedSolutions(broker.channel)).toBe(published);

    const env = roleEnv('backend', {
      ...pool.env,
      SOLUTION_BATCH_MAX: '50',
      SOLUTION_BATCHES_IN_FLIGHT: '1',
    });
    const workIds = shares.map((s) => s.workId);
    const first = await startRoleProcess(env, await freePort());
    await eventually(
      () => counts(workIds),
      (c) => c.accepted + c.rejected >= 300,
      60_000,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const midway = await counts(workIds);
    expect(midway.accepted + midway.rejected).toBeLessThan(published);

    const second = await startRoleProcess(env, await freePort());
    try {
      const final = await eventually(
        () => counts(workIds),
        (c) => c.accepted + c.rejected >= published,
        90_000,
      );
      expect(
        await eventually(
          () => queueDepth(broker.channel),
          (n) => n === 0,
        ),
      ).toBe(0);
      // accepted + rejected + dead-lettered (none here: every message was well-formed) = published
      expect(final.accepted + final.rejected).toBe(published);
      expect(final.twice).toBe(0);
      // 'duplicate' shares were crafted but sent once each here, so they are valid ones
      expect(final.rejected).toBe(shares.filter((s) => s.misbehaviour === 'above-target').length);
    } finally {
      await second.stop();
    }
  }, 240_000);

  it('while the node is down, shares wait in the queue and none is rejected for it', async () => {
    const backend = await startRole('backend', { ...pool.env, NODE_RETRY_MAX_SECONDS: '1' });
    try {
      const shares = await craftShares({ pool: pool.frontend.url, node: pool.node.url, count: 30 });
      await pool.node.goDown(0);
      expect(await submitShares(pool.frontend.url, shares)).toBe(30);
      await new Promise((r) => setTimeout(r, 2500));
      const workIds = shares.map((s) => s.workId);
      expect(await counts(workIds)).toMatchObject({ accepted: 0, rejected: 0 });
      await pool.node.goUp();
      const final = await eventually(
        () => counts(workIds),
        (c) => c.accepted >= 30,
        30_000,
      );
      expect(final).toMatchObject({ accepted: 30, rejected: 0 });
      expect(await queueDepth(broker.channel, SOLUTION_QUEUE)).toBe(0);
    } finally {
      await pool.node.goUp();
      await backend.close();
    }
  });
});
