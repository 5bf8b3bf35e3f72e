import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { parseCoins } from '../../src/biblepay/amount';
import { mineOneShare } from '../../sim/miner/sim-miner';
import type { ChainBlock } from '../../sim/node/chain';
import { eventually, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { poolAddresses, roleEnv } from '../support/test-env';
import { expectWalletMatchesLedger } from '../support/wallet-check';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const REORG_DEPTH = 8;

/**
 * Issue 25 (the 30-minute soak, seed 20261206): two deep reorgs close together — the first
 * replaced heights 518..525 (a shared-out pool block reversed), the second 18 s later replaced
 * 516..531, starting at an older shared-out pool block. The second reorg was deeper than
 * REORG_DEPTH (the first had left no shared pool block nearer the tip), and block 516 stayed
 * counted as the pool's, shared with its credits standing, although the wallet no longer held its
 * coinbase. Whatever the depth, a shared-out pool block the chain replaced is reversed; a pool
 * block the replacing chain brings at that height is a new block, counted by its own hash, only
 * when the wallet holds its coinbase. The audit (ledger against the wallet) passes throughout and
 * what left the wallet equals what the ledger says was paid.
 */
describe('deep reorgs close together, the second deeper than REORG_DEPTH', () => {
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let frontend: RunningApp;
  let backend: RoleProcess | undefined;
  let db: mysql.Connection;
  let env: Record<string, string>;

  beforeAll(async () => {
    pool = await startPoolFixture({ maturity: 3, walletBalance: parseCoins('100000') });
    store = await isolatedDatabase('reorg2');
    db = store.db;
    frontend = await startRole('frontend', { ...pool.env, DATABASE_URL: store.frontendUrl });
    env = roleEnv('backend', {
      ...pool.env,
      DATABASE_URL: store.backendUrl,
      MATURITY_CONFIRMATIONS_MAIN: '3',
      ORPHAN_CONFIRMATIONS: '2',
      REORG_DEPTH_MAIN: String(REORG_DEPTH),
      BLOCK_POLL_SECONDS: '0.3',
      SHAREOUT_INTERVAL_SECONDS: '0.3',
      PAYOUT_INTERVAL_SECONDS: '3600',
      RATING_INTERVAL_SECONDS: '3600',
      PAYOUT_MINIMUM_MAIN: '1',
      PAYOUT_MIN_INTERVAL_HOURS: '0',
      CHAIN_WALK_START_DEPTH: '0',
      ROUND_BACKLOG_WAIT_SECONDS: '5',
    });
    backend = await startRoleProcess(env, await freePort());
  });
  afterAll(async () => {
    await backend?.stop();
    await frontend?.close();
    await pool?.close();
    await store?.drop();
  });

  const cli = async (
    args: string[],
    extra: Record<string, string> = {},
  ): Promise<{ code: number; out: string }> => {
    try {
      const { stdout } = await run(
        process.execPath,
        ['-r', '@swc-node/register', 'src/cli/main.ts', ...args, '--network', 'main'],
        { cwd: ROOT, env: { ...process.env, ...env, BROKER_CONNECT_WAIT_MS: '2000', ...extra } },
      );
      return { code: 0, out: stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, out: `${e.stdout}${e.stderr}` };
    }
  };
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(sql, params);
    return rows as T[];
  };
  const rowOf = async (hash: string) =>
    (
      await query<{ id: number; status: string; reversed_at: Date | null; is_pool_block: number }>(
        'SELECT id, status, reversed_at, is_pool_block FROM block WHERE hash = ?',
        [hash],
      )
    )[0];

  /** Shares from `addresses`, then a pool block: the round it pays holds those shares. */
  const poolBlockWithShares = async (addresses: string[]): Promise<ChainBlock> => {
    const [{ n: before }] = await query<{ n: number }>('SELECT COUNT(*) n FROM solution');
    let guid = '';
    for (const address of addresses) {
      const share = await mineOneShare({
        pool: frontend.url,
        network: 'main',
        node: pool.node.url,
        workerId: `${address}/rig`,
      });
      expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
      guid = share.work.minerGuid;
    }
    await eventually(
      async () => (await query<{ n: number }>('SELECT COUNT(*) n FROM solution'))[0].n,
      (n) => Number(n) === Number(before) + addresses.length,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the block comes after the shares
    return pool.node.mine(1, { recipient: poolAddresses().main, minerGuid: guid })[0];
  };
  const shared = (block: ChainBlock) =>
    eventually(
      () => rowOf(block.hash),
      (row) => row?.status === 'shared',
      20_000,
    );
  /** The walker has stored the chain's tip (by hash): every job after it saw the reorg. */
  const walkedTip = () =>
    eventually(
      () => rowOf(pool.node.chain.tip.hash),
      (row) => row !== undefined,
      20_000,
    );
  /** The audit, once the block jobs have caught up with the chain. */
  const settledAudit = async () => {
    await walkedTip();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a few more block jobs
    return cli(['audit']);
  };
  const expectReversed = async (block: ChainBlock) => {
    const row = await rowOf(block.hash);
    expect({
      height: block.height,
      status: row.status,
      reversed: row.reversed_at !== null,
    }).toEqual({ height: block.height, status: 'orphaned', reversed: true });
  };

  it('reverses a shared pool block that a second reorg, deeper than REORG_DEPTH, takes away', async () => {
    const miners = [randomAddress('main'), randomAddress('main')];
    const a = await poolBlockWithShares(miners);
    pool.node.mine(1);
    const b = await poolBlockWithShares([miners[0]]);
    pool.node.mine(3);
    await shared(a);
    await shared(b);
    // One miner is paid: what was paid out of the reversed blocks stays paid (pool loss).
    const paidRun = await cli(['payouts'], { PAYOUT_MAX_PER_RUN: '1' });
    expect(paidRun.out).toContain('main: sent, 1 miners');

    // The first deep reorg: from b (deeper than maturity), reversed as for one deep reorg.
    pool.node.reorg(b.height);
    pool.node.mine(1);
    await eventually(
      () => rowOf(b.hash),
      (row) => row?.reversed_at != null,
      20_000,
    );
    // Moments later a second one from a, over the first's range and beyond REORG_DEPTH.
    pool.node.mine(2);
    expect(pool.node.chain.height - a.height + 1).toBeGreaterThan(REORG_DEPTH);
    pool.node.reorg(a.height);
    pool.node.mine(1);

    const audit = await settledAudit();
    expect(audit.out).not.toContain(`pool block ${a.height}: the wallet has no coinbase`);
    expect(audit.out).toContain('main: OK');
    await expectReversed(a);
    await expectReversed(b);
    await expectWalletMatchesLedger(pool.node, db);
  }, 120_000);

  it('counts a pool block the replacing chain brings at that height as a new block, by its own hash', async () => {
    const miners = [randomAddress('main'), randomAddress('main')];
    const a = await poolBlockWithShares(miners);
    pool.node.mine(1);
    const b = await poolBlockWithShares([miners[1]]);
    pool.node.mine(3);
    await shared(a);
    await shared(b);
    pool.node.reorg(b.height);
    pool.node.mine(1);
    await eventually(
      () => rowOf(b.hash),
      (row) => row?.reversed_at != null,
      20_000,
    );
    // Shares for the replacing block's round, then the second, deeper reorg: its first block
    // pays the pool again (another coinbase, another hash).
    const guid = (
      await mineOneShare({
        pool: frontend.url,
        network: 'main',
        node: pool.node.url,
        workerId: `${miners[0]}/rig`,
      })
    ).work.minerGuid;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    pool.node.mine(2);
    expect(pool.node.chain.height - a.height + 1).toBeGreaterThan(REORG_DEPTH);
    const replacement = pool.node.reorg(a.height, {
      recipient: poolAddresses().main,
      minerGuid: guid,
    });
    pool.node.mine(3);

    const audit = await settledAudit();
    expect(audit.out).not.toContain(`pool block ${a.height}: the wallet has no coinbase`);
    expect(audit.out).toContain('main: OK');
    await expectReversed(a);
    // The new block is its own row, counted at its own coinbase, shared out in its own round.
    const fresh = await shared(replacement);
    expect(fresh.id).not.toBe((await rowOf(a.hash)).id);
    expect(fresh.is_pool_block).toBe(1);
    const final = await settledAudit();
    expect(final.out).toContain('main: OK');
    await expectWalletMatchesLedger(pool.node, db);
  }, 120_000);

  it('reverses both when the backend was down for both reorgs and restarts after them', async () => {
    const miners = [randomAddress('main'), randomAddress('main')];
    const a = await poolBlockWithShares(miners);
    pool.node.mine(1);
    const b = await poolBlockWithShares(miners);
    pool.node.mine(3);
    await shared(a);
    await shared(b);
    await backend!.stop();
    backend = undefined;
    pool.node.reorg(b.height);
    pool.node.mine(3);
    pool.node.reorg(a.height);
    pool.node.mine(2);
    backend = await startRoleProcess(env, await freePort());

    const audit = await settledAudit();
    expect(audit.out).not.toContain('the wallet has no coinbase');
    expect(audit.out).toContain('main: OK');
    await expectReversed(a);
    await expectReversed(b);
    await expectWalletMatchesLedger(pool.node, db);
  }, 120_000);

  it('reverses both with two backends, the first killed right after the second reorg', async () => {
    const second = await startRoleProcess(env, await freePort());
    try {
      const miners = [randomAddress('main'), randomAddress('main')];
      const a = await poolBlockWithShares(miners);
      pool.node.mine(1);
      const b = await poolBlockWithShares(miners);
      pool.node.mine(3);
      await shared(a);
      await shared(b);
      pool.node.reorg(b.height);
      pool.node.mine(3);
      pool.node.reorg(a.height);
      // Whichever backend held the block job's lease, one of them dies mid-way.
      backend!.child.kill('SIGKILL');
      await backend!.exited;
      backend = undefined;
      pool.node.mine(1);

      const audit = await settledAudit();
      expect(audit.out).not.toContain('the wallet has no coinbase');
      expect(audit.out).toContain('main: OK');
      await expectReversed(a);
      await expectReversed(b);
      await expectWalletMatchesLedger(pool.node, db);
    } finally {
      backend = second;
    }
  }, 120_000);
});
