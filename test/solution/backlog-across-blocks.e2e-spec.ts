import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { feeOf, splitByWeight } from '../../src/modules/block/split';
import { craftSolution, requestWork, submitCrafted } from '../../sim/miner/sim-miner';
import type { ChainTip } from '../../sim/miner/chain-tip';
import { eventually, RunningApp } from '../support/harness';
import { PoolFixture } from '../support/pool-fixture';
import { poolAddresses } from '../support/test-env';
import { chainBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

/**
 * Shares are judged as of the moment they arrived (issue 10, hole 2). The pool's node is
 * unreachable while the network finds three pool blocks and 1,000 honest shares queue up; when it
 * is back, every share is accepted, lands in the round of the block it was mined for, and PROP
 * pays each miner exactly its part of each block.
 */
const SHARES = 1000;
const WINDOWS = 3;
const MINERS = 5;
const FEE_PERCENT = '1.5';

describe('a node outage across three blocks while shares queue', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let frontend: RunningApp;
  let db: mysql.Connection;

  beforeAll(async () => {
    // Its own database: the chain walk and the rounds must see only this node's chain.
    money = await startMoneyPool('backlog', { maturity: 3, walletBalance: 0n });
    ({ pool, db } = money);
    frontend = await money.startFrontend();
    const env = chainBackendEnv(money, {
      MATURITY_CONFIRMATIONS_MAIN: '3',
      POOL_FEE_PERCENT: FEE_PERCENT,
      PAYOUT_SCHEME: 'prop',
      NODE_RETRY_MAX_SECONDS: '1',
      NODE_TIP_REFRESH_MS: '200',
      NODE_RPC_TIMEOUT_MS: '1000',
    });
    await money.startBackend(env);
  });
  afterAll(async () => {
    await money?.close();
  });

  /** What a miner's own node tells it: the simulated chain, read in-process (ours is "down"). */
  const tipNow = async (): Promise<ChainTip> => {
    const tip = pool.node.chain.tip;
    const template = (await pool.node.call('getblocktemplate')) as { coinbasevalue: number };
    return {
      hash: tip.hash,
      height: tip.height,
      time: tip.header.time,
      subsidy: BigInt(template.coinbasevalue),
    };
  };
  const sleepUntil = (ms: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

  it('accepts every queued share and credits it to the block it belongs to', async () => {
    const miners = Array.from({ length: MINERS }, () => `${randomAddress('main')}/rig`);
    // miner address → shares per window
    const sent = miners.map(() => Array.from({ length: WINDOWS }, () => 0));
    const blockHeights: number[] = [];
    const blockHashes: string[] = [];

    // Let the backend see the chain before the outage (its tip history starts here).
    await new Promise((resolve) => setTimeout(resolve, 600));
    await pool.node.goDown(0);

    let index = 0;
    for (let w = 0; w < WINDOWS; w++) {
      const tip = await tipNow();
      const count = Math.floor(SHARES / WINDOWS) + (w < SHARES % WINDOWS ? 1 : 0);
      const jobs = Array.from({ length: count }, () => index++);
      // 10 wallets at a time: getwork → search → submit, as wallets do.
      for (let i = 0; i < jobs.length; i += 10) {
        await Promise.all(
          jobs.slice(i, i + 10).map(async (n) => {
            const m = n % MINERS;
            const work = await requestWork({
              pool: frontend.url,
              network: 'main',
              workerId: miners[m],
            });
            const crafted = await craftSolution({
              work,
              tip,
              network: 'main',
              workerId: miners[m],
            });
            const outcomes = await submitCrafted({
              pool: frontend.url,
              network: 'main',
              workerId: miners[m],
              crafted,
            });
            expect(outcomes).toEqual([{ ok: true, workId: work.workId }]);
            sent[m][w]++;
          }),
        );
      }
      // The network finds a pool block after this window's shares (its time is after them) ...
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const [block] = pool.node.mine(1, {
        recipient: poolAddresses().main,
        time: Math.floor(Date.now() / 1000),
      });
      blockHeights.push(block.height);
      blockHashes.push(block.hash);
      // ... and the next window's shares arrive after its second.
      await sleepUntil((block.header.time + 1) * 1000 + 100);
    }
    pool.node.mine(3); // maturity for the last pool block
    const addresses = miners.map((workerId) => workerId.split('/')[0]);
    // This run's database is shared with other test files: count only these miners' shares.
    const judged = async (): Promise<{ accepted: number; rejected: number }> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        `SELECT (SELECT COUNT(*) FROM solution s JOIN miner m ON m.id = s.miner_id WHERE m.address IN (?)) AS accepted,
                (SELECT COUNT(*) FROM rejected_solution r JOIN miner m ON m.id = r.miner_id WHERE m.address IN (?)) AS rejected`,
        [addresses, addresses],
      );
      return { accepted: Number(row.accepted), rejected: Number(row.rejected) };
    };
    const meanwhile = await eventually(judged, () => false, 300);
    expect(meanwhile).toEqual({ accepted: 0, rejected: 0 }); // nothing judged while the node was away

    await pool.node.goUp();
    const shared = await eventually(
      async () => {
        const [rows] = await db.query<mysql.RowDataPacket[]>(
          "SELECT id, height, subsidy, pool_fee, status FROM block WHERE is_pool_block = 1 AND status = 'shared' AND hash IN (?) ORDER BY height",
          [blockHashes],
        );
        return rows;
      },
      (rows) => rows.length === WINDOWS,
      60_000,
    );
    expect(shared.map((b) => Number(b.height))).toEqual(blockHeights);

    expect(await judged()).toEqual({ accepted: SHARES, rejected: 0 });

    const minerIds = new Map<string, number>();
    for (const workerId of miners) {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        'SELECT id FROM miner WHERE address = ?',
        [workerId.split('/')[0]],
      );
      minerIds.set(workerId, Number(row.id));
    }
    for (const [w, block] of shared.entries()) {
      // The round: exactly the shares of its window, per miner.
      const [round] = await db.query<mysql.RowDataPacket[]>(
        'SELECT miner_id, COUNT(*) n, SUM(share_weight) weight FROM solution WHERE block_id = ? GROUP BY miner_id',
        [block.id],
      );
      const inRound = new Map(round.map((r) => [Number(r.miner_id), Number(r.n)]));
      for (const [m, workerId] of miners.entries()) {
        expect(inRound.get(minerIds.get(workerId)!) ?? 0).toBe(sent[m][w]);
      }
      // PROP, exact to the base unit: subsidy − fee split by share weight.
      const subsidy = BigInt(block.subsidy);
      const fee = feeOf(subsidy, Math.round(Number(FEE_PERCENT) * 10_000));
      expect(BigInt(block.pool_fee)).toBe(fee);
      const expected = splitByWeight(
        subsidy - fee,
        new Map(round.map((r) => [Number(r.miner_id), BigInt(r.weight)])),
      );
      const [credits] = await db.query<mysql.RowDataPacket[]>(
        'SELECT miner_id, amount FROM ledger_entry WHERE block_id = ?',
        [block.id],
      );
      expect(new Map(credits.map((c) => [Number(c.miner_id), BigInt(c.amount)]))).toEqual(expected);
    }
  });
});
