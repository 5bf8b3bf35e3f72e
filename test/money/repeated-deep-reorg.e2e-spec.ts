import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { mineOneShare } from '../../sim/miner/sim-miner';
import type { ChainBlock } from '../../sim/node/chain';
import { eventually, RunningApp } from '../support/harness';
import { poolBlockWithShares as minePoolBlock } from '../support/pool-block';
import { PoolFixture } from '../support/pool-fixture';
import { deepReorgBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { poolAddresses } from '../support/test-env';
import { expectWalletMatchesLedger } from '../support/wallet-check';
import { CliResult, runCli } from '../support/backend-cli';

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
  let money: MoneyPool;
  let pool: PoolFixture;
  let frontend: RunningApp;
  let backend: RoleProcess | undefined;
  let db: mysql.Connection;
  let env: Record<string, string>;

  beforeAll(async () => {
    money = await startMoneyPool('reorg2', { maturity: 3 });
    ({ pool, db } = money);
    frontend = await money.startFrontend();
    env = deepReorgBackendEnv(money, REORG_DEPTH);
    // Started and stopped here, not by `money`: some cases kill it and start others.
    backend = await startRoleProcess(env, await freePort());
  });
  afterAll(async () => {
    await backend?.stop();
    await money?.close();
  });

  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
    runCli({ ...env, ...extra }, [...args, '--network', 'main']);
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

  const poolBlockWithShares = (addresses: string[]): Promise<ChainBlock> =>
    minePoolBlock(pool, frontend.url, db, addresses);
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

  /** Pool block a (shares from `first`), a block, pool block b (shares from `second`): both shared out. */
  const twoSharedPoolBlocks = async (
    first: string[],
    second: string[],
  ): Promise<{ a: ChainBlock; b: ChainBlock }> => {
    const a = await poolBlockWithShares(first);
    pool.node.mine(1);
    const b = await poolBlockWithShares(second);
    pool.node.mine(3);
    await shared(a);
    await shared(b);
    return { a, b };
  };
  const reversed = (block: ChainBlock) =>
    eventually(
      () => rowOf(block.hash),
      (row) => row?.reversed_at != null,
      20_000,
    );
  /** After the reorgs: the audit is exact, `blocks` reversed, the wallet paid what the ledger says. */
  const expectAllReversed = async (...blocks: ChainBlock[]) => {
    const audit = await settledAudit();
    expect(audit.out).not.toContain('the wallet has no coinbase');
    expect(audit.out).toContain('main: OK');
    for (const block of blocks) await expectReversed(block);
    await expectWalletMatchesLedger(pool.node, db);
  };

  it('reverses a shared pool block that a second reorg, deeper than REORG_DEPTH, takes away', async () => {
    const miners = [randomAddress('main'), randomAddress('main')];
    const { a, b } = await twoSharedPoolBlocks(miners, [miners[0]]);
    // One miner is paid: what was paid out of the reversed blocks stays paid (pool loss).
    const paidRun = await cli(['payouts'], { PAYOUT_MAX_PER_RUN: '1' });
    expect(paidRun.out).toContain('main: sent, 1 miners');

    // The first deep reorg: from b (deeper than maturity), reversed as for one deep reorg.
    pool.node.reorg(b.height);
    pool.node.mine(1);
    await reversed(b);
    // Moments later a second one from a, over the first's range and beyond REORG_DEPTH.
    pool.node.mine(2);
    expect(pool.node.chain.height - a.height + 1).toBeGreaterThan(REORG_DEPTH);
    pool.node.reorg(a.height);
    pool.node.mine(1);

    await expectAllReversed(a, b);
  }, 120_000);

  it('counts a pool block the replacing chain brings at that height as a new block, by its own hash', async () => {
    const miners = [randomAddress('main'), randomAddress('main')];
    const { a, b } = await twoSharedPoolBlocks(miners, [miners[1]]);
    pool.node.reorg(b.height);
    pool.node.mine(1);
    await reversed(b);
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
    const { a, b } = await twoSharedPoolBlocks(miners, miners);
    await backend!.stop();
    backend = undefined;
    pool.node.reorg(b.height);
    pool.node.mine(3);
    pool.node.reorg(a.height);
    pool.node.mine(2);
    backend = await startRoleProcess(env, await freePort());

    await expectAllReversed(a, b);
  }, 120_000);

  it('reverses both with two backends, the first killed right after the second reorg', async () => {
    const second = await startRoleProcess(env, await freePort());
    try {
      const miners = [randomAddress('main'), randomAddress('main')];
      const { a, b } = await twoSharedPoolBlocks(miners, miners);
      pool.node.reorg(b.height);
      pool.node.mine(3);
      pool.node.reorg(a.height);
      // Whichever backend held the block job's lease, one of them dies mid-way.
      backend!.child.kill('SIGKILL');
      await backend!.exited;
      backend = undefined;
      pool.node.mine(1);

      await expectAllReversed(a, b);
    } finally {
      backend = second;
    }
  }, 120_000);
});
