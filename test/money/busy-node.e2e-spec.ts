import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually } from '../support/harness';
import { MinerRow } from '../support/factories';
import { IsolatedDatabase } from '../support/isolated-database';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { PoolFixture } from '../support/pool-fixture';
import { moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

/**
 * A busy node turns the payout's sendmany away with HTTP 500 "Work queue depth exceeded" before
 * running it (src/httpserver.cpp:297 @1.2.0.1, :294 @1.4.4.8): nothing was sent, so the hold goes
 * back at once and the next run pays — no wait for the reconcile grace (default 120 s).
 */
describe('payout against a busy node (issue 24)', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool('busy');
    ({ pool, store, db } = money);
    await money.startBackend(moneyBackendEnv(money));
  });
  afterAll(async () => {
    await money?.close();
  });

  const paymentsOf = async (miner: MinerRow): Promise<string[]> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT DISTINCT p.id, p.status FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
        WHERE l.miner_id = ? ORDER BY p.id`,
      [miner.id],
    );
    return rows.map((r) => r.status as string);
  };

  it('counts the busy answer as nothing sent: the hold goes back and the next run pays once', async () => {
    await pool.node.call('sim_busy', 'sendmany', 1);
    const [miner] = await creditedMiners(store.factories, 1, parseCoins('100'));
    const statuses = await eventually(
      () => paymentsOf(miner),
      (s) => s[s.length - 1] === 'sent',
      20_000,
    );
    expect(statuses).toEqual(['failed', 'sent']);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several more runs
    expect(await paymentsOf(miner)).toEqual(['failed', 'sent']);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
  }, 60_000);
});
