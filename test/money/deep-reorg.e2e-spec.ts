import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { baseToCoins } from '../../src/biblepay/amount';
import { eventually, RunningApp } from '../support/harness';
import { sendsTo } from '../support/payout-scenario';
import { poolBlockWithShares } from '../support/pool-block';
import { PoolFixture } from '../support/pool-fixture';
import { RoleProcess } from '../support/role-process';
import { deepReorgBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';
import { CliResult, runCli } from '../support/backend-cli';

/**
 * A reorg deeper than maturity takes away a pool block that was already shared out and partly
 * paid (issue 11, item 3): its credits are reversed — taken back from the balance that still holds
 * them, the part already paid recorded as the pool's loss — and it is never silent: the audit
 * balances and lists it, the miner pages say it, /metrics counts it. Nobody is paid twice.
 */
describe('deep reorg after shareout: credits reversed, paid part booked as pool loss', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let frontend: RunningApp;
  let backend: RoleProcess;
  let db: mysql.Connection;
  let env: Record<string, string>;

  beforeAll(async () => {
    money = await startMoneyPool('deepreorg', { maturity: 3 });
    ({ pool, db } = money);
    frontend = await money.startFrontend();
    env = deepReorgBackendEnv(money, 20);
    backend = await money.startBackend(env);
  });
  afterAll(async () => {
    await money?.close();
  });

  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
    runCli({ ...env, ...extra }, [...args, '--network', 'main']);
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(sql, params);
    return rows as T[];
  };
  const balanceOf = async (address: string): Promise<bigint> => {
    const [row] = await query<{ b: string }>(
      `SELECT COALESCE(SUM(l.amount), 0) AS b FROM ledger_entry l JOIN miner m ON m.id = l.miner_id
        WHERE m.address = ?`,
      [address],
    );
    return BigInt(row.b);
  };

  it('reverses the credits of a shared-out, partly paid block a deep reorg takes away', async () => {
    // Two miners with an accepted share each; the pool finds block X; it matures and is shared.
    const addresses = [randomAddress('main'), randomAddress('main')];
    const x = await poolBlockWithShares(pool, frontend.url, db, addresses);
    pool.node.mine(3);
    const [shared] = await eventually(
      () =>
        query<{ id: number; status: string }>('SELECT id, status FROM block WHERE hash = ?', [
          x.hash,
        ]),
      (rows) => rows[0]?.status === 'shared',
      20_000,
    );
    const credits = new Map(
      await Promise.all(addresses.map(async (a) => [a, await balanceOf(a)] as const)),
    );
    for (const c of credits.values()) expect(c).toBeGreaterThan(0n);

    // One of them is paid (the larger balance: one recipient per run), the other is not yet.
    const paidRun = await cli(['payouts'], { PAYOUT_MAX_PER_RUN: '1' });
    expect(paidRun.out).toContain('main: sent, 1 miners');
    const paid = addresses.find((a) => sendsTo(pool.node, a).length === 1)!;
    const unpaid = addresses.find((a) => a !== paid)!;
    expect(sendsTo(pool.node, unpaid)).toHaveLength(0);
    expect(await balanceOf(paid)).toBe(0n);

    // A reorg four blocks deep (deeper than maturity) replaces X with a block paying someone else.
    pool.node.reorg(x.height);
    pool.node.mine(2);
    // Today's code left X 'shared' for ever, its credits standing and the audit failing.
    const [orphaned] = await eventually(
      () => query<{ status: string }>('SELECT status FROM block WHERE id = ?', [shared.id]),
      (rows) => rows[0]?.status === 'orphaned',
      20_000,
    );
    expect(orphaned.status).toBe('orphaned');
    const [reversed] = await query<{ reversed_at: Date | null }>(
      'SELECT reversed_at FROM block WHERE id = ?',
      [shared.id],
    );
    expect(reversed.reversed_at).not.toBeNull();

    // The unpaid credit is taken back from the balance; the paid one stays paid as pool loss.
    expect(await balanceOf(unpaid)).toBe(0n);
    expect(await balanceOf(paid)).toBe(0n);
    const records = await query<{
      address: string;
      credited: string;
      reversed: string;
      loss: string;
    }>(
      `SELECT m.address, cr.credited, cr.reversed, cr.loss FROM credit_reversal cr
         JOIN miner m ON m.id = cr.miner_id WHERE cr.block_id = ?`,
      [shared.id],
    );
    const byAddress = new Map(records.map((r) => [r.address, r]));
    expect(BigInt(byAddress.get(unpaid)!.reversed)).toBe(credits.get(unpaid));
    expect(BigInt(byAddress.get(unpaid)!.loss)).toBe(0n);
    expect(BigInt(byAddress.get(paid)!.reversed)).toBe(0n);
    expect(BigInt(byAddress.get(paid)!.loss)).toBe(credits.get(paid));
    const [{ n: reversalEntries }] = await query<{ n: number }>(
      "SELECT COUNT(*) n FROM ledger_entry WHERE block_id = ? AND category = 'reversal'",
      [shared.id],
    );
    expect(Number(reversalEntries)).toBe(1);

    // Later runs reverse nothing twice and pay nobody again.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const again = await cli(['payouts']);
    expect(again.out).toContain('main: nothing, 0 miners');
    expect(sendsTo(pool.node, paid)).toHaveLength(1);
    expect(sendsTo(pool.node, unpaid)).toHaveLength(0);
    expect(
      Number(
        (
          await query<{ n: number }>(
            "SELECT COUNT(*) n FROM ledger_entry WHERE block_id = ? AND category = 'reversal'",
            [shared.id],
          )
        )[0].n,
      ),
    ).toBe(1);

    // Never silent: the audit balances and lists it, the miner page says it, /metrics counts it.
    const audit = await cli(['audit']);
    expect(audit.out).toContain('main: OK');
    expect(audit.out).toContain(
      `note: block ${x.height} was orphaned after its shareout: ${baseToCoins(credits.get(unpaid)!)} BBP taken back from balances, ${baseToCoins(credits.get(paid)!)} BBP already paid out (pool loss)`,
    );
    expect(audit.out).toMatch(/reversed -\d/);
    const page = await (await fetch(`${frontend.url}/main/miner/${paid}`)).text();
    expect(page).toContain(`Block ${x.height} was orphaned by a chain reorganisation`);
    expect(page).toContain('stays yours (the pool bears it)');
    const unpaidPage = await (await fetch(`${frontend.url}/main/miner/${unpaid}`)).text();
    expect(unpaidPage).toContain(`Block ${x.height} reversed`);
    const metrics = await (await fetch(`${backend.url}/metrics`)).text();
    expect(metrics).toContain('purepool_blocks_reversed_total{network="main"} 1');
    expect(metrics).toContain('purepool_reversed_blocks{network="main"} 1');
    expect(metrics).toContain(`purepool_pool_loss_base_units{network="main"} ${credits.get(paid)}`);

    // Should the chain bring X back, the audit says so: its credits are not silently restored.
    pool.node.chain.undoReorg();
    pool.node.mine(1);
    const back = await eventually(
      () => cli(['audit']),
      (r) => r.code === 1,
      20_000,
    );
    expect(back.out).toContain(`reversed pool block ${x.height} is on the chain again`);
  });
});
