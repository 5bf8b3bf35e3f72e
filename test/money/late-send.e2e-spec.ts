import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import { eventually } from '../support/harness';
import { creditedMiners, sendsTo } from '../support/payout-scenario';
import { IsolatedDatabase } from '../support/isolated-database';
import { PoolFixture } from '../support/pool-fixture';
import { moneyBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const CREDIT = parseCoins('100');
const SEND_TIMEOUT_MS = 1500;
/** The node runs the queued sendmany this long after the client gave up on it. */
const LATE_BY_MS = 20_000;

/**
 * Issue 25, item 1: `sendmany` times out on the client (the wallet is busy), the node still runs
 * the queued request 20 s later. With a short reconcile grace, today's code finds no send, refunds
 * the payment and pays again in the same run; then the first send commits: two sends. A dispatched
 * payment is never refunded on absence alone, so the wallet shows each miner paid once.
 */
describe('a sendmany that runs 20 s after the client gave up', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool('latesend');
    ({ pool, store, db } = money);
    await money.startBackend(
      moneyBackendEnv(money, {
        PAYOUT_RECONCILE_GRACE_SECONDS: '1',
        NODE_RPC_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
        NODE_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
      }),
    );
  });
  afterAll(async () => {
    await money?.close();
  });

  /** What left the wallet for `address`: received amounts plus its share of each fee. */
  const leftTheWalletFor = (address: string): bigint =>
    sendsTo(pool.node, address).reduce((sum, send) => {
      const share = send.fee / BigInt(send.outputs.length);
      const first =
        send.outputs[0].address === address ? send.fee % BigInt(send.outputs.length) : 0n;
      const received = send.outputs
        .filter((o) => o.address === address)
        .reduce((s, o) => s + o.amount, 0n);
      return sum + received + share + first;
    }, 0n);

  it('pays each miner at most once: the late send is found, not paid again', async () => {
    pool.node.faults.runLate.set('sendmany', { afterMs: SEND_TIMEOUT_MS + LATE_BY_MS, count: 1 });
    const miners = await creditedMiners(store.factories, 2, CREDIT);
    // The late send commits ~21.5 s after the first run dispatched it; wait well past that.
    await eventually(
      async () => pool.node.faults.runLate.size,
      (n) => n === 0,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, SEND_TIMEOUT_MS + LATE_BY_MS + 4000));
    for (const miner of miners) {
      expect(sendsTo(pool.node, miner.address)).toHaveLength(1);
      expect(leftTheWalletFor(miner.address)).toBe(CREDIT);
    }
    // ... and the ledger says the same: one sent payment, the balance at zero.
    const [payments] = await db.query<mysql.RowDataPacket[]>(
      "SELECT status, txid FROM payment WHERE status <> 'failed' ORDER BY id",
    );
    expect(payments.map((p) => String(p.status))).toEqual(['sent']);
    expect(payments[0].txid).toBe(sendsTo(pool.node, miners[0].address)[0].txid);
    const [[paid]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS total FROM ledger_entry WHERE payment_id IS NOT NULL',
    );
    expect(-BigInt(paid.total)).toBe(CREDIT * 2n);
    for (const miner of miners) {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
        [miner.id],
      );
      expect(BigInt(row.b)).toBe(0n);
    }
  }, 60_000);
});
