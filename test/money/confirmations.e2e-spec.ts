import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually, RunningApp } from '../support/harness';
import { MinerRow } from '../support/factories';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { RoleProcess } from '../support/role-process';
import { expectWalletMatchesLedger, walletPaidPerAddress } from '../support/wallet-check';
import { adminEnv, moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const CREDIT = parseCoins('100');
const TOKEN = 'confirmations-test-token-0123456789ab';

/**
 * Issue 25, item 4: a payment is `broadcast` (the wallet holds it) until it has
 * PAYOUT_CONFIRMATIONS confirmations, then `confirmed`. A send the wallet reports conflicted
 * (negative confirmations) or abandoned is an open problem with an alert, and its coins go back to
 * the miner only when an operator re-credits it (in the trail) — once. A send the wallet stored
 * after a -4 (the mempool refused it) is found as sent, never confirms, and once abandoned in the
 * wallet is the same open problem. Money is counted from what left the simulated wallet.
 */
describe('payment confirmations, conflicted and abandoned sends', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let backend: RoleProcess;
  let frontend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool('confirm');
    ({ pool, store, db } = money);
    frontend = await money.startFrontend({ MINER_CACHE_SECONDS: '0', WEB_CACHE_SECONDS: '0' });
    backend = await money.startBackend(
      moneyBackendEnv(money, {
        ...adminEnv(TOKEN, 'carol'),
        PAYOUT_RECONCILE_GRACE_SECONDS: '1',
        METRICS_SAMPLE_SECONDS: '0.5',
      }),
    );
  });
  afterAll(async () => {
    await money?.close();
  });

  const api = async (route: string, body?: unknown): Promise<Response> =>
    fetch(`${backend.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const paymentOf = async (miner: MinerRow): Promise<mysql.RowDataPacket | undefined> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT p.* FROM payment p WHERE p.id = (SELECT MAX(l.payment_id) FROM ledger_entry l
        WHERE l.miner_id = ? AND l.category = 'payout')`,
      [miner.id],
    );
    return rows[0];
  };
  const balanceOf = async (miner: MinerRow): Promise<bigint> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
      [miner.id],
    );
    return BigInt(row.b);
  };
  const page = async (miner: MinerRow): Promise<string> =>
    (await fetch(`${frontend.url}/main/miner/${miner.address}/`)).text();
  /** The miner's page once it lists the payment as sent, awaiting confirmation. */
  const awaitingOnPage = async (miner: MinerRow): Promise<string> => {
    const html = await eventually(
      () => page(miner),
      (text) => text.includes('id="paid-unconfirmed"'),
      10_000,
    );
    expect(html).toContain('Sent, awaiting confirmation');
    return html;
  };
  /** One more block: the miner's payment is confirmed. */
  const confirmedByNextBlock = (miner: MinerRow) => {
    pool.node.mine(1);
    return eventually(
      () => paymentOf(miner),
      (p) => p?.confirmed_at != null,
      10_000,
    );
  };
  const conflictedGauge = async (): Promise<number | undefined> => {
    const text = await (await fetch(`${backend.url}/metrics`)).text();
    const match = /^purepool_conflicted_payments\{network="main"\} (\S+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const sentPayment = (miner: MinerRow) =>
    eventually(
      () => paymentOf(miner),
      (p) => p?.status === 'sent',
      20_000,
    );

  it('is broadcast until the block that confirms it, then confirmed; the miner page shows each', async () => {
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    const payment = await sentPayment(miner);
    // The wallet holds it, unmined: broadcast — seen on the backend's own record of the wallet.
    const broadcast = await eventually(
      () => paymentOf(miner),
      (p) => p?.confirmations === 0,
      10_000,
    );
    expect(broadcast?.confirmed_at).toBeNull();
    const pending = await awaitingOnPage(miner);
    expect(pending).not.toContain('id="paid-confirmed"');

    const confirmed = await confirmedByNextBlock(miner);
    expect(confirmed?.id).toBe(payment?.id);
    expect(Number(confirmed?.confirmations)).toBeGreaterThanOrEqual(1);
    const done = await eventually(
      () => page(miner),
      (html) => html.includes('id="paid-confirmed"'),
      10_000,
    );
    expect(done).not.toContain('id="paid-unconfirmed"');
    expect(walletPaidPerAddress(pool.node).get(miner.address)).toBe(CREDIT);
    await expectWalletMatchesLedger(pool.node, db);
  }, 60_000);

  it('makes a conflicted send an open problem with an alert; only the operator re-credits it, once', async () => {
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    const payment = await sentPayment(miner);
    const txid = String(payment!.txid);
    await pool.node.call('sim_conflict', txid); // a double spend of its coins is mined

    const problems = await eventually(
      async () => (await (await api('/admin/api/problems')).json()) as Record<string, unknown>,
      (body) => JSON.stringify(body).includes(txid),
      15_000,
    );
    expect(JSON.stringify(problems)).toContain('conflicted');
    expect(await eventually(conflictedGauge, (v) => v === 1, 10_000)).toBe(1);
    // Several more payout runs: the coins stay held, nothing is re-credited or sent on its own.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await balanceOf(miner)).toBe(0n);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    expect(walletPaidPerAddress(pool.node).get(miner.address) ?? 0n).toBe(0n);

    const recredit = await api(`/admin/api/payments/main/${payment!.batch_id}/recredit`, {
      reason: 'double spend mined in its place',
    });
    expect(recredit.status).toBe(200);
    const again = await api(`/admin/api/payments/main/${payment!.batch_id}/recredit`, {
      reason: 'twice',
    });
    expect(again.status).toBe(409);
    const [trail] = await db.query<mysql.RowDataPacket[]>(
      "SELECT actor, target, reason FROM admin_action WHERE action = 'payment.recredit'",
    );
    expect(trail).toEqual([
      { actor: 'carol', target: payment!.batch_id, reason: 'double spend mined in its place' },
    ]);
    // Back exactly once: the next run pays it again, one send that really left the wallet.
    await eventually(
      async () => sendsTo(pool.node, miner.address).length,
      (n) => n === 2,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sendsTo(pool.node, miner.address)).toHaveLength(2);
    expect(walletPaidPerAddress(pool.node).get(miner.address)).toBe(CREDIT);
    expect(await balanceOf(miner)).toBe(0n);
    const [[refunds]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) n, SUM(amount) s FROM ledger_entry WHERE payment_id = ? AND category = 'payout_refund'",
      [payment!.id],
    );
    expect(Number(refunds.n)).toBe(1);
    expect(BigInt(refunds.s)).toBe(CREDIT);
    expect(await eventually(conflictedGauge, (v) => v === 0, 10_000)).toBe(0);
    pool.node.mine(1);
    await expectWalletMatchesLedger(pool.node, db);
  }, 60_000);

  /** A miner credited CREDIT, paid, its send mined one block deep and the payment confirmed. */
  const confirmedPayment = async () => {
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    const payment = await sentPayment(miner);
    const txid = String(payment!.txid);
    await confirmedByNextBlock(miner);
    return { miner, payment, txid };
  };

  it('still re-checks a confirmed payment while shallow: a conflict after its first confirmation is an open problem', async () => {
    const { miner, payment, txid } = await confirmedPayment();
    // A reorganisation replaces its block with one carrying a double spend of its coins.
    await pool.node.call('sim_conflict', txid);
    const held = await eventually(
      () => paymentOf(miner),
      (p) => p?.wallet_problem != null,
      15_000,
    );
    expect(held?.wallet_problem).toMatch(/^conflicted/);
    const problems = JSON.stringify(await (await api('/admin/api/problems')).json());
    expect(problems).toContain(txid);
    expect(problems).toContain('conflicted');
    expect(held?.confirmed_at).toBeNull();
    expect(walletPaidPerAddress(pool.node).get(miner.address) ?? 0n).toBe(0n);
    // Cleaned up for the tests after this one: the operator re-credits it, it is paid again.
    const recredit = await api(`/admin/api/payments/main/${payment!.batch_id}/recredit`, {
      reason: 'conflicted after its first confirmation',
    });
    expect(recredit.status).toBe(200);
    await eventually(
      async () => sendsTo(pool.node, miner.address).length,
      (n) => n === 2,
      20_000,
    );
    pool.node.mine(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(walletPaidPerAddress(pool.node).get(miner.address)).toBe(CREDIT);
    await expectWalletMatchesLedger(pool.node, db);
  }, 60_000);

  it('makes a confirmed payment whose block a reorg takes away (not conflicted) await confirmation again', async () => {
    const { miner, payment, txid } = await confirmedPayment();
    // A reorganisation takes its block away; the new chain does not carry it: 0 confirmations,
    // back in the mempool, not conflicted.
    await pool.node.call('sim_unmine', txid);
    const back = await eventually(
      () => paymentOf(miner),
      (p) => Number(p?.confirmations) === 0,
      10_000,
    );
    expect({
      confirmations: Number(back?.confirmations),
      confirmed: back?.confirmed_at != null,
      problem: back?.wallet_problem,
    }).toEqual({ confirmations: 0, confirmed: false, problem: null });
    await awaitingOnPage(miner);
    // Asked about again: mined once more, it is confirmed once more; paid once.
    const again = await confirmedByNextBlock(miner);
    expect(again?.id).toBe(payment?.id);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    expect(walletPaidPerAddress(pool.node).get(miner.address)).toBe(CREDIT);
    await expectWalletMatchesLedger(pool.node, db);
  }, 60_000);

  it('finds a send stored after a -4 as sent, never confirmed; abandoned, it is a problem the operator re-credits', async () => {
    pool.node.faults.errorsAfter.set('sendmany', {
      rate: 1,
      code: -4,
      message: 'Transaction commit failed',
      count: 1,
    });
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    const payment = await sentPayment(miner); // found by reconciliation, not refunded
    const txid = String(payment!.txid);
    pool.node.mine(2);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several runs: still unconfirmed
    const unconfirmed = await paymentOf(miner);
    expect(unconfirmed?.confirmed_at).toBeNull();
    expect(unconfirmed?.status).toBe('sent');
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);

    await pool.node.call('abandontransaction', txid); // the operator gives it up in the wallet
    await eventually(
      async () => JSON.stringify(await (await api('/admin/api/problems')).json()),
      (text) => text.includes(txid) && text.includes('abandoned'),
      15_000,
    );
    expect(await balanceOf(miner)).toBe(0n);
    const recredit = await api(`/admin/api/payments/main/${payment!.batch_id}/recredit`, {
      reason: 'refused by the mempool, abandoned',
    });
    expect(recredit.status).toBe(200);
    await eventually(
      async () => sendsTo(pool.node, miner.address).length,
      (n) => n === 2,
      20_000,
    );
    pool.node.mine(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(walletPaidPerAddress(pool.node).get(miner.address)).toBe(CREDIT);
    await expectWalletMatchesLedger(pool.node, db);
  }, 60_000);
});
