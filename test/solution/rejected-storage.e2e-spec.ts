import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { mineOneShare, requestWork } from '../../sim/miner/sim-miner';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { adminDb, eventually, RunningApp, startRole } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { wellFormedSolution } from '../support/solutions';

const FLOOD_SOURCE = '127.0.0.6';

/**
 * Every valid address is a miner on its first getwork, so a per-miner byte budget bounds nothing:
 * a flood of fresh addresses, each with a few rejected shares carrying big block hex, must store no
 * solution strings (issue 22, item 3). Strings are kept only for miners with an accepted share.
 */
describe('stored rejected solution strings are bounded', () => {
  let pool: PoolFixture;
  let backend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    pool = await startPoolFixture();
    backend = await startRole('backend', pool.env);
    db = await adminDb();
  });
  afterAll(async () => {
    await backend?.close();
    await pool?.close();
    await db?.end();
  });

  const storedOf = async (addresses: string[], expected: number) =>
    eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          `SELECT m.address, r.solution_string IS NOT NULL AS stored FROM rejected_solution r
             JOIN miner m ON m.id = r.miner_id WHERE m.address IN (?)`,
          [addresses],
        );
        return rows;
      },
      (rows) => rows.length >= expected,
      20_000,
    );

  it('a flood of fresh addresses from one source stores no rejected solution strings', async () => {
    const addresses = Array.from({ length: 10 }, () => randomAddress('main'));
    await Promise.all(
      addresses.map(async (address) => {
        const work = await requestWork({
          pool: pool.frontend.url,
          network: 'main',
          workerId: address,
          localAddress: FLOOD_SOURCE,
        });
        for (let i = 0; i < 2; i++) {
          const answer = await walletRequest({
            pool: pool.frontend.url,
            action: 'solution',
            miner: address,
            network: 'main',
            reader: 'https',
            localAddress: FLOOD_SOURCE,
            solution: wellFormedSolution({
              workId: work.workId,
              minerGuid: work.minerGuid,
              bibleHash: 'f'.repeat(64),
              blockHex: 'ab'.repeat(20_000),
            }),
          });
          expect(extractTag(answer.raw, 'STATUS')).toBe('ok');
        }
      }),
    );
    const rows = await storedOf(addresses, 20);
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => Number(r.stored) === 1)).toEqual([]);
  }, 60_000);

  it('a miner with an accepted share keeps its rejected solution strings (within its budget)', async () => {
    const address = randomAddress('main');
    const honest = await mineOneShare({
      pool: pool.frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId: `${address}/w0`,
    });
    expect(honest.outcomes).toEqual([{ ok: true, workId: honest.work.workId }]);
    await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>(
          'SELECT last_accepted_solution_at AS at FROM miner WHERE address = ?',
          [address],
        );
        return row?.at as Date | null;
      },
      (at) => at !== null,
    );
    await mineOneShare({
      pool: pool.frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId: `${address}/w0`,
      misbehaviour: 'bad-biblehash',
    });
    const rows = await storedOf([address], 1);
    expect(rows.map((r) => Number(r.stored))).toEqual([1]);
  }, 60_000);
});
