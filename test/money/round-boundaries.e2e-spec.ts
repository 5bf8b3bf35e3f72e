import type mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { RoundRepository } from '../../src/modules/solution/round.repository';
import { randomAddress } from '../../src/biblepay/address';
import { mineOneShare } from '../../sim/miner/sim-miner';
import { eventually, RunningApp } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { poolAddresses } from '../support/test-env';
import { chainBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const SHARES = 4;

/**
 * Issue 25, item 6: a round ends where the pool saw its block, not at the time the finder's wallet
 * wrote into the header (up to two hours ahead is valid on the chain). A pool block stamped an hour
 * ahead must not swallow the shares that arrive after it, under PROP or PPLNS.
 */
describe.each(['prop', 'pplns'])('rounds by what the pool saw (%s)', (scheme) => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let frontend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool(`rounds${scheme}`, { maturity: 3, walletBalance: 0n });
    ({ pool, db } = money);
    frontend = await money.startFrontend();
    await money.startBackend(
      chainBackendEnv(money, {
        MATURITY_CONFIRMATIONS_MAIN: '3',
        PAYOUT_SCHEME: scheme,
        // PPLNS over a window wider than both rounds: what separates them is the round end alone.
        PPLNS_WINDOW: '100000',
      }),
    );
  });
  afterAll(async () => {
    await money?.close();
  });

  const shares = async (workerId: string, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const share = await mineOneShare({
        pool: frontend.url,
        network: 'main',
        node: pool.node.url,
        workerId,
      });
      expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
    }
  };
  const seen = (hash: string) =>
    eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          'SELECT id FROM block WHERE hash = ? AND is_pool_block = 1',
          [hash],
        );
        return rows;
      },
      (rows) => rows.length === 1,
      15_000,
    );
  const creditedMiners = async (blockHash: string): Promise<string[]> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT m.address FROM ledger_entry l JOIN block b ON b.id = l.block_id
         JOIN miner m ON m.id = l.miner_id
        WHERE b.hash = ? AND l.category = 'share' ORDER BY m.address`,
      [blockHash],
    );
    return rows.map((r) => String(r.address));
  };

  it('a pool block stamped an hour ahead takes only the shares that came before the pool saw it', async () => {
    const before = `${randomAddress('main')}/early`;
    const after = `${randomAddress('main')}/late`;
    await shares(before, SHARES);
    const [ahead] = pool.node.mine(1, {
      recipient: poolAddresses().main,
      time: Math.floor(Date.now() / 1000) + 3600,
    });
    await seen(ahead.hash);
    // Past the second the pool saw it in: these shares belong to the next block.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await shares(after, SHARES);
    const [next] = pool.node.mine(1, { recipient: poolAddresses().main });
    await seen(next.hash);
    pool.node.mine(3); // maturity for both
    await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          "SELECT COUNT(*) n FROM block WHERE hash IN (?, ?) AND status = 'shared'",
          [ahead.hash, next.hash],
        );
        return Number(rows[0].n);
      },
      (n) => n === 2,
      30_000,
    );
    const early = before.split('/')[0];
    const late = after.split('/')[0];
    expect(await creditedMiners(ahead.hash)).toEqual([early]);
    // PROP: the next round holds only the late shares; PPLNS: the window reaches back over both.
    expect(await creditedMiners(next.hash)).toEqual(
      scheme === 'prop' ? [late] : [early, late].sort(),
    );
  });
});

describe('RoundRepository.roundEnd against MariaDB', () => {
  let store: IsolatedDatabase;
  let dataSource: DataSource;
  let rounds: RoundRepository;
  beforeAll(async () => {
    store = await isolatedDatabase('roundend');
    dataSource = new DataSource(dataSourceOptions(store.backendUrl, 2, ENTITIES));
    await dataSource.initialize();
    rounds = new RoundRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await store?.drop();
  });

  const hash = (c: string) => c.repeat(64);
  const t0 = new Date('2026-12-06T10:00:00.250Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it('ends at the receipt of the share that found the block, whatever the header or the walker say', async () => {
    const miner = await store.factories.miner();
    const worker = await store.factories.worker(miner);
    await store.factories.solutions(miner, worker, { blockHash: hash('a'), insertedAt: t0 });
    const end = await rounds.roundEnd({
      network: 'main',
      hash: hash('a'),
      chainTime: later(3_600_000), // stamped an hour ahead
      firstSeenAt: later(600_000), // the walker came back ten minutes late
    });
    expect(end).toEqual(t0);
  });

  it('without a finder share: when the pool first saw the block, or the end of its second if earlier', async () => {
    const ahead = { network: 'main', hash: hash('b'), chainTime: later(3_600_000) };
    expect(await rounds.roundEnd({ ...ahead, firstSeenAt: later(2_000) })).toEqual(later(2_000));
    const late = { network: 'main', hash: hash('c'), chainTime: new Date('2026-12-06T10:00:00Z') };
    expect(await rounds.roundEnd({ ...late, firstSeenAt: later(600_000) })).toEqual(
      new Date('2026-12-06T10:00:00.999Z'),
    );
    // A share for this hash on the other network is not its finder.
    const miner = await store.factories.miner({ network: 'test' });
    const worker = await store.factories.worker(miner);
    await store.factories.solutions(miner, worker, { blockHash: hash('d'), insertedAt: t0 });
    const other = { network: 'main', hash: hash('d'), chainTime: later(5_000) };
    expect(await rounds.roundEnd({ ...other, firstSeenAt: later(4_000) })).toEqual(later(4_000));
  });
});
