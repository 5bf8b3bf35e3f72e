import type { Channel, ChannelModel } from 'amqplib';
import type mysql from 'mysql2/promise';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../../src/messaging/solution-message';
import { defaultSimMinerOptions, runSimMiner } from '../../sim/miner/sim-miner';
import { adminDb, backendBroker, queuedSolutions } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';

describe('the simulated miner against the real frontend', () => {
  let pool: PoolFixture;
  let broker: { connection: ChannelModel; channel: Channel };
  let db: mysql.Connection;

  beforeAll(async () => {
    pool = await startPoolFixture();
    broker = await backendBroker();
    db = await adminDb();
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });
  afterAll(async () => {
    await pool.close();
    await broker.connection.close();
    await db.end();
  });

  it('receives work, and every share answered ok lands in the queue with its 16 fields', async () => {
    const summary = await runSimMiner({
      ...defaultSimMinerOptions(),
      pool: pool.frontend.url,
      network: 'main',
      node: pool.node.url,
      miners: 3,
      workers: 2,
      threads: 2,
      shareSeconds: 0,
      durationSeconds: 0,
      maxShares: 60,
      log: () => undefined,
    });
    expect(summary.getworks).toBeGreaterThanOrEqual(12);
    expect(summary.sharesSent).toBe(60);
    expect(summary.accepted).toBe(60);
    expect(summary.errors).toEqual({});
    expect(await queuedSolutions(broker.channel)).toBe(60);

    const message = await broker.channel.get(SOLUTION_QUEUE, { noAck: true });
    expect(message).not.toBe(false);
    if (message === false) return;
    const [decoded] = decodeSolutionMessages(message.content);
    expect(decoded.solution.split(',')).toHaveLength(16);
    const [[work]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) n FROM work WHERE id = ?',
      [decoded.solution.split(',')[6]],
    );
    expect(Number(work.n)).toBe(1);
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });
});
