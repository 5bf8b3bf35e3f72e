import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { randomAddress } from '../../src/biblepay/address';
import { feeOf } from '../../src/modules/block/split';
import { mineOneShare } from '../../sim/miner/sim-miner';
import { eventually, RunningApp } from '../support/harness';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { RoleProcess } from '../support/role-process';
import { poolAddresses } from '../support/test-env';
import { chainBackendEnv, REORG_CHAIN, MoneyPool, startMoneyPool } from '../support/money-pool';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
/** The simulated node's coinbase: not a whole number of coins (exec subsidy says 5492). */
const SUBSIDY = parseCoins('5492.75');
const FEE_PPM = 15_000; // 1.5 %

/**
 * The chain may rewind and reorganise (issue 11, items 1, 2 and 4): a node behind the pool's view
 * orphans nothing, a pool block that appears at an already-walked height is found, a pool block
 * orphaned and then back on the chain is restored, and each is credited its exact coinbase value.
 */
describe('chain faults: a node behind, reorgs at walked heights, A → B → A', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let frontend: RunningApp;
  let backend: RoleProcess;
  let db: mysql.Connection;
  let env: Record<string, string>;

  beforeAll(async () => {
    money = await startMoneyPool('chain', { maturity: 3, walletBalance: 0n });
    ({ pool, store, db } = money);
    frontend = await money.startFrontend();
    env = chainBackendEnv(money, {
      ...REORG_CHAIN,
      REORG_DEPTH_MAIN: '10',
      POOL_FEE_PERCENT: '1.5',
    });
    backend = await money.startBackend(env);
  });
  afterAll(async () => {
    await money?.close();
  });

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** One honest share, accepted, so the next pool block has somebody to pay. */
  const acceptedShare = async (): Promise<string> => {
    const share = await mineOneShare({
      pool: frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId: `${randomAddress('main')}/rig`,
    });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
    await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          'SELECT id FROM solution WHERE work_id = ?',
          [share.work.workId],
        );
        return rows.length;
      },
      (n) => n === 1,
    );
    await pause(1100); // the block comes after the share's second
    return share.work.minerGuid;
  };
  const blockRow = async (hash: string) => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(
      'SELECT id, height, status, subsidy, pool_fee FROM block WHERE hash = ?',
      [hash],
    );
    return rows[0] as
      | { id: number; height: number; status: string; subsidy: string; pool_fee: string | null }
      | undefined;
  };
  const statusBecomes = (hash: string, status: string, ms = 20_000) =>
    eventually(
      () => blockRow(hash),
      (row) => row?.status === status,
      ms,
    );
  /** Shared out with its exact coinbase value: credits = subsidy − fee, to the base unit. */
  const expectSharedExactly = async (hash: string) => {
    const row = await statusBecomes(hash, 'shared');
    expect(row?.status).toBe('shared');
    expect(BigInt(row!.subsidy)).toBe(SUBSIDY);
    const fee = feeOf(SUBSIDY, FEE_PPM);
    expect(BigInt(row!.pool_fee!)).toBe(fee);
    const [[credit]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS total FROM ledger_entry WHERE block_id = ?',
      [row!.id],
    );
    expect(BigInt(credit.total)).toBe(SUBSIDY - fee);
  };

  it('a node that falls behind orphans nothing; the block is credited once it catches up', async () => {
    const guid = await acceptedShare();
    const [block] = pool.node.mine(1, { recipient: poolAddresses().main, minerGuid: guid });
    expect((await statusBecomes(block.hash, 'pending'))?.status).toBe('pending');

    pool.node.chain.rewind(block.height - 2); // restarted with -reindex
    await pause(2000); // several job runs
    expect((await blockRow(block.hash))?.status).toBe('pending');
    const health = await fetch(`${backend.url}/health`);
    expect(JSON.stringify(await health.json())).toContain('node is behind');

    pool.node.chain.catchUp();
    pool.node.mine(3);
    await expectSharedExactly(block.hash);
    // /health reuses one check for up to a second: ask until a fresh one answers.
    const healthText = async () =>
      JSON.stringify(await (await fetch(`${backend.url}/health`)).json());
    expect(
      await eventually(healthText, (text) => !text.includes('node is behind'), 5000),
    ).not.toContain('node is behind');
  });

  it('finds a pool block that a reorganisation brings at an already-walked height', async () => {
    await acceptedShare();
    const walked = pool.node.mine(3);
    await eventually(
      () => blockRow(walked[2].hash),
      (row) => row !== undefined,
    );
    const replacement = pool.node.reorg(walked[0].height, { recipient: poolAddresses().main });
    pool.node.mine(3);
    await expectSharedExactly(replacement.hash);
    // The replaced blocks are marked orphaned, not counted.
    expect((await blockRow(walked[0].hash))?.status).toBe('orphaned');
  });

  it('restores an orphaned pool block the chain brings back (A → B → A) and credits it once', async () => {
    const guid = await acceptedShare();
    const [a] = pool.node.mine(1, { recipient: poolAddresses().main, minerGuid: guid });
    await statusBecomes(a.hash, 'pending');
    pool.node.reorg(a.height); // B replaces A ...
    pool.node.mine(2); // ... and is buried deep enough for A to count as orphaned
    expect((await statusBecomes(a.hash, 'orphaned'))?.status).toBe('orphaned');

    pool.node.chain.undoReorg(); // A is the chain again
    pool.node.mine(3);
    await expectSharedExactly(a.hash);
  });

  it('leaves a ledger the audit proves', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'src/cli/main.ts', 'audit', '--network', 'main'],
      { cwd: ROOT, env: { ...process.env, ...env, BROKER_CONNECT_WAIT_MS: '2000' } },
    );
    expect(stdout).toContain('main: OK');
  });

  it('proves the ledger against the wallet: a payment or a coinbase the wallet does not have is flagged', async () => {
    const audit = async (): Promise<{ code: number; out: string }> => {
      try {
        const { stdout } = await run(
          process.execPath,
          ['-r', '@swc-node/register', 'src/cli/main.ts', 'audit', '--network', 'main'],
          { cwd: ROOT, env: { ...process.env, ...env, BROKER_CONNECT_WAIT_MS: '2000' } },
        );
        return { code: 0, out: stdout };
      } catch (error) {
        const e = error as { code: number; stdout: string };
        return { code: e.code, out: e.stdout };
      }
    };
    const [[block]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT id, height FROM block WHERE is_pool_block = 1 AND status = 'shared' ORDER BY height LIMIT 1",
    );
    const ghost = await store.factories.payment({ status: 'sent', total: 1n });
    await db.query('UPDATE block SET subsidy = subsidy + 1 WHERE id = ?', [block.id]);
    try {
      const result = await audit();
      expect(result.code).toBe(1);
      expect(result.out).toContain(
        `payment ${ghost.batchId}: its txid ${ghost.txid} is not in the wallet`,
      );
      expect(result.out).toContain(
        `pool block ${block.height}: the wallet received ${SUBSIDY}, the ledger counts ${SUBSIDY + 1n}`,
      );
    } finally {
      await db.query('UPDATE block SET subsidy = subsidy - 1 WHERE id = ?', [block.id]);
      await db.query('DELETE FROM payment WHERE id = ?', [ghost.id]);
    }
    expect((await audit()).code).toBe(0);
  });
});
