import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type mysql from 'mysql2/promise';
import { parseCoins } from '../../src/biblepay/amount';
import type { WalletSend } from '../../sim/node/wallet';
import { IsolatedDatabase } from '../support/isolated-database';
import { creditedMiners } from '../support/payout-scenario';
import { PoolFixture } from '../support/pool-fixture';
import { expectWalletMatchesLedger } from '../support/wallet-check';
import { moneyCliEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const CREDIT = parseCoins('100');

/**
 * Issue 25: the money tests' payout check looped over ledger rows and looked each one up in the
 * wallet, so a send the ledger does not know of passed unseen. The check that replaces it counts
 * what left the simulated wallet per address and compares it with the ledger per miner: an extra
 * wallet send makes it fail.
 */
describe('the wallet-against-ledger payout check', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool('walletcheck');
    ({ pool, store, db } = money);
  });
  afterAll(async () => {
    await money?.close();
  });

  const sends = (): WalletSend[] =>
    pool.node.wallet.entries().filter((e): e is WalletSend => e.kind === 'send');
  /** The old check: every ledger payout row is an output of the wallet send it names. */
  const ledgerRowsCheck = async (): Promise<void> => {
    const [payouts] = await db.query<mysql.RowDataPacket[]>(
      "SELECT txid, COUNT(*) n FROM ledger_entry WHERE category = 'payout' AND txid IS NOT NULL GROUP BY txid",
    );
    for (const p of payouts) {
      const send = sends().find((s) => s.txid === p.txid);
      expect(send?.outputs.length).toBe(Number(p.n));
    }
  };

  it('passes when the wallet paid what the ledger says, and fails on one extra wallet send', async () => {
    const miners = await creditedMiners(store.factories, 2, CREDIT);
    const env = moneyCliEnv(money);
    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'src/cli/main.ts', 'payouts', '--network', 'main'],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    expect(stdout).toContain('main: sent, 2 miners');
    await expectWalletMatchesLedger(pool.node, db);
    await ledgerRowsCheck();

    // Someone (a second backend on a lost database, a console slip) sends one miner more.
    pool.node.wallet.send({
      amounts: [[miners[0].address, parseCoins('1')]],
      subtractFeeFrom: [],
      comment: '',
      commentTo: '',
      minConf: 0,
      style: 'sendmany',
    });
    await ledgerRowsCheck(); // the old check cannot see it
    await expect(expectWalletMatchesLedger(pool.node, db)).rejects.toThrow(miners[0].address);
  }, 60_000);
});
