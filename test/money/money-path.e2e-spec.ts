import type mysql from 'mysql2/promise';
import { baseToCoins } from '../../src/biblepay/amount';
import { defaultSimMinerOptions, runSimMiner } from '../../sim/miner/sim-miner';
import type { WalletSend } from '../../sim/node/wallet';
import { adminDb, eventually } from '../support/harness';
import { HARD_NETWORK_TARGET, PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { poolAddresses, roleEnv } from '../support/test-env';
import { expectWalletMatchesLedger } from '../support/wallet-check';
import { CliResult, runCli } from '../support/backend-cli';

const EASY_NETWORK_TARGET = '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';

/** Fast-forward money settings: seconds-scale jobs, maturity 3, tiny minimum. */
const MONEY_ENV = {
  MATURITY_CONFIRMATIONS_MAIN: '3',
  BLOCK_POLL_SECONDS: '0.3',
  SHAREOUT_INTERVAL_SECONDS: '0.3',
  PAYOUT_INTERVAL_SECONDS: '0.5',
  RATING_INTERVAL_SECONDS: '3600',
  PAYOUT_MINIMUM_MAIN: '1',
  PAYOUT_MIN_INTERVAL_HOURS: '0',
  POOL_FEE_PERCENT: '1.5',
  CHAIN_WALK_START_DEPTH: '0',
  PAYOUT_RECONCILE_GRACE_SECONDS: '2',
  // A replaced pool block counts as orphaned as soon as the replacing block is on the chain.
  ORPHAN_CONFIRMATIONS: '1',
};

describe('the money path: blocks → rounds → shareout → payouts → audit', () => {
  let pool: PoolFixture;
  let db: mysql.Connection;
  let env: Record<string, string>;
  const backends: RoleProcess[] = [];

  beforeAll(async () => {
    pool = await startPoolFixture({
      maturity: 3,
      walletBalance: 0n,
    });
    env = roleEnv('backend', { ...pool.env, ...MONEY_ENV });
    db = await adminDb();
  });
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
    await pool.close();
    await db.end();
  });

  const startBackend = async (extra: Record<string, string> = {}): Promise<RoleProcess> => {
    const backend = await startRoleProcess({ ...env, ...extra }, await freePort());
    backends.push(backend);
    return backend;
  };
  const cli = (...args: string[]): Promise<CliResult> => runCli(env, args);
  const mine = (node: string, shares: number) =>
    runSimMiner({
      ...defaultSimMinerOptions(),
      pool: pool.frontend.url,
      network: 'main',
      node,
      miners: 4,
      workers: 1,
      threads: 2,
      shareSeconds: 0,
      durationSeconds: 0,
      maxShares: shares,
      log: () => undefined,
    });
  const sends = (): WalletSend[] =>
    pool.node.wallet.entries().filter((e): e is WalletSend => e.kind === 'send');
  const one = async <T extends mysql.RowDataPacket>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T> => {
    const [rows] = await db.query<T[]>(sql, params);
    return rows[0];
  };

  it('pays miners exactly what the ledger credited them, and the audit proves the sums', async () => {
    const backend = await startBackend();
    // Shares first (no block can be found at the hard target), then an easy target: ~1 share in 16
    // becomes a pool block, and every block's round has the earlier shares in it.
    await pool.node.call('sim_networktarget', HARD_NETWORK_TARGET);
    await mine(pool.node.url, 40);
    await new Promise((r) => setTimeout(r, 1100));
    await pool.node.call('sim_networktarget', EASY_NETWORK_TARGET);
    let blocks = 0;
    for (let round = 0; round < 10 && blocks < 2; round++) {
      blocks += (await mine(pool.node.url, 40)).blocksAccepted;
    }
    expect(blocks).toBeGreaterThanOrEqual(1);
    pool.node.mine(4); // bury them: maturity 3

    const shared = await eventually(
      () =>
        one<mysql.RowDataPacket>(
          "SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status = 'shared'",
        ),
      (r) => Number(r.n) >= blocks,
      30_000,
    );
    expect(Number(shared.n)).toBe(blocks);
    pool.node.mine(4); // mature the pool's coinbase in the wallet too
    const paid = await eventually(
      () => one<mysql.RowDataPacket>("SELECT COUNT(*) n FROM payment WHERE status = 'sent'"),
      (r) => Number(r.n) >= 1,
      30_000,
    );
    expect(Number(paid.n)).toBeGreaterThanOrEqual(1);
    await backend.stop();

    // Σ credits = Σ (subsidy − fee), and the fee is 1.5 % floored
    const sums = await one<mysql.RowDataPacket>(
      `SELECT (SELECT SUM(amount) FROM ledger_entry WHERE category = 'share') credited,
              (SELECT SUM(subsidy - pool_fee) FROM block WHERE status = 'shared') distributable,
              (SELECT SUM(pool_fee) FROM block WHERE status = 'shared') fees,
              (SELECT SUM(subsidy) FROM block WHERE status = 'shared') subsidies`,
    );
    expect(BigInt(sums.credited)).toBe(BigInt(sums.distributable));
    const [blocksShared] = await db.query<mysql.RowDataPacket[]>(
      `SELECT subsidy, pool_fee, (SELECT COUNT(*) FROM ledger_entry l WHERE l.block_id = b.id) credits
         FROM block b WHERE status = 'shared'`,
    );
    expect(blocksShared.some((b) => Number(b.credits) > 0)).toBe(true);
    for (const b of blocksShared) {
      // 1.5 % floored; a block whose round is empty (its shares were still queued when the next
      // block came) has nobody to pay and is kept whole as fee
      const expected =
        Number(b.credits) > 0 ? (BigInt(b.subsidy) * 15_000n) / 1_000_000n : BigInt(b.subsidy);
      expect(BigInt(b.pool_fee)).toBe(expected);
    }

    // what left the wallet per address (the simulator's own sends) is what the ledger says it paid
    // each miner, to the base unit: an extra, missing or wrong send fails it
    await expectWalletMatchesLedger(pool.node, db);

    const audit = await cli('audit');
    expect(audit.out).toContain('main: OK');
    expect(audit.code).toBe(0);
    const funding = await cli('funding');
    expect(funding.out).toMatch(/main: required .* available .* surplus/);
    expect(baseToCoins(BigInt(sums.credited))).not.toBe('0');
  }, 180_000);

  it('moves an orphaned pool block’s shares into the next pool block’s round', async () => {
    const backend = await startBackend({
      SHAREOUT_INTERVAL_SECONDS: '3600',
      PAYOUT_INTERVAL_SECONDS: '3600',
    });
    try {
      await pool.node.call('sim_networktarget', HARD_NETWORK_TARGET);
      await mine(pool.node.url, 10);
      await new Promise((r) => setTimeout(r, 1100)); // shares recorded, and older than the next block
      const [unassigned] = await db.query<mysql.RowDataPacket[]>(
        "SELECT COUNT(*) n FROM solution WHERE block_id IS NULL AND network = 'main'",
      );
      const waiting = Number(unassigned[0].n);
      expect(waiting).toBeGreaterThan(0);
      const [orphan] = pool.node.mine(1, { recipient: poolAddresses().main });
      const round = await eventually(
        () =>
          one<mysql.RowDataPacket>('SELECT id, status FROM block WHERE height = ? AND hash = ?', [
            orphan.height,
            orphan.hash,
          ]),
        (r) => r !== undefined,
        15_000,
      );
      expect(round.status).toBe('pending');

      pool.node.reorg(orphan.height); // another recipient at that height now
      const orphaned = await eventually(
        () => one<mysql.RowDataPacket>('SELECT status FROM block WHERE id = ?', [round.id]),
        (r) => r.status === 'orphaned',
        15_000,
      );
      expect(orphaned.status).toBe('orphaned');
      const [next] = pool.node.mine(1, { recipient: poolAddresses().main });
      pool.node.mine(3); // maturity 3: the next pool block's round is fixed
      const moved = await eventually(
        () =>
          one<mysql.RowDataPacket>(
            'SELECT b.round_assigned, (SELECT COUNT(*) FROM solution s WHERE s.block_id = b.id) shares FROM block b WHERE b.height = ? AND b.hash = ?',
            [next.height, next.hash],
          ),
        (r) => r !== undefined && r.round_assigned === 1,
        15_000,
      );
      // every share the orphaned block would have paid is in the next pool block's round
      expect(Number(moved.shares)).toBeGreaterThanOrEqual(waiting);
      const left = await one<mysql.RowDataPacket>(
        'SELECT COUNT(*) n FROM solution WHERE block_id = ?',
        [round.id],
      );
      expect(Number(left.n)).toBe(0);
    } finally {
      await backend.stop();
    }
  }, 120_000);

  it('a lost sendmany reply and a kill -9 before the txid is recorded still pay each miner exactly once', async () => {
    // credits waiting to be paid: share out what the orphan test left, with payouts off
    pool.node.mine(4);
    const sharer = await startBackend({ PAYOUT_MINIMUM_MAIN: '100000000' }); // shares out, pays nobody
    await eventually(
      () =>
        one<mysql.RowDataPacket>(
          "SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status IN ('pending', 'mature')",
        ),
      (r) => Number(r.n) === 0,
      20_000,
    );
    await sharer.stop();
    const due = await one<mysql.RowDataPacket>(
      'SELECT COUNT(*) n FROM (SELECT miner_id FROM ledger_entry GROUP BY miner_id HAVING SUM(amount) > 100000000) x',
    );
    expect(Number(due.n)).toBeGreaterThan(0);
    const sendsBefore = sends().length;

    pool.node.faults.loseReplies.set('sendmany', 1);
    const payer = await startBackend({ PAYOUT_RECONCILE_GRACE_SECONDS: '3600' });
    await eventually(
      () => Promise.resolve(sends().length),
      (n) => n > sendsBefore,
      20_000,
    );
    payer.child.kill('SIGKILL');
    await payer.exited;
    const open = await one<mysql.RowDataPacket>(
      "SELECT COUNT(*) n FROM payment WHERE status = 'intent'",
    );
    expect(Number(open.n)).toBe(1);

    const restarted = await startBackend({ PAYOUT_RECONCILE_GRACE_SECONDS: '3600' });
    try {
      await eventually(
        () => one<mysql.RowDataPacket>("SELECT COUNT(*) n FROM payment WHERE status = 'intent'"),
        (r) => Number(r.n) === 0,
        20_000,
      );
      await new Promise((r) => setTimeout(r, 1500)); // a few more payout runs: nothing new to pay
      expect(sends().length).toBe(sendsBefore + 1);
      const [perMiner] = await db.query<mysql.RowDataPacket[]>(
        `SELECT m.address, COUNT(*) n FROM ledger_entry l JOIN miner m ON m.id = l.miner_id
          WHERE l.category = 'payout' AND l.payment_id = (SELECT MAX(id) FROM payment) GROUP BY m.address`,
      );
      const lastSend = sends()[sends().length - 1];
      expect(perMiner.every((r) => Number(r.n) === 1)).toBe(true);
      expect(lastSend.outputs.map((o) => o.address).sort()).toEqual(
        perMiner.map((r) => r.address as string).sort(),
      );
      expect(await cli('audit')).toMatchObject({ code: 0 });
    } finally {
      await restarted.stop();
    }
  }, 120_000);

  it('two backends running every job at once share no block twice and pay no miner twice', async () => {
    const a = await startBackend();
    const b = await startBackend();
    try {
      for (let i = 0; i < 3; i++) {
        await mine(pool.node.url, 9);
        await new Promise((r) => setTimeout(r, 1100));
        pool.node.mine(1, { recipient: poolAddresses().main });
        pool.node.mine(4);
        await new Promise((r) => setTimeout(r, 1000));
      }
      await eventually(
        () =>
          one<mysql.RowDataPacket>(
            "SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status IN ('pending','mature')",
          ),
        (r) => Number(r.n) === 0,
        30_000,
      );
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await a.stop();
      await b.stop();
    }
    // every shared block credited exactly its split: Σ credits = subsidy − fee, and each miner its
    // share weight's part of that (largest remainder: the floor, or one unit more) — a block
    // credited twice, to the wrong miners or in the wrong proportion fails it
    const [splits] = await db.query<mysql.RowDataPacket[]>(
      `SELECT b.id, b.subsidy - b.pool_fee AS distributable, w.miner_id, w.weight, t.total,
              COALESCE((SELECT SUM(l.amount) FROM ledger_entry l WHERE l.block_id = b.id
                         AND l.miner_id = w.miner_id AND l.category = 'share'), 0) AS credited
         FROM block b
         JOIN (SELECT block_id, miner_id, SUM(share_weight) weight FROM solution
                WHERE block_id IS NOT NULL GROUP BY block_id, miner_id) w ON w.block_id = b.id
         JOIN (SELECT block_id, SUM(share_weight) total FROM solution
                WHERE block_id IS NOT NULL GROUP BY block_id) t ON t.block_id = b.id
        WHERE b.status = 'shared' AND b.network = 'main'`,
    );
    expect(splits.length).toBeGreaterThan(0);
    const perBlock = new Map<string, { distributable: bigint; credited: bigint; n: bigint }>();
    for (const s of splits) {
      const floor = (BigInt(s.distributable) * BigInt(s.weight)) / BigInt(s.total);
      const credited = BigInt(s.credited);
      expect(credited >= floor && credited <= floor + 1n).toBe(true);
      const b = perBlock.get(String(s.id)) ?? {
        distributable: BigInt(s.distributable),
        credited: 0n,
        n: 0n,
      };
      b.credited += credited;
      perBlock.set(String(s.id), b);
    }
    for (const b of perBlock.values()) expect(b.credited).toBe(b.distributable);
    // no miner was paid more than it earned, and every payout is one wallet output
    const overpaid = await one<mysql.RowDataPacket>(
      'SELECT COUNT(*) n FROM (SELECT miner_id FROM ledger_entry GROUP BY miner_id HAVING SUM(amount) < 0) x',
    );
    expect(Number(overpaid.n)).toBe(0);
    // what left the wallet per address equals what the ledger says each miner was paid
    await expectWalletMatchesLedger(pool.node, db);
    expect(await cli('audit')).toMatchObject({ code: 0 });
  }, 180_000);

  it('a wallet that refuses the send gives the hold back, records the error per miner, and pays later', async () => {
    await pool.node.call('sim_insufficientfunds', true);
    await pool.node.call('sim_networktarget', HARD_NETWORK_TARGET);
    // a backend that validates shares and keeps rounds, but pays nobody and shares out nothing
    const sharer = await startBackend({
      PAYOUT_MINIMUM_MAIN: '100000000',
      SHAREOUT_INTERVAL_SECONDS: '3600',
    });
    await mine(pool.node.url, 8);
    await new Promise((r) => setTimeout(r, 1100));
    pool.node.mine(1, { recipient: poolAddresses().main });
    pool.node.mine(4);
    await eventually(
      () =>
        one<mysql.RowDataPacket>(
          "SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status = 'mature'",
        ),
      (r) => Number(r.n) === 1,
      20_000,
    );
    await sharer.stop();
    const credits = async () =>
      Number(
        (
          await one<mysql.RowDataPacket>(
            "SELECT COUNT(*) n FROM ledger_entry WHERE category = 'share'",
          )
        ).n,
      );
    const before = await credits();
    const dry = await cli('shareout', '--dry-run');
    expect(dry.out).toMatch(/dry run, nothing written/);
    expect(dry.out).toMatch(/miner \d+: [\d.]+ BBP/);
    expect(await credits()).toBe(before);
    expect((await cli('shareout')).out).toMatch(/credited/);
    expect(await credits()).toBeGreaterThan(before);
    expect((await cli('payouts', '--dry-run')).out).toMatch(/dry-run, \d+ miners/);
    const payments = Number((await one<mysql.RowDataPacket>('SELECT COUNT(*) n FROM payment')).n);

    const refused = await cli('payouts');
    expect(refused.out).toMatch(/failed/);
    const failed = await one<mysql.RowDataPacket>(
      'SELECT id, status, error FROM payment ORDER BY id DESC LIMIT 1',
    );
    expect(failed.status).toBe('failed');
    expect(Number((await one<mysql.RowDataPacket>('SELECT COUNT(*) n FROM payment')).n)).toBe(
      payments + 1,
    );
    const errors = await one<mysql.RowDataPacket>(
      'SELECT COUNT(*) n, MIN(amount) low FROM payment_error WHERE payment_id = ?',
      [failed.id],
    );
    expect(Number(errors.n)).toBeGreaterThan(0);
    expect(BigInt(errors.low)).toBeGreaterThan(0n);
    const held = await one<mysql.RowDataPacket>(
      "SELECT SUM(amount) s FROM ledger_entry WHERE payment_id = ? AND category IN ('payout', 'payout_refund')",
      [failed.id],
    );
    expect(BigInt(held.s)).toBe(0n); // the refund gave back exactly the hold
    expect(await cli('audit')).toMatchObject({ code: 0 });

    await pool.node.call('sim_insufficientfunds', false);
    const paid = await cli('payouts');
    expect(paid.out).toMatch(/main: sent, \d+ miners/);
    expect(await cli('audit')).toMatchObject({ code: 0 });
  }, 120_000);

  it('the pages and the API show what the simulated network produced: pool blocks, credits, payouts', async () => {
    const web = pool.frontend.url;
    const [[paidMiner]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT m.address, l.txid FROM ledger_entry l JOIN miner m ON m.id = l.miner_id
        WHERE l.category = 'payout' AND l.txid IS NOT NULL ORDER BY l.id DESC LIMIT 1`,
    );
    const blocks = (await (
      await fetch(`${web}/api/v1/pools/main/blocks?pool=true&pageSize=50`)
    ).json()) as {
      items: { height: number; status: string; poolBlock: boolean }[];
    };
    const [[stored]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT COUNT(*) n FROM block WHERE is_pool_block = 1 AND status <> 'orphaned'",
    );
    expect(blocks.items.filter((b) => b.poolBlock && b.status !== 'orphaned').length).toBe(
      Number(stored.n),
    );
    const payments = (await (
      await fetch(`${web}/api/v1/pools/main/miners/${paidMiner.address}/payments`)
    ).json()) as {
      items: { txid: string | null; status: string }[];
    };
    expect(payments.items.some((p) => p.txid === paidMiner.txid && p.status === 'sent')).toBe(true);
    const page = await (await fetch(`${web}/main/miner/${paidMiner.address}/`)).text();
    expect(page).toContain(paidMiner.txid as string);
    const stats = await fetch(`${web}/main/statistics`);
    expect(stats.status).toBe(200);
    const compat = (await (await fetch(`${web}/main/api/statistics`)).json()) as Record<
      string,
      unknown
    >;
    expect(Number(compat.pool_blocks)).toBeGreaterThan(0);
  });
});
