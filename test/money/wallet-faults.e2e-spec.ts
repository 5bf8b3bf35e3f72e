import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { parseCoins } from '../../src/biblepay/amount';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually, RunningApp } from '../support/harness';
import { MinerRow } from '../support/factories';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const CREDIT = parseCoins('100');
const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

/**
 * The wallet may answer an error after it committed a send, or lose the comment that names the
 * batch (issue 11, item 5): the hold is given back only when the error proves nothing was sent,
 * and reconciliation finds a send by its exact outputs when its comment is gone. Each miner is
 * paid exactly once.
 */
describe('wallet faults: errors after commit, lost comments, a batch the wallet cannot cover', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let db: mysql.Connection;
  let frontend: RunningApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    money = await startMoneyPool('wallet');
    ({ pool, store, db } = money);
    env = moneyBackendEnv(money, {
      PAYOUT_RECONCILE_GRACE_SECONDS: '1',
      PAYOUT_SET_ASIDE_AFTER_FAILURES: '2',
    });
    await money.startBackend(env);
    frontend = await money.startFrontend();
  });
  afterAll(async () => {
    await money?.close();
  });

  const paymentsOf = async (miner: MinerRow) => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      `SELECT DISTINCT p.id, p.status FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
        WHERE l.miner_id = ? ORDER BY p.id`,
      [miner.id],
    );
    return rows.map((r) => r.status as string);
  };
  const ledgerBalance = async (miner: MinerRow): Promise<bigint> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
      [miner.id],
    );
    return BigInt(row.b);
  };
  /** Paid once, the payment sent, nothing refunded, the balance at zero — also a while later. */
  const expectPaidExactlyOnce = async (miners: MinerRow[]) => {
    for (const miner of miners) {
      const statuses = await eventually(
        () => paymentsOf(miner),
        (s) => s.length > 0 && s.every((x) => x === 'sent'),
        20_000,
      );
      expect(statuses).toEqual(['sent']);
    }
    await new Promise((resolve) => setTimeout(resolve, 2500)); // several more payout runs
    for (const miner of miners) {
      expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
      expect(await paymentsOf(miner)).toEqual(['sent']);
      expect(await ledgerBalance(miner)).toBe(0n);
    }
  };

  it('keeps the hold when sendmany fails after the wallet committed (-4), and finds the send', async () => {
    pool.node.faults.errorsAfter.set('sendmany', {
      rate: 1,
      code: -4,
      message:
        'Error: The transaction was rejected! This might happen if some of the coins in your wallet were already spent',
      count: 1,
    });
    const miners = await creditedMiners(store.factories, 3, CREDIT);
    await expectPaidExactlyOnce(miners);
  });

  it('finds a send whose comment was lost by its exact outputs', async () => {
    pool.node.wallet.dropNextComments = 1; // the node crashes before it writes the comment ...
    pool.node.faults.loseReplies.set('sendmany', 1); // ... and the reply never arrives
    const miners = await creditedMiners(store.factories, 2, CREDIT);
    await expectPaidExactlyOnce(miners);
    expect(sendsTo(pool.node, miners[0].address)[0].comment).toBe('');
  });

  it('keeps holding a dispatched payment the wallet lost track of (never refunded on absence), and marks it sent when a rescan finds it', async () => {
    pool.node.wallet.hideNextSends = 1; // the send commits, the wallet loses its record ...
    pool.node.faults.loseReplies.set('sendmany', 1); // ... and the reply never arrives
    const [miner] = await creditedMiners(store.factories, 1, CREDIT);
    await eventually(
      () => paymentsOf(miner),
      (s) => s.length === 1,
      20_000,
    );
    // Far past the grace period the wallet still lists nothing: the payment stays held (intent),
    // with the wallet's evidence, and nothing more is sent.
    const evidence = await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>(
          `SELECT p.status, p.error, p.dispatched_at FROM payment p JOIN ledger_entry l ON l.payment_id = p.id
            WHERE l.miner_id = ? ORDER BY p.id LIMIT 1`,
          [miner.id],
        );
        return row;
      },
      (row) => typeof row?.error === 'string' && row.error.includes('held until found'),
      20_000,
    );
    expect(evidence.status).toBe('intent');
    expect(evidence.dispatched_at).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // several more payout runs
    expect(await paymentsOf(miner)).toEqual(['intent']);
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1); // the coins did leave, once
    expect(await ledgerBalance(miner)).toBe(0n); // still held

    expect(pool.node.wallet.rescan()).toBe(1); // a rescan finds the send again
    const after = await eventually(
      () => paymentsOf(miner),
      (s) => s[0] === 'sent',
      20_000,
    );
    expect(after).toEqual(['sent']);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several more payout runs
    expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
    expect(await paymentsOf(miner)).toEqual(['sent']);
    expect(await ledgerBalance(miner)).toBe(0n);
  });

  it('still gives the hold back at once when the error proves nothing was sent (-6)', async () => {
    pool.node.faults.failNext.set('sendmany', {
      rate: 1,
      code: -6,
      message: 'Insufficient funds',
      count: 1,
    });
    const miners = await creditedMiners(store.factories, 1, CREDIT);
    await eventually(
      () => paymentsOf(miners[0]),
      (s) => s[s.length - 1] === 'sent',
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const statuses = await paymentsOf(miners[0]);
    expect(statuses[0]).toBe('failed'); // refunded at once ...
    expect(statuses.slice(1)).toEqual(['sent']); // ... and paid by the next run, once
    expect(sendsTo(pool.node, miners[0].address)).toHaveLength(1);
    expect(await ledgerBalance(miners[0])).toBe(0n);
  });

  it('sends a batch the wallet refuses as too large in parts, paying everyone once', async () => {
    pool.node.wallet.maxSendOutputs = 2;
    try {
      const miners = await creditedMiners(store.factories, 5, CREDIT);
      for (const miner of miners) {
        await eventually(
          async () => sendsTo(pool.node, miner.address).length,
          (n) => n === 1,
          20_000,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const miner of miners) {
        expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
        expect(await ledgerBalance(miner)).toBe(0n);
      }
      // Nobody is shown an error for the batch's size.
      const [[errors]] = await db.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM payment_error WHERE miner_id IN (${miners.map(() => '?').join(',')})`,
        miners.map((m) => m.id),
      );
      expect(Number(errors.n)).toBe(0);
    } finally {
      pool.node.wallet.maxSendOutputs = 0;
    }
  });

  it('sets aside a recipient whose payments keep failing and pays the rest; released, it is paid', async () => {
    const miners = await creditedMiners(store.factories, 3, CREDIT);
    const [refused, ...others] = miners;
    pool.node.wallet.refusedAddresses.add(refused.address);
    try {
      for (const miner of others) {
        await eventually(
          async () => sendsTo(pool.node, miner.address).length,
          (n) => n === 1,
          20_000,
        );
      }
      const [setAside] = await eventually(
        async () => {
          const [rows] = await db.query<mysql.RowDataPacket[]>(
            'SELECT failures, set_aside_at FROM payout_set_aside WHERE miner_id = ?',
            [refused.id],
          );
          return rows;
        },
        (rows) => rows[0]?.set_aside_at != null,
        20_000,
      );
      expect(Number(setAside.failures)).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // set aside: no more attempts
      const [[attempts]] = await db.query<mysql.RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM payment_error WHERE miner_id = ?',
        [refused.id],
      );
      expect(Number(attempts.n)).toBe(2);
      expect(sendsTo(pool.node, refused.address)).toHaveLength(0);
      expect(await ledgerBalance(refused)).toBe(CREDIT);
      for (const miner of others) {
        expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
        expect(await ledgerBalance(miner)).toBe(0n);
      }
      const page = await (await fetch(`${frontend.url}/main/miner/${refused.address}`)).text();
      expect(page).toContain('Payouts to this address are set aside');
      expect(page).toContain(`Invalid Biblepay address: ${refused.address}`);
    } finally {
      pool.node.wallet.refusedAddresses.delete(refused.address);
    }
    const { stdout } = await run(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'src/cli/main.ts',
        'release-payout',
        '--address',
        refused.address,
        '--network',
        'main',
      ],
      { cwd: ROOT, env: { ...process.env, ...env, BROKER_CONNECT_WAIT_MS: '2000' } },
    );
    expect(stdout).toContain('released');
    await eventually(
      async () => sendsTo(pool.node, refused.address).length,
      (n) => n === 1,
      20_000,
    );
    expect(await ledgerBalance(refused)).toBe(0n);
  });

  it('pays what the spendable balance covers instead of refusing the whole batch', async () => {
    const spendable = (): bigint => pool.node.wallet.balances(1).balance;
    // Leave the wallet with one and a half credits: one miner can be paid now, not three.
    const drain = spendable() - (CREDIT + CREDIT / 2n);
    if (drain > 0n) {
      pool.node.wallet.send({
        amounts: [[randomAddress('main'), drain - pool.node.wallet.settings.txFee]],
        comment: 'elsewhere',
        commentTo: '',
        subtractFeeFrom: [],
        minConf: 1,
        style: 'sendmany',
      });
    }
    const miners = await creditedMiners(store.factories, 3, CREDIT);
    await eventually(
      async () => miners.filter((m) => sendsTo(pool.node, m.address).length > 0).length,
      (n) => n === 1,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(miners.filter((m) => sendsTo(pool.node, m.address).length > 0)).toHaveLength(1);

    pool.node.wallet.fund(CREDIT * 3n);
    for (const miner of miners) {
      await eventually(
        async () => sendsTo(pool.node, miner.address).length,
        (n) => n === 1,
        15_000,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const miner of miners) {
      expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
      expect(await ledgerBalance(miner)).toBe(0n);
    }
  });
});
