import type mysql from 'mysql2/promise';
import { defaultSimMinerOptions, runSimMiner } from '../../sim/miner/sim-miner';
import type { SimNodeOptions } from '../../sim/node/options';
import type { WalletSend } from '../../sim/node/wallet';
import { eventually, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { HARD_NETWORK_TARGET, PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { roleEnv } from '../support/test-env';
import { CliResult, runCli } from '../support/backend-cli';

/*
 * Issue 24's proof: the whole money path — getwork, shares, a pool block, shareout, payout, audit —
 * against a classic node on the post-PODC chain and against Evo nodes, each answering as the real
 * release does (docs/FIDELITY.md). The pool runs with its DEFAULT configuration for everything the
 * generations differ in (SOLUTION_REQUIRE_CPID, NODE_FLAVOR_MAIN, MATURITY_CONFIRMATIONS_MAIN);
 * only the job cadence and the payout minimum are shortened for a test.
 */
const EASY_NETWORK_TARGET = '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
/** The wallet counts a coinbase spendable at COINBASE_MATURITY + 1 confirmations. */
const WALLET_MATURITY = 102;

const CADENCE_ENV = {
  BLOCK_POLL_SECONDS: '0.3',
  SHAREOUT_INTERVAL_SECONDS: '0.3',
  PAYOUT_INTERVAL_SECONDS: '0.5',
  RATING_INTERVAL_SECONDS: '3600',
  PAYOUT_MINIMUM_MAIN: '1',
  PAYOUT_MIN_INTERVAL_HOURS: '0',
};

interface Generation {
  name: string;
  node: Partial<SimNodeOptions>;
  /** The wallet the miners run (its `<VER>`, and whether it signs a CPID). */
  wallet: string;
}

// Heights: post-PODC classic main is 107,000 … 123,199 (PODC_LAST_BLOCK_PROD, src/main.h:90
// @1.2.0.1; EVOLUTION_CUTOVER_HEIGHT, src/chainparams.cpp:185 @1.4.4.8); Evo wallets that submit
// shares run below PODC2_CUTOVER_HEIGHT 166,075 (src/chainparams.cpp:203 @1.4.8.4).
const GENERATIONS: Generation[] = [
  {
    name: 'classic 1.2.0.1 node above PODC (height 110,000), 1.2.0.1 wallets',
    node: {
      flavor: 'classic',
      clientVersion: 1_020_001,
      startHeight: 110_000,
      baseHeight: 109_600,
    },
    wallet: '1.2.0.1',
  },
  {
    name: 'Evo 1.4.4.8 node (height 130,000), 1.4.4.8 wallets',
    node: { flavor: 'evo', clientVersion: 1_040_408, startHeight: 130_000, baseHeight: 129_600 },
    wallet: '1.4.4.8',
  },
  {
    name: 'Evo 1.4.8.4 node (height 140,000), 1.4.4.8 wallets',
    node: { flavor: 'evo', clientVersion: 1_040_804, startHeight: 140_000, baseHeight: 139_600 },
    wallet: '1.4.4.8',
  },
];

describe.each(GENERATIONS)('the money path against a $name', ({ node, wallet }) => {
  const startHeight = node.startHeight ?? 0;
  let pool: PoolFixture;
  // A database of its own per chain: the pool's view of "main" must be this node's chain only.
  let store: IsolatedDatabase;
  let db: mysql.Connection;
  let frontend: RunningApp;
  let env: Record<string, string>;
  let backend: RoleProcess | undefined;

  beforeAll(async () => {
    pool = await startPoolFixture({ ...node, walletBalance: 0n });
    store = await isolatedDatabase(`gen${node.clientVersion}`);
    db = store.db;
    env = roleEnv('backend', { ...pool.env, ...CADENCE_ENV, DATABASE_URL: store.backendUrl });
    frontend = await startRole('frontend', { ...pool.env, DATABASE_URL: store.frontendUrl });
  });
  afterAll(async () => {
    await backend?.stop();
    await frontend?.close();
    await pool?.close();
    await store?.drop();
  });

  const cli = (...args: string[]): Promise<CliResult> => runCli(env, args);
  const mine = (shares: number) =>
    runSimMiner({
      ...defaultSimMinerOptions(),
      pool: frontend.url,
      network: 'main',
      node: pool.node.url,
      miners: 3,
      workers: 1,
      threads: 2,
      shareSeconds: 0,
      maxShares: shares,
      walletVersion: wallet,
      log: () => undefined,
    });
  const count = async (sql: string): Promise<number> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>(sql);
    return Number(rows[0].n);
  };

  it('accepts honest shares, shares out a pool block at wallet maturity, pays the miners and passes the audit', async () => {
    const paidBefore = await count("SELECT COUNT(*) n FROM payment WHERE status = 'sent'");
    backend = await startRoleProcess(env, await freePort());
    await pool.node.call('sim_networktarget', HARD_NETWORK_TARGET);
    const honest = await mine(24);
    expect(honest.refused).toBe(0);
    const accepted = await eventually(
      () => count("SELECT COUNT(*) n FROM solution WHERE network = 'main'"),
      (n) => n >= 1,
      20_000,
    ).catch(() => 0);
    const [rejected] = await db.query<mysql.RowDataPacket[]>(
      'SELECT reason, COUNT(*) n FROM rejected_solution GROUP BY reason',
    );
    // The node's verdict on every honest share: all accepted, none refused for a CPID.
    expect(rejected.map((r) => `${r.reason as string}: ${r.n as number}`)).toEqual([]);
    expect(accepted).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 1100));
    await pool.node.call('sim_networktarget', EASY_NETWORK_TARGET);
    let blocks = 0;
    for (let round = 0; round < 10 && blocks < 1; round++) {
      blocks += (await mine(24)).blocksAccepted;
    }
    expect(blocks).toBeGreaterThanOrEqual(1);
    await pool.node.call('sim_networktarget', HARD_NETWORK_TARGET);

    // The first pool block one confirmation short of the wallet's maturity: not shared out yet.
    const first = Math.min(
      ...pool.node.chain
        .mainChain()
        .filter(
          (b) =>
            b.height > startHeight &&
            b.coinbase.outputs[0].address === pool.node.options.poolAddress,
        )
        .map((b) => b.height),
    );
    pool.node.mine(first + WALLET_MATURITY - 2 - pool.node.chain.height);
    expect(pool.node.chain.height - first + 1).toBe(WALLET_MATURITY - 1);
    await new Promise((r) => setTimeout(r, 1500));
    // (One database for the file: count only this chain's blocks.)
    const sharedHere = `SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status = 'shared' AND height > ${startHeight}`;
    expect(await count(sharedHere)).toBe(0);
    pool.node.mine(1);
    const shared = await eventually(
      () => count(sharedHere),
      (n) => n >= 1,
      30_000,
    );
    expect(shared).toBeGreaterThanOrEqual(1);

    const paid = await eventually(
      () => count("SELECT COUNT(*) n FROM payment WHERE status = 'sent'"),
      (n) => n > paidBefore,
      30_000,
    );
    expect(paid).toBeGreaterThan(paidBefore);
    await backend.stop();
    backend = undefined;
    const sends = pool.node.wallet.entries().filter((e): e is WalletSend => e.kind === 'send');
    expect(sends.length).toBeGreaterThanOrEqual(1);

    const audit = await cli('audit');
    expect(audit.out).toContain('main: OK');
    expect(audit.code).toBe(0);
  }, 240_000);
});
