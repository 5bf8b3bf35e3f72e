import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually } from '../support/harness';
import { MinerRow } from '../support/factories';
import { IsolatedDatabase } from '../support/isolated-database';
import { sendsTo } from '../support/payout-scenario';
import { PoolFixture } from '../support/pool-fixture';
import { expectWalletMatchesLedger, walletPaidPerAddress } from '../support/wallet-check';
import { moneyBackendEnv, MoneyPool, MoneyStore, startMoneyPool } from '../support/money-pool';

/**
 * Money as the wallet counts it (issue 24 item 3), end to end against the simulated wallet:
 * its verbatim dust refusals (wallet.cpp:3241-3246 @1.2.0.1; :3784-3789 @1.4.8.4) and the ""
 * account that `sendmany ""` spends (GetAccountAmounts, wallet.cpp:1356-1390 @1.2.0.1).
 */
function backendEnv(money: MoneyStore): Record<string, string> {
  return moneyBackendEnv(money, { PAYOUT_SET_ASIDE_AFTER_FAILURES: '1' });
}

async function credit(store: IsolatedDatabase, amounts: bigint[]): Promise<MinerRow[]> {
  const block = await store.factories.block({ height: 1, isPoolBlock: true, status: 'mature' });
  const miners = await Promise.all(amounts.map(() => store.factories.miner()));
  await store.factories.shareOut(
    block,
    miners.map((miner, i) => ({ miner, amount: amounts[i] })),
  );
  return miners;
}

async function paymentsOf(db: mysql.Connection, miner: MinerRow): Promise<string[]> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    `SELECT DISTINCT p.id, p.status FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
      WHERE l.miner_id = ? ORDER BY p.id`,
    [miner.id],
  );
  return rows.map((r) => r.status as string);
}

async function countRows(db: mysql.Connection, sql: string, params: unknown[]): Promise<number> {
  const [rows] = await db.query<mysql.RowDataPacket[]>(sql, params);
  return Number(rows[0].n);
}

describe('a recipient the wallet counts as dust (issue 24)', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;

  beforeAll(async () => {
    // A 3 BBP fee, subtracted evenly from every output: 1.000001 BBP leaves 100 base units after
    // its share, below the wallet's 546 — "…too small to send after the fee has been deducted";
    // alone it cannot pay the fee at all — "…too small to pay the fee".
    money = await startMoneyPool('dustwallet', { txFee: parseCoins('3') });
    ({ pool, store } = money);
  });
  afterAll(async () => {
    await money?.close();
  });

  it('sets the dust recipient aside and pays the others in the same run, to the base unit', async () => {
    const [a, b, dust] = await credit(store, [
      parseCoins('100'),
      parseCoins('50'),
      parseCoins('1.000001'),
    ]);
    await money.startBackend(backendEnv(money));
    const db = store.db;
    await eventually(
      () =>
        countRows(
          db,
          'SELECT COUNT(*) AS n FROM payout_set_aside WHERE miner_id = ? AND set_aside_at IS NOT NULL',
          [dust.id],
        ),
      (n) => n === 1,
      20_000,
    );
    const statusesA = await eventually(
      () => paymentsOf(db, a),
      (s) => s.includes('sent'),
      20_000,
    );
    expect(statusesA.filter((s) => s === 'sent')).toHaveLength(1);
    expect(sendsTo(pool.node, a.address)).toHaveLength(1);
    expect(sendsTo(pool.node, b.address)).toHaveLength(1);
    expect(sendsTo(pool.node, dust.address)).toHaveLength(0);
    // The others' payment is the same run's: sent right after the dust recipient's refusals.
    expect(await paymentsOf(db, dust)).not.toContain('sent');
    expect(await paymentsOf(db, dust)).toContain('failed');
    // What left the wallet: the two amounts in full (their fee taken out of them), nothing for the
    // dust recipient; the ledger agrees to the base unit.
    const paid = walletPaidPerAddress(pool.node);
    expect(paid.get(a.address)! + paid.get(b.address)!).toBe(parseCoins('150'));
    expect(paid.has(dust.address)).toBe(false);
    await expectWalletMatchesLedger(pool.node, db);
    // Set aside: its balance stays whole, later runs do not try it again.
    const failures = (await paymentsOf(db, dust)).length;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several more runs
    expect(await paymentsOf(db, dust)).toHaveLength(failures);
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS balance FROM ledger_entry WHERE miner_id = ?',
      [dust.id],
    );
    expect(BigInt(row.balance)).toBe(parseCoins('1.000001'));
  }, 60_000);
});

describe('a labelled pool address (issue 24)', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;

  beforeAll(async () => {
    // Every coin the wallet holds came in on the labelled pool address: the "pool" account's, not
    // the "" account that `sendmany ""` spends.
    money = await startMoneyPool('labelled', { poolLabel: 'pool' });
    ({ pool, store } = money);
  });
  afterAll(async () => {
    await money?.close();
  });

  it('warns, and holds the payout with a reason instead of looping on "Account has insufficient funds"', async () => {
    const [miner] = await credit(store, [parseCoins('100')]);
    const backend = await money.startBackend(backendEnv(money));
    const warnings = await eventually(
      async () => {
        const res = await fetch(`${backend.url}/health`);
        const body = (await res.json()) as { info?: Record<string, { warnings?: string[] }> };
        return body.info?.node_main?.warnings ?? [];
      },
      (w) => w.length > 0,
      20_000,
    );
    expect(warnings).toContain(
      'the pool address carries the label "pool": its coins are not in the "" account that sendmany spends (docs/RUNBOOK.md)',
    );
    // The wallet holds 100000 BBP (all labelled); the pool reads the "" balance and sends nothing.
    expect(pool.node.wallet.balances().balance).toBe(parseCoins('100000'));
    expect(pool.node.wallet.accountBalance('')).toBe(0n);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // several payout runs
    expect(await paymentsOf(store.db, miner)).toEqual([]);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(0);
    // Funds reach the "" account (here: the label removed): the held payment goes out once.
    pool.node.wallet.settings.poolLabel = '';
    const statuses = await eventually(
      () => paymentsOf(store.db, miner),
      (s) => s.includes('sent'),
      20_000,
    );
    expect(statuses).toEqual(['sent']);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    await expectWalletMatchesLedger(pool.node, store.db);
  }, 60_000);
});
