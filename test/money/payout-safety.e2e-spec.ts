import path from 'node:path';
import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { MinerRow } from '../support/factories';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { moneyCliEnv } from '../support/money-pool';
import { CliResult, runCli } from '../support/backend-cli';

const ROOT = path.join(__dirname, '..', '..');
const CREDIT = parseCoins('100');
/** Every table a payout run may write (money and its bookkeeping). */
const MONEY_TABLES = [
  'payment',
  'ledger_entry',
  'miner_balance',
  'payment_error',
  'payout_set_aside',
  'unclaimed_send',
  'credit_reversal',
  'block',
];

/**
 * Issue 25, item 7, the rest: `payouts --dry-run` changes nothing (it used to reconcile, and so
 * refund); the reconcile grace is measured on the database's clock, not the backend's; a reversal
 * of a paid-out block while a payment is open does not book the held coins as already paid.
 * Each case runs the CLI against its own database and the simulated node.
 */
describe('payout runs that must not act: dry run, a skewed clock, a reversal over an open payment', () => {
  let pool: PoolFixture;
  const stores: IsolatedDatabase[] = [];

  beforeAll(async () => {
    pool = await startPoolFixture({ walletBalance: parseCoins('100000') });
    pool.node.mine(5); // the credits' block (height 1 in the database) lies under the tip
  });
  afterAll(async () => {
    await pool?.close();
    for (const store of stores) await store.drop();
  });

  const database = async (label: string): Promise<IsolatedDatabase> => {
    const store = await isolatedDatabase(label);
    stores.push(store);
    return store;
  };
  const cli = (
    store: IsolatedDatabase,
    args: string[],
    extra: Record<string, string> = {},
  ): Promise<CliResult> =>
    runCli(moneyCliEnv({ pool, store }, extra), [...args, '--network', 'main']);
  /** An open payment (intent) holding `amount` of the miner's balance, made `ageSeconds` ago by the database's clock. */
  const openPayment = async (
    store: IsolatedDatabase,
    miner: MinerRow,
    amount: bigint,
    o: { ageSeconds: number; dispatched: boolean },
  ): Promise<number> => {
    const payment = await store.factories.payOut([{ miner, amount }], { status: 'intent' });
    await store.db.query(
      `UPDATE payment SET created_at = UTC_TIMESTAMP(3) - INTERVAL ? SECOND,
              dispatched_at = IF(?, UTC_TIMESTAMP(3) - INTERVAL ? SECOND, NULL) WHERE id = ?`,
      [o.ageSeconds, o.dispatched ? 1 : 0, o.ageSeconds, payment.id],
    );
    return payment.id;
  };
  const snapshot = async (db: mysql.Connection): Promise<string> => {
    const tables: Record<string, unknown> = {};
    for (const table of MONEY_TABLES) {
      const [rows] = await db.query(`SELECT * FROM ${table} ORDER BY 1`);
      tables[table] = rows;
    }
    return JSON.stringify(tables, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  };
  const balanceOf = async (db: mysql.Connection, miner: MinerRow): Promise<bigint> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
      [miner.id],
    );
    return BigInt(row.b);
  };

  it('payouts --dry-run reconciles, refunds and writes nothing, with an absent send pending', async () => {
    const store = await database('dryrun');
    const [stale, lost, due] = await creditedMiners(store.factories, 3, CREDIT);
    // Never handed to the wallet, long past the grace: a real run releases it (refund) ...
    await openPayment(store, stale, CREDIT, { ageSeconds: 7200, dispatched: false });
    // ... and a dispatched one the wallet does not show gets the wallet's evidence written.
    await openPayment(store, lost, CREDIT, { ageSeconds: 7200, dispatched: true });
    const before = await snapshot(store.db);

    const dry = await cli(store, ['payouts', '--dry-run']);
    expect(dry.out).toContain(due.address);
    expect(await snapshot(store.db)).toBe(before);
    for (const miner of [stale, lost, due]) expect(sendsTo(pool.node, miner.address)).toEqual([]);
  }, 60_000);

  it('measures the reconcile grace on the database clock: a backend an hour ahead does not release a fresh intent', async () => {
    const store = await database('skew');
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    // Written just now by the database's clock (another backend, about to call sendmany).
    const id = await openPayment(store, miner, CREDIT, { ageSeconds: 0, dispatched: false });

    const skewed = await cli(store, ['payouts'], {
      PAYOUT_RECONCILE_GRACE_SECONDS: '600',
      CLOCK_SKEW_MS: String(3_600_000),
      NODE_OPTIONS: `--require ${path.join(ROOT, 'test', 'support', 'clock-skew.js')}`,
    });
    expect(skewed.out).toContain('"failed":0,"open":1'); // held, not released
    const [[row]] = await store.db.query<mysql.RowDataPacket[]>(
      'SELECT status FROM payment WHERE id = ?',
      [id],
    );
    expect(row.status).toBe('intent');
    expect(sendsTo(pool.node, miner.address)).toEqual([]);
  }, 60_000);

  it('a reversal while a payment is open takes the held coins back, not as paid; the refund then pays nobody twice', async () => {
    const store = await database('reversehold');
    const [miner] = await creditedMiners(store.factories, 1, CREDIT); // block at height 1, shared
    // A run crashed before sendmany: the whole balance is held by an intent not yet settled.
    await openPayment(store, miner, CREDIT, { ageSeconds: 7200, dispatched: false });
    const env = {
      REORG_DEPTH_MAIN: '1000',
      ORPHAN_CONFIRMATIONS: '1',
      CHAIN_WALK_START_DEPTH: '0',
    };

    // The chain no longer holds that block: its shareout is reversed.
    await cli(store, ['find-blocks'], env);
    const [reversals] = await store.db.query<mysql.RowDataPacket[]>(
      'SELECT credited, reversed, loss FROM credit_reversal WHERE miner_id = ?',
      [miner.id],
    );
    expect(reversals).toHaveLength(1);
    expect(BigInt(reversals[0].loss)).toBe(0n); // nothing of it had left the wallet
    expect(BigInt(reversals[0].reversed)).toBe(CREDIT);

    // The intent is released (never sent); the reversed credit must not be paid now.
    const paid = await cli(store, ['payouts'], env);
    expect(paid.code).toBe(0);
    expect(await balanceOf(store.db, miner)).toBe(0n);
    expect(sendsTo(pool.node, miner.address)).toEqual([]);
  }, 60_000);
});
