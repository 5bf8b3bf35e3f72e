import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { mineOneShare, requestWork } from '../../sim/miner/sim-miner';
import { extractTag, walletRequest } from '../../sim/miner/wallet-http-client';
import { eventually, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { wellFormedSolution } from '../support/solutions';

/** Two sources on loopback: Linux routes all of 127/8 to lo, so both reach the frontend. */
const VICTIM_SOURCE = '127.0.0.1';
const ATTACKER_SOURCE = '127.0.0.2';
/** The squatter: another source again (the flooding attacker's is suspended by then). */
const SQUATTER_SOURCE = '127.0.0.3';

/**
 * A stranger cannot harm a miner he does not own (issue 22, item 2): a flood of bad shares against
 * the victim's work suspends the source it came from, never the victim; worker names squatted on the
 * victim's address do not lock the victim's own rigs out.
 */
describe('a stranger cannot suspend or crowd out a miner', () => {
  let pool: PoolFixture;
  let frontend: RunningApp;
  let backend: RunningApp;
  let db: mysql.Connection;
  let store: IsolatedDatabase;

  beforeAll(async () => {
    pool = await startPoolFixture();
    // Its own database: suspensions are per source, and every test client is 127.0.0.x — the run's
    // other rejections must not count here, nor a suspension made here refuse later test files.
    store = await isolatedDatabase('stranger');
    frontend = await startRole('frontend', {
      ...pool.env,
      DATABASE_URL: store.frontendUrl,
      MINER_CACHE_SECONDS: '0',
    });
    backend = await startRole('backend', {
      ...pool.env,
      DATABASE_URL: store.backendUrl,
      MINER_SUSPEND_REJECTIONS: '150',
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

  const getwork = (workerId: string, localAddress: string) =>
    walletRequest({
      pool: frontend.url,
      action: 'readytomine2',
      miner: workerId,
      network: 'main',
      reader: 'https',
      localAddress,
    });

  it('a flood of junk shares on the victim’s work suspends the attacker’s source, not the victim', async () => {
    const victim = randomAddress('main');
    // The attacker asks for work in the victim's name, from his own source.
    const stolen = await requestWork({
      pool: frontend.url,
      network: 'main',
      workerId: `${victim}/x`,
      localAddress: ATTACKER_SOURCE,
    });
    const junk = () =>
      walletRequest({
        pool: frontend.url,
        action: 'solution',
        miner: `${victim}/x`,
        network: 'main',
        reader: 'https',
        localAddress: ATTACKER_SOURCE,
        solution: wellFormedSolution({
          workId: stolen.workId,
          minerGuid: stolen.minerGuid,
          bibleHash: 'f'.repeat(64), // above any target: rejected without a node call
        }),
      });
    let sent = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (sent < 200) {
          sent++;
          await junk();
        }
      }),
    );
    const rejected = await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM rejected_solution r JOIN miner m ON m.id = r.miner_id
            WHERE m.address = ?`,
          [victim],
        );
        return Number(row.n);
      },
      (n) => n >= 150,
      30_000,
    );
    expect(rejected).toBeGreaterThanOrEqual(150);

    // Whoever is suspended is, once the backend reviewed the batch: the attacker's next request fails.
    const refused = await eventually(
      async () => extractTag((await getwork(`${victim}/x`, ATTACKER_SOURCE)).raw, 'ERROR'),
      (error) => error !== '',
      15_000,
    );

    // … while the victim, on its own source, keeps getting work and its honest shares count.
    const honest = await mineOneShare({
      pool: frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId: `${victim}/rig1`,
      misbehaviour: 'none',
      localAddress: VICTIM_SOURCE,
    });
    expect(honest.outcomes).toEqual([{ ok: true, workId: honest.work.workId }]);
    const accepted = await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM solution s JOIN miner m ON m.id = s.miner_id WHERE m.address = ?`,
          [victim],
        );
        return Number(row.n);
      },
      (n) => n === 1,
    );
    expect(accepted).toBe(1);
    // … and the attacker's source is refused, with the reason, whichever miner it names.
    expect(refused).toMatch(
      new RegExp(
        `^Source ${ATTACKER_SOURCE.replace(/\./g, '\\.')} is suspended until .*: \\d+ rejected shares in 10 min \\(above_target\\)$`,
      ),
    );
    const refusedShare = await walletRequest({
      pool: frontend.url,
      action: 'solution',
      miner: `${randomAddress('main')}/y`,
      network: 'main',
      reader: 'https',
      localAddress: ATTACKER_SOURCE,
      solution: wellFormedSolution({ workId: stolen.workId, minerGuid: stolen.minerGuid }),
    });
    expect(extractTag(refusedShare.raw, 'ERROR')).toBe(refused);
    const [[victimRow]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT suspended_until FROM miner WHERE address = ?',
      [victim],
    );
    expect(victimRow.suspended_until).toBeNull();
  }, 120_000);

  it('200 worker names squatted on the victim’s address do not lock out its Default worker', async () => {
    const victim = randomAddress('main');
    for (let i = 1; i <= 200; i++) {
      const answer = await getwork(`${victim}/w${i}`, SQUATTER_SOURCE);
      expect(extractTag(answer.raw, 'WORKID')).not.toBe('');
    }
    const work = await requestWork({
      pool: frontend.url,
      network: 'main',
      workerId: victim,
      localAddress: VICTIM_SOURCE,
    });
    expect(work.workId).not.toBe('');
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT COUNT(*) AS n, SUM(k.name = 'Default') AS defaults FROM worker k
         JOIN miner m ON m.id = k.miner_id WHERE m.address = ?`,
      [victim],
    );
    expect(Number(row.n)).toBe(200);
    expect(Number(row.defaults)).toBe(1);
  }, 120_000);

  describe('with MAX_WORKERS_PER_MINER=3', () => {
    let small: RunningApp;
    beforeAll(async () => {
      small = await startRole('frontend', {
        ...pool.env,
        DATABASE_URL: store.frontendUrl,
        MAX_WORKERS_PER_MINER: '3',
        MINER_CACHE_SECONDS: '0',
      });
    });
    afterAll(() => small?.close());

    const share = (workerId: string) =>
      mineOneShare({ pool: small.url, network: 'main', node: pool.node.url, workerId });
    const acceptedBy = (address: string, n: number) =>
      eventually(
        async () => {
          const [rows] = await db.query<mysql.RowDataPacket[]>(
            `SELECT k.name FROM worker k JOIN miner m ON m.id = k.miner_id
              WHERE m.address = ? AND k.last_accepted_solution_at IS NOT NULL ORDER BY k.name`,
            [address],
          );
          return rows.map((r) => String(r.name));
        },
        (names) => names.length >= n,
      );

    it('a new name replaces an idle worker, and is refused only when every slot has accepted shares', async () => {
      const address = randomAddress('main');
      await share(`${address}/a`);
      await share(`${address}/b`);
      expect(await acceptedBy(address, 2)).toEqual(['a', 'b']);
      const idle = await requestWork({
        pool: small.url,
        network: 'main',
        workerId: `${address}/idle`,
      });
      expect(idle.workId).not.toBe('');
      // Full: the new name takes the slot of the idle worker; the productive ones stay.
      await share(`${address}/c`);
      expect(await acceptedBy(address, 3)).toEqual(['a', 'b', 'c']);
      const [names] = await db.query<mysql.RowDataPacket[]>(
        `SELECT k.name FROM worker k JOIN miner m ON m.id = k.miner_id WHERE m.address = ? ORDER BY k.name`,
        [address],
      );
      expect(names.map((r) => String(r.name))).toEqual(['a', 'b', 'c']);
      // Every slot productive: a new name is refused and nothing is created.
      const refused = await walletRequest({
        pool: small.url,
        action: 'readytomine2',
        miner: `${address}/d`,
        network: 'main',
      });
      expect(extractTag(refused.raw, 'ERROR')).toBe(
        `Miner ${address} has too many workers (limit 3)`,
      );
      // The productive ones still get work.
      expect(
        (await requestWork({ pool: small.url, network: 'main', workerId: `${address}/a` })).workId,
      ).not.toBe('');
    }, 60_000);
  });
});
