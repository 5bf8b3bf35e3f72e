import mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually } from '../support/harness';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const CREDIT = parseCoins('100');

/**
 * Jobs that must run once hold a lease only the backend can take, that survives a dropped
 * connection (issue 11, item 7). With MySQL named locks, a frontend user could stall every job,
 * and a killed lock connection let a second backend refund a payment still being sent.
 */
describe('job leases', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let env: Record<string, string>;
  const backends: RoleProcess[] = [];

  beforeAll(async () => {
    money = await startMoneyPool('lease');
    ({ pool, store } = money);
    env = moneyBackendEnv(money, { PAYOUT_RECONCILE_GRACE_SECONDS: '1' });
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
    await money?.close();
  });

  const startBackend = async () => {
    const backend = await startRoleProcess(env, await freePort());
    backends.push(backend);
    return backend;
  };
  const stopBackends = async () => {
    await Promise.all(backends.splice(0).map((b) => b.stop()));
  };

  it('cannot be taken or stalled by the frontend DB user', async () => {
    const frontendDb = await mysql.createConnection({ uri: store.frontendUrl });
    try {
      await expect(
        frontendDb.query(
          "INSERT INTO job_lease (name, owner, expires_at, acquired_at) VALUES ('payouts:main', 'me', UTC_TIMESTAMP(3) + INTERVAL 1 DAY, UTC_TIMESTAMP(3))",
        ),
      ).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
      // What stalled every backend job before: the frontend user holding the job's named lock.
      const database = new URL(store.backendUrl).pathname.slice(1);
      for (const job of ['payouts:main', 'shareout:main', 'blocks:main']) {
        await frontendDb.query('SELECT GET_LOCK(?, 0)', [
          `purepool:${database}:${job}`.slice(0, 64),
        ]);
      }
      await startBackend();
      const [miner] = await creditedMiners(store.factories, 1, CREDIT);
      await eventually(
        async () => sendsTo(pool.node, miner.address).length,
        (n) => n === 1,
        15_000,
      );
      expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    } finally {
      await frontendDb.end();
      await stopBackends();
    }
  });

  it('holds when its connections are killed mid-payout: the second backend waits, nobody is paid twice', async () => {
    await startBackend();
    await startBackend();
    pool.node.faults.methodLatencyMs.set('sendmany', 4000);
    const miners = await creditedMiners(store.factories, 2, CREDIT);
    const admin = store.db;
    const payments = async (): Promise<string[]> => {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        `SELECT DISTINCT p.id, p.status FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
          WHERE l.miner_id IN (?) ORDER BY p.id`,
        [miners.map((m) => m.id)],
      );
      return rows.map((r) => r.status as string);
    };
    // A payment intent is written: one backend is inside sendmany now.
    await eventually(payments, (s) => s.includes('intent'), 15_000);
    // A MySQL restart, an idle timeout or an operator's KILL: every backend connection drops.
    const user = new URL(store.backendUrl).username;
    const [processes] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT id FROM information_schema.processlist WHERE user = ?',
      [user],
    );
    for (const p of processes) await admin.query(`KILL ${Number(p.id)}`).catch(() => undefined);

    await eventually(payments, (statuses) => statuses.includes('sent'), 20_000);
    pool.node.faults.methodLatencyMs.delete('sendmany');
    await new Promise((resolve) => setTimeout(resolve, 3000)); // more payout runs on both
    for (const miner of miners) expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    expect(await payments()).toEqual(['sent']);
    const [[balance]] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id IN (?)',
      [miners.map((m) => m.id)],
    );
    expect(BigInt(balance.b)).toBe(0n);
  });
});
