import amqplib, { Channel, ChannelModel } from 'amqplib';
import type mysql from 'mysql2/promise';
import { SetupConfig } from '../../src/config/setup-config';
import { solutionQueueName } from '../../src/messaging/broker-topology';
import { brokerAdminFor } from '../../src/messaging/setup/broker-admin';
import { dropBroker, provisionBroker } from '../../src/messaging/setup/broker-provisioner';
import { adminDb, eventually, queueDepth, queuedSolutions } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { craftShares, submitShares } from '../support/share-factory';
import { roleEnv, runId } from '../support/test-env';

const SHARDS = 2;

/** A vhost and broker users of this file's own, declared with two solution queues. */
const id = `s${runId()}`;
const brokerUrl = (user: string): string =>
  `amqp://${user}_${id}:pw_${id}@${process.env.TEST_AMQP_HOST ?? '127.0.0.1:5672'}/purepool_${id}`;
const urls = { frontend: brokerUrl('ppfe'), backend: brokerUrl('ppbe') };
const shardedSetup = (): SetupConfig =>
  new SetupConfig({
    BACKEND_AMQP_URL: urls.backend,
    FRONTEND_AMQP_URL: urls.frontend,
    SOLUTION_QUEUE_SHARDS: String(SHARDS),
  });

describe('SOLUTION_QUEUE_SHARDS=2: solutions routed by work id over two queues', () => {
  const config = shardedSetup();
  const admin = brokerAdminFor(process.env.RABBITMQ_MANAGEMENT_URL);
  let connection: ChannelModel;
  let channel: Channel;
  let db: mysql.Connection;
  let pool: PoolFixture;

  beforeAll(async () => {
    await provisionBroker(config, admin, () => undefined);
    connection = await amqplib.connect(urls.backend);
    channel = await connection.createChannel();
    db = await adminDb();
    pool = await startPoolFixture();
  });

  afterAll(async () => {
    await pool?.close();
    await db?.end();
    await connection?.close();
    await dropBroker(config, admin);
  });

  it('spreads the shares over both queues and one backend records each exactly once from both', async () => {
    const sharded = { SOLUTION_QUEUE_SHARDS: String(SHARDS) };
    const processes: RoleProcess[] = [];
    try {
      const frontend = await startRoleProcess(
        roleEnv('frontend', {
          ...pool.env,
          ...sharded,
          AMQP_URL: urls.frontend,
        }),
        await freePort(),
      );
      processes.push(frontend);
      const shares = await craftShares({ pool: frontend.url, node: pool.node.url, count: 300 });
      expect(await submitShares(frontend.url, shares)).toBe(shares.length);
      const perQueue = [
        await queuedSolutions(channel, solutionQueueName(0)),
        await queuedSolutions(channel, solutionQueueName(1)),
      ];
      expect(perQueue[0] + perQueue[1]).toBe(shares.length);
      // FNV-1a over random work ids: neither queue gets (nearly) everything
      expect(Math.min(...perQueue)).toBeGreaterThan(shares.length / 5);

      const backend = await startRoleProcess(
        roleEnv('backend', {
          ...pool.env,
          ...sharded,
          AMQP_URL: urls.backend,
        }),
        await freePort(),
      );
      processes.push(backend);
      const workIds = shares.map((s) => s.workId);
      const recorded = await eventually(
        async () => {
          const [[row]] = await db.query<mysql.RowDataPacket[]>(
            `SELECT COUNT(*) n, COUNT(DISTINCT work_id) works FROM solution WHERE work_id IN (?)`,
            [workIds],
          );
          return { n: Number(row.n), works: Number(row.works) };
        },
        (r) => r.n >= shares.length,
        60_000,
      );
      expect(recorded).toEqual({ n: shares.length, works: shares.length });
      for (let shard = 0; shard < SHARDS; shard++) {
        expect(
          await eventually(
            () => queueDepth(channel, solutionQueueName(shard)),
            (n) => n === 0,
          ),
        ).toBe(0);
      }
    } finally {
      for (const p of processes.reverse()) await p.stop();
    }
  }, 120_000);
});
