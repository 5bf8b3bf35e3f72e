import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { mineOneShare, Misbehaviour, requestWork } from '../../sim/miner/sim-miner';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { eventually, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { wellFormedSolution } from '../support/solutions';

/**
 * Shares nobody pays for have a bounded cost (issue 10, hole 3; issue 22): worker names per miner
 * are capped (an idle worker's slot goes to a new name), the solution strings stored with
 * rejections are capped per miner and hour, and a source whose rejections pass a rate is
 * suspended — the wallet is told why.
 */
describe('abuse limits: workers per miner, stored rejection bytes, suspension', () => {
  let pool: PoolFixture;
  let frontend: RunningApp;
  let backend: RunningApp;
  let db: mysql.Connection;
  let store: IsolatedDatabase;

  beforeAll(async () => {
    pool = await startPoolFixture();
    // Its own database: suspensions are per source, and every test client is 127.0.0.x — the run's
    // other rejections must not count here, nor a suspension made here refuse later test files.
    store = await isolatedDatabase('abuse');
    frontend = await startRole('frontend', {
      ...pool.env,
      DATABASE_URL: store.frontendUrl,
      MAX_WORKERS_PER_MINER: '3',
      MINER_CACHE_SECONDS: '0',
    });
    backend = await startRole('backend', {
      ...pool.env,
      DATABASE_URL: store.backendUrl,
      REJECTED_SOLUTION_BYTES_PER_MINER_HOUR: '20000',
      MINER_SUSPEND_REJECTIONS: '6',
      MINER_SUSPEND_WINDOW_SECONDS: '600',
      MINER_SUSPEND_SECONDS: '3600',
    });
    db = store.db;
  });
  afterAll(async () => {
    await backend?.close();
    await frontend?.close();
    await pool?.close();
    await store?.drop();
  });

  const getwork = (workerId: string) =>
    walletRequest({
      pool: frontend.url,
      action: 'readytomine2',
      miner: workerId,
      network: 'main',
    });
  const share = (
    workerId: string,
    misbehaviour: Misbehaviour,
    blockBytes?: number,
    localAddress?: string,
  ) =>
    mineOneShare({
      localAddress,
      pool: frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId,
      misbehaviour,
      blockBytes,
    });
  const rejectionsOf = async (address: string, expected: number) =>
    eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          `SELECT r.reason, r.solution_string IS NOT NULL AS stored FROM rejected_solution r
             JOIN miner m ON m.id = r.miner_id WHERE m.address = ? ORDER BY r.id`,
          [address],
        );
        return rows;
      },
      (rows) => rows.length >= expected,
    );

  it('past MAX_WORKERS_PER_MINER a new worker name takes the slot of the longest-idle one', async () => {
    const address = randomAddress('main');
    for (const name of ['w1', 'w2', 'w3', 'w4']) {
      expect(extractTag((await getwork(`${address}/${name}`)).raw, 'WORKID')).not.toBe('');
    }
    expect(extractTag((await getwork(`${address}/w2`)).raw, 'WORKID')).not.toBe('');
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      'SELECT k.name FROM worker k JOIN miner m ON m.id = k.miner_id WHERE m.address = ? ORDER BY k.name',
      [address],
    );
    expect(rows.map((r) => String(r.name))).toEqual(['w2', 'w3', 'w4']);
  });

  it('stores rejected solution strings up to the per-miner hourly budget, then the reason only', async () => {
    const address = randomAddress('main');
    // Strings are kept only for a miner with an accepted share.
    await share(`${address}/w0`, 'none', undefined, '127.0.0.5');
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
    // From a source of its own: the run's other bad shares from 127.0.0.1 must not add up to a suspension.
    for (let i = 0; i < 4; i++) await share(`${address}/w0`, 'bad-biblehash', 8000, '127.0.0.5');
    const rows = await rejectionsOf(address, 4);
    expect(rows.map((r) => r.reason as string)).toEqual(Array(4).fill('biblehash_mismatch'));
    // ~8.3 kB each against a 20,000-byte budget: two stored in full.
    expect(rows.map((r) => Number(r.stored))).toEqual([1, 1, 0, 0]);
  });

  it('suspends a source past MINER_SUSPEND_REJECTIONS and tells the wallet why', async () => {
    const source = '127.0.0.4';
    const address = randomAddress('main');
    const workerId = `${address}/w0`;
    for (let i = 0; i < 6; i++) await share(workerId, 'bad-biblehash', undefined, source);
    await rejectionsOf(address, 6);
    const suspended = await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          'SELECT suspended_until, suspended_reason FROM source_suspension WHERE source = ?',
          [source],
        );
        return rows[0] as { suspended_until: Date; suspended_reason: string } | undefined;
      },
      (row) => row !== undefined,
    );
    expect(suspended?.suspended_reason).toBe('6 rejected shares in 10 min (biblehash_mismatch)');
    const until = new Date(suspended!.suspended_until).toISOString();
    const message = `Source ${source} is suspended until ${until}: ${suspended!.suspended_reason}`;

    // The source is refused whichever miner it names …
    await expect(
      requestWork({ pool: frontend.url, network: 'main', workerId, localAddress: source }),
    ).rejects.toThrow(message);
    const solution = await walletRequest({
      pool: frontend.url,
      action: 'solution',
      miner: `${randomAddress('main')}/w0`,
      network: 'main',
      solution: wellFormedSolution(),
      localAddress: source,
    });
    expect(extractTag(solution.raw, 'ERROR')).toBe(message);

    // … while the miner it named, from another source, and an honest neighbour are not affected.
    const named = await share(workerId, 'none');
    expect(named.outcomes).toEqual([{ ok: true, workId: named.work.workId }]);
    const honest = await share(`${randomAddress('main')}/w0`, 'none');
    expect(honest.outcomes).toEqual([{ ok: true, workId: honest.work.workId }]);
  });
});
