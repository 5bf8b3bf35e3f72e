import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { DEAD_LETTER_QUEUE } from '../../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../../src/messaging/solution-message';
import { mineOneShare } from '../../sim/miner/sim-miner';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, backendBroker, eventually, RunningApp, startRole } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { wellFormedSolution } from '../support/solutions';

/**
 * One delivery the database refuses must not take the honest shares of its batch with it (issue 22,
 * item 3): a batch that fails for a reason that is not transient is split until only the offending
 * delivery is dead-lettered. The refusal is injected with a trigger that fails the insert of one
 * marked rejected row, as a row past `max_allowed_packet` or a bad value would.
 */
describe('a poison delivery in a batch of honest shares', () => {
  let pool: PoolFixture;
  let backend: RunningApp | undefined;
  let db: mysql.Connection;
  const marker = `deadbeef-0000-4000-8000-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    pool = await startPoolFixture();
    db = await adminDb();
    await db.query(
      `CREATE TRIGGER poison_${marker.slice(-12)} BEFORE INSERT ON rejected_solution FOR EACH ROW
         IF NEW.work_id = '${marker}' THEN
           SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'this row is refused';
         END IF`,
    );
  });
  afterAll(async () => {
    await backend?.close();
    await db?.query(`DROP TRIGGER IF EXISTS poison_${marker.slice(-12)}`);
    await pool?.close();
    await db?.end();
  });

  it('records the honest shares and dead-letters only the poison', async () => {
    // Queued while no backend runs, so all of them land in one batch.
    const honest = [];
    for (let i = 0; i < 3; i++) {
      honest.push(
        await mineOneShare({
          pool: pool.frontend.url,
          network: 'main',
          node: pool.node.url,
          workerId: `${randomAddress('main')}/w0`,
        }),
      );
    }
    for (const share of honest) {
      expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
    }
    const poison = await walletRequest({
      pool: pool.frontend.url,
      action: 'solution',
      miner: `${randomAddress('main')}/w0`,
      network: 'main',
      solution: wellFormedSolution({ workId: marker }),
    });
    expect(extractTag(poison.raw, 'STATUS')).toBe('ok');

    backend = await startRole('backend', {
      ...pool.env,
      SOLUTION_BATCH_MAX: '250',
      SOLUTION_BATCH_WAIT_MS: '300',
      SOLUTION_BATCH_ATTEMPTS: '2',
    });
    const workIds = honest.map((s) => s.work.workId);
    const accepted = await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          'SELECT work_id FROM solution WHERE work_id IN (?)',
          [workIds],
        );
        return rows.map((r) => String(r.work_id)).sort();
      },
      (ids) => ids.length === 3,
      30_000,
    );
    expect(accepted).toEqual([...workIds].sort());

    const { connection, channel } = await backendBroker();
    try {
      const dead = await eventually(
        async () => {
          const found: string[][] = [];
          for (;;) {
            const message = await channel.get(DEAD_LETTER_QUEUE, { noAck: false });
            if (message === false) break;
            const ids = decodeSolutionMessages(message.content).map(
              (m) => m.solution.split(',')[6],
            );
            if (ids.some((id) => id === marker || workIds.includes(id))) found.push(ids);
          }
          channel.nackAll(true);
          return found;
        },
        (found) => found.length > 0,
        30_000,
      );
      expect(dead).toEqual([[marker]]);
    } finally {
      await connection.close();
    }
  }, 90_000);
});
