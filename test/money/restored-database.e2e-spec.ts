import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually } from '../support/harness';
import { MinerRow } from '../support/factories';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { adminEnv, moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const run = promisify(execFile);
const CREDIT = parseCoins('100');
const TOKEN = 'restore-test-token-0123456789abcdef';

/**
 * Issue 25, item 2: the backend's database fails over to an asynchronous replica (or is restored
 * from a dump) that lacks the last payment. Its balances look unpaid; the earlier `purepool:` send
 * in the wallet matches no payment row. Payouts refuse until an operator attaches the send to the
 * ledger (console, in the trail); the audit names the txid; nothing is sent a second time.
 */
describe('a database restored from a dump taken before a payout', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let backend: RoleProcess | undefined;
  let env: Record<string, string>;
  let db: mysql.Connection;

  const mysqlArgs = (): string[] => {
    const url = new URL(store.adminUrl);
    return [
      '-h',
      url.hostname,
      '-P',
      url.port || '3306',
      '-u',
      decodeURIComponent(url.username),
      ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []),
    ];
  };
  const database = (): string => new URL(store.adminUrl).pathname.slice(1);
  const api = async (route: string, body?: unknown): Promise<Response> =>
    fetch(`${backend!.url}${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** The backend's `purepool_unclaimed_wallet_sends{network="main"}` (the alert's series). */
  const unclaimedGauge = async (): Promise<number | undefined> => {
    const text = await (await fetch(`${backend!.url}/metrics`)).text();
    const match = /^purepool_unclaimed_wallet_sends\{network="main"\} (\S+)$/m.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const balanceOf = async (miner: MinerRow): Promise<bigint> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
      [miner.id],
    );
    return BigInt(row.b);
  };

  beforeAll(async () => {
    money = await startMoneyPool('restore');
    ({ pool, store, db } = money);
    env = moneyBackendEnv(money, {
      ...adminEnv(TOKEN, 'alice'),
      PAYOUT_RECONCILE_GRACE_SECONDS: '1',
      METRICS_SAMPLE_SECONDS: '0.5',
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await money?.close();
  });

  it('refuses payouts, names the txid in the audit, lets the console attach it, never sends twice', async () => {
    // A pool that has run: the chain walked, so the credits' block lies below the walker's recheck.
    backend = await startRoleProcess(env, await freePort());
    await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM block');
        return Number(row.n);
      },
      (n) => n > 1,
      10_000,
    );
    await backend.stop();
    backend = undefined;
    const miners = await creditedMiners(store.factories, 2, CREDIT);
    // The replica's state: everything up to the moment before the payout.
    const { stdout: dump } = await run(
      'mysqldump',
      [...mysqlArgs(), '--single-transaction', '--skip-triggers', database()],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(dump).toContain('CREATE TABLE');

    backend = await startRoleProcess(env, await freePort());
    for (const miner of miners) {
      await eventually(
        async () => sendsTo(pool.node, miner.address).length,
        (n) => n === 1,
        20_000,
      );
    }
    const txid = sendsTo(pool.node, miners[0].address)[0].txid;
    await eventually(
      async () => (await balanceOf(miners[0])) === 0n,
      (paid) => paid,
      10_000,
    );
    await backend.stop();
    backend = undefined;

    // Failover to a replica that lost the payout: the database as the dump has it.
    await new Promise<void>((resolve, reject) => {
      const child = execFile('mysql', [...mysqlArgs(), database()], (error: Error | null) =>
        error ? reject(error) : resolve(),
      );
      child.stdin!.end(dump);
    });
    expect(await balanceOf(miners[0])).toBe(CREDIT); // looks unpaid again

    backend = await startRoleProcess(env, await freePort());
    await new Promise((resolve) => setTimeout(resolve, 3000)); // many payout runs
    for (const miner of miners) expect(sendsTo(pool.node, miner.address)).toHaveLength(1);

    // The audit names the send no payment claims; the console lists it as an open problem.
    const audit = (await (await api('/admin/api/reports/audit', { network: 'main' })).json()) as {
      ok: boolean;
      problems: string[];
    };
    expect(audit.ok).toBe(false);
    expect(audit.problems.some((p) => p.includes(txid))).toBe(true);
    const problems = (await (await api('/admin/api/problems')).json()) as {
      networks: { network: string; unclaimedSends: { txid: string }[] }[];
    };
    expect(problems.networks[0].unclaimedSends.map((s) => s.txid)).toEqual([txid]);

    expect(await eventually(unclaimedGauge, (v) => v === 1, 10_000)).toBe(1);

    // The operator attaches it to the ledger: the miners' balances are paid by that send.
    const attached = await api(`/admin/api/wallet-sends/main/${txid}/attach`, {
      reason: 'lost in the failover to the replica',
    });
    expect(attached.status).toBe(200);
    const result = (await attached.json()) as { actionId: number; paymentId: number };
    expect(result.actionId).toBeGreaterThan(0);
    for (const miner of miners) expect(await balanceOf(miner)).toBe(0n);
    const [[trail]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT actor, target FROM admin_action WHERE action = 'wallet-send.attach'",
    );
    expect(trail).toMatchObject({ actor: 'alice', target: txid });

    await new Promise((resolve) => setTimeout(resolve, 2000)); // payouts resume: nothing due
    expect(await eventually(unclaimedGauge, (v) => v === 0, 10_000)).toBe(0);
    for (const miner of miners) expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    const after = (await (await api('/admin/api/reports/audit', { network: 'main' })).json()) as {
      ok: boolean;
      problems: string[];
    };
    // (The fixture's credits come from a made-up block the wallet never received: the audit's
    // block lines are about that, not about payments.)
    expect(after.problems.filter((p) => /send|payment|balance/.test(p))).toEqual([]);
    // What left the wallet equals what the ledger says was paid, to the base unit.
    const left = sendsTo(pool.node, miners[0].address)[0];
    const debit = left.outputs.reduce((s, o) => s + o.amount, 0n) + left.fee;
    const [[paid]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT -SUM(amount) AS total FROM ledger_entry WHERE category = 'payout'",
    );
    expect(BigInt(paid.total)).toBe(debit);
  }, 90_000);

  it('holds a dispatched payment the wallet never shows until the console releases it; then pays it once', async () => {
    // The node answers an error that proves nothing: the send may or may not have happened.
    pool.node.faults.failNext.set('sendmany', {
      rate: 1,
      code: -1,
      message: 'Internal error',
      count: 1,
    });
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    const [held] = await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          `SELECT p.batch_id, p.status, p.error FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
            WHERE l.miner_id = ?`,
          [miner.id],
        );
        return rows;
      },
      (rows) => typeof rows[0]?.error === 'string' && rows[0].error.includes('held until found'),
      15_000,
    );
    expect(held.status).toBe('intent');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // more runs: still held, not paid
    expect(sendsTo(pool.node, miner.address)).toHaveLength(0);
    expect(await balanceOf(miner)).toBe(0n);
    const problems = (await (await api('/admin/api/problems')).json()) as {
      networks: { unprovenPayments: { batchId: string; dispatchedAt: string; error: string }[] }[];
    };
    const listed = problems.networks[0].unprovenPayments.find((p) => p.batchId === held.batch_id);
    expect(listed?.dispatchedAt).toEqual(expect.any(String));
    expect(listed?.error).toContain(`purepool:${held.batch_id}`);

    expect((await api(`/admin/api/payments/main/${held.batch_id}/release`, {})).status).toBe(400); // a reason is required
    const released = await api(`/admin/api/payments/main/${held.batch_id}/release`, {
      reason: 'node log shows the send was never built',
    });
    expect(released.status).toBe(200);
    expect(
      (await api(`/admin/api/payments/main/${held.batch_id}/release`, { reason: 'again' })).status,
    ).toBe(409);
    const [[trail]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT actor, target FROM admin_action WHERE action = 'payment.release'",
    );
    expect(trail).toMatchObject({ actor: 'alice', target: held.batch_id });

    // Refunded, then paid by the next run: once, to the base unit.
    await eventually(
      async () => sendsTo(pool.node, miner.address).length,
      (n) => n === 1,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sends = sendsTo(pool.node, miner.address);
    expect(sends).toHaveLength(1);
    expect(sends[0].outputs[0].amount + sends[0].fee).toBe(CREDIT);
    expect(await balanceOf(miner)).toBe(0n);
  }, 60_000);

  it('answers bad console input with a 4xx, never a 500', async () => {
    expect((await api('/admin/api/wallet-sends/main/nothex/attach', { reason: 'x' })).status).toBe(
      400,
    );
    expect(
      (await api(`/admin/api/wallet-sends/main/${'ab'.repeat(32)}/dismiss`, { reason: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await api('/admin/api/payments/main/no-such-batch/release', { reason: 'x' })).status,
    ).toBe(404);
    expect((await api('/admin/api/payments/moon/x/release', { reason: 'x' })).status).toBe(400);
  });
});
