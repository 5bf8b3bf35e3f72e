import { Factories, COIN, MinerRow, WorkerRow, BlockRow, PaymentRow } from '../support/factories';
import { poolAddresses } from '../support/test-env';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A worker name a miner controls (it comes from the wallet's workerid): must never become markup. */
export const HOSTILE_WORKER = '<img src=x onerror=alert(1)>';

/** Exact amounts the pages and the API must show to the base unit. */
export const AMOUNTS = {
  p1CreditA: 3000n * COIN,
  p1CreditB: 10005n * (COIN / 10n), // 1000.5
  p2CreditA: 10_012_345_678n, // 100.12345678
  p2CreditB: 20n * COIN,
  failedPayoutA: 50n * COIN,
  poolSubsidy: 5000n * COIN,
  p4Subsidy: 123_456_789_012n, // 1234.56789012
  otherSubsidy: 400_025_000_000n, // 4000.25
};

export interface SeededPool {
  now: number;
  a: MinerRow;
  b: MinerRow;
  disabled: MinerRow;
  testnetMiner: MinerRow;
  workers: { rig1: WorkerRow; rig2: WorkerRow; hostile: WorkerRow; bDefault: WorkerRow };
  blocks: { p1: BlockRow; p2: BlockRow; p3: BlockRow; p4: BlockRow; p5: BlockRow };
  p1Payment: PaymentRow;
  /** Every accepted share on main, by miner, with its time: for expected per-day/hour counts. */
  shares: { miner: 'a' | 'b'; at: number }[];
}

/**
 * A small main-network pool whose every number is known:
 * - miner A: rig1 (24 shares over the last day at 2 kH/s, 6 in the last hour at 4 kH/s,
 *   5 three days ago, 4 eight days ago), rig2 (10 in the last 30 min at 3 kH/s), and a worker
 *   with a hostile name (2 shares five hours ago); rejected shares on rig1 and rig2.
 * - miner B: 5 shares in the last 40 min at 1 kH/s.
 * - pool blocks: P1 (30 h ago, shared, both miners paid since → "paid"), P2 (10 h, shared, A's
 *   payout failed and B's is an intent → "credited"), P3 orphaned, P4 mature, P5 pending; plus
 *   four blocks of other miners.
 * - a testnet miner whose shares must never show on main.
 */
export async function seedPool(f: Factories): Promise<SeededPool> {
  const now = Date.now();
  const ago = (ms: number): Date => new Date(now - ms);
  const pool = poolAddresses();
  const shares: SeededPool['shares'] = [];

  const a = await f.miner({ network: 'main', createdAt: ago(10 * 24 * HOUR) });
  const b = await f.miner({ network: 'main', createdAt: ago(2 * 24 * HOUR) });
  const disabled = await f.miner({ network: 'main', disabled: true });
  const testnetMiner = await f.miner({ network: 'test' });
  const rig1 = await f.worker(a, 'rig1');
  const rig2 = await f.worker(a, 'rig2');
  const hostile = await f.worker(a, HOSTILE_WORKER);
  const bDefault = await f.worker(b, 'Default');
  const testRig = await f.worker(testnetMiner, 'Default');

  const addShares = async (
    miner: MinerRow,
    key: 'a' | 'b' | null,
    worker: WorkerRow,
    count: number,
    from: number,
    to: number,
    hashesPerSecond: bigint,
  ): Promise<void> => {
    for (let i = 0; i < count; i++) {
      const at = count === 1 ? from : from + ((to - from) * i) / (count - 1);
      await f.solutions(miner, worker, { insertedAt: new Date(at), hashesPerSecond });
      if (key) shares.push({ miner: key, at });
    }
  };
  await addShares(a, 'a', rig1, 24, now - 23 * HOUR, now - 90 * MINUTE, 2000n);
  await addShares(a, 'a', rig1, 6, now - 50 * MINUTE, now - 5 * MINUTE, 4000n);
  await addShares(a, 'a', rig1, 5, now - 72 * HOUR, now - 72 * HOUR + 10 * MINUTE, 2000n);
  await addShares(a, 'a', rig1, 4, now - 8 * 24 * HOUR, now - 8 * 24 * HOUR + MINUTE, 2000n);
  await addShares(a, 'a', rig2, 10, now - 30 * MINUTE, now - 2 * MINUTE, 3000n);
  await addShares(a, 'a', hostile, 2, now - 5 * HOUR, now - 5 * HOUR + MINUTE, 100n);
  await addShares(b, 'b', bDefault, 5, now - 40 * MINUTE, now - 3 * MINUTE, 1000n);
  await addShares(testnetMiner, null, testRig, 5, now - 20 * MINUTE, now - MINUTE, 999_999n);

  await f.rejectedSolution(a, rig1, {
    reason: 'above_target',
    detail: 'bible hash above the work target',
    insertedAt: ago(2 * HOUR),
    count: 3,
  });
  await f.rejectedSolution(a, rig2, { reason: 'stale_work', insertedAt: ago(20 * MINUTE) });
  await f.rejectedSolution(a, rig1, { reason: 'wrong_recipient', insertedAt: ago(30 * HOUR) });

  const poolBlock = (height: number, hoursAgo: number, extra: Parameters<Factories['block']>[0]) =>
    f.block({
      network: 'main',
      height,
      chainTime: ago(hoursAgo * HOUR),
      recipient: pool.main,
      isPoolBlock: true,
      subsidy: AMOUNTS.poolSubsidy,
      ...extra,
    });
  const p1 = await poolBlock(1001, 30, { status: 'mature', confirmations: 250, finder: a });
  const p2 = await poolBlock(1010, 10, { status: 'mature', confirmations: 150, finder: b });
  const p3 = await poolBlock(1020, 5, { status: 'orphaned', finder: a });
  const p4 = await poolBlock(1030, 2, {
    status: 'mature',
    confirmations: 101,
    subsidy: AMOUNTS.p4Subsidy,
    finder: a,
  });
  const p5 = await poolBlock(1040, 0.5, { status: 'pending', confirmations: 7, finder: b });
  for (const [height, hoursAgo] of [
    [995, 30],
    [1015, 9],
    [1025, 6],
    [1035, 3],
  ]) {
    await f.block({
      network: 'main',
      height,
      chainTime: ago(hoursAgo * HOUR),
      subsidy: AMOUNTS.otherSubsidy,
    });
  }

  await f.shareOut(
    p1,
    [
      { miner: a, amount: AMOUNTS.p1CreditA },
      { miner: b, amount: AMOUNTS.p1CreditB },
    ],
    ago(28 * HOUR),
  );
  const p1Payment = await f.payOut(
    [
      { miner: a, amount: AMOUNTS.p1CreditA },
      { miner: b, amount: AMOUNTS.p1CreditB },
    ],
    { status: 'sent', at: ago(27 * HOUR), confirmedAt: ago(27 * HOUR) },
  );
  await f.shareOut(
    p2,
    [
      { miner: a, amount: AMOUNTS.p2CreditA },
      { miner: b, amount: AMOUNTS.p2CreditB },
    ],
    ago(9 * HOUR),
  );
  const failed = await f.payOut([{ miner: a, amount: AMOUNTS.failedPayoutA }], {
    status: 'failed',
    at: ago(4 * HOUR),
  });
  await f.paymentError({
    miner: a,
    amount: AMOUNTS.failedPayoutA,
    error: 'Insufficient funds in the pool wallet',
    payment: failed,
    createdAt: ago(4 * HOUR),
  });
  await f.payOut([{ miner: b, amount: AMOUNTS.p2CreditB }], {
    status: 'intent',
    at: ago(8 * HOUR),
  });

  return {
    now,
    a,
    b,
    disabled,
    testnetMiner,
    workers: { rig1, rig2, hostile, bDefault },
    blocks: { p1, p2, p3, p4, p5 },
    p1Payment,
    shares,
  };
}

/** Expected accepted shares per UTC day for the last 7 days, oldest first (as the pages count). */
export function expectedSharesPerDay(
  seeded: SeededPool,
  now: number,
  miner?: 'a' | 'b',
): { day: string; count: number }[] {
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  return Array.from({ length: 7 }, (_, i) => {
    const start = today - (6 - i) * 86_400_000;
    const count = seeded.shares.filter(
      (s) => (!miner || s.miner === miner) && s.at >= start && s.at < start + 86_400_000,
    ).length;
    return { day: new Date(start).toISOString().slice(0, 10), count };
  });
}
