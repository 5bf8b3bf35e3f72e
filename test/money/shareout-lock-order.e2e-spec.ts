import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { parseCoins } from '../../src/biblepay/amount';
import type { Network } from '../../src/biblepay/network';
import type { NodeClients } from '../../src/biblepay/node-clients';
import { dataSourceOptions } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { BlockRepository } from '../../src/modules/block/block.repository';
import { ShareoutService } from '../../src/modules/block/shareout.service';
import { MinerRepository } from '../../src/modules/mining/miner.repository';
import { LedgerRepository } from '../../src/modules/payout/ledger.repository';
import { PaymentRepository } from '../../src/modules/payout/payment.repository';
import { PayoutService } from '../../src/modules/payout/payout.service';
import type { WalletClaimsService } from '../../src/modules/payout/wallet-claims.service';
import { RoundRepository } from '../../src/modules/solution/round.repository';
import { MinerRow } from '../support/factories';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { backendConfig } from '../support/mocks';

const CREDIT = parseCoins('10');

/** The payout service's steps these cases drive one by one (private: the run needs a wallet). */
interface PayoutSteps {
  sendBatch(
    network: Network,
    planned: { minerId: number; address: string; amount: bigint }[],
    run: { stopped: boolean; setAside: number[] },
  ): Promise<{ status: string; error?: string }[]>;
  settleSent(paymentId: number, txid: string, minerIds: number[]): Promise<void>;
}

/**
 * A deadlock seen once in a 10-minute bench:memory run (`job shareout:main failed: Deadlock found
 * when trying to get lock`), reproduced on purpose against a real MariaDB: the shareout and a
 * payout transaction of the same miners, on two connections, interleaved at the point where their
 * lock orders crossed. The shareout wrote its ledger credits and then, refreshing the balance
 * cache, wanted the miners' balance rows; the payout's intent locks those rows first and then
 * reads the ledger with a locking read, and its settlement writes ledger rows before the cache
 * refresh reads the ledger under shared locks. Each pair must take turns, never deadlock.
 */
describe('shareout and payouts of the same miners take turns (real MariaDB)', () => {
  let store: IsolatedDatabase;
  let shareDb: DataSource;
  let payDb: DataSource;
  let root: mysql.Connection;

  beforeAll(async () => {
    store = await isolatedDatabase('lockorder');
    root = store.db;
    // One connection each, as two backends' jobs (or two jobs of one backend) would use.
    shareDb = new DataSource(dataSourceOptions(store.backendUrl, 1, ENTITIES));
    payDb = new DataSource(dataSourceOptions(store.backendUrl, 1, ENTITIES));
    await shareDb.initialize();
    await payDb.initialize();
    // A lock wait, not a hang, if a case goes wrong.
    await shareDb.query('SET SESSION innodb_lock_wait_timeout = 10');
    await payDb.query('SET SESSION innodb_lock_wait_timeout = 10');
  });
  afterAll(async () => {
    await shareDb?.destroy();
    await payDb?.destroy();
    await store?.drop();
  });

  /** Miners with a shared-out credit of CREDIT each and their balance cache rows. */
  async function creditedMiners(count: number): Promise<MinerRow[]> {
    const f = store.factories;
    const earlier = await f.block({ isPoolBlock: true, status: 'mature' });
    const miners: MinerRow[] = [];
    for (let i = 0; i < count; i++) miners.push(await f.miner());
    await f.shareOut(
      earlier,
      miners.map((miner) => ({ miner, amount: CREDIT })),
    );
    await ledgerOf(payDb).refreshBalances(
      payDb.manager,
      miners.map((m) => m.id),
    );
    return miners;
  }

  /** A mature pool block whose round holds one share of each of `miners`. */
  async function matureBlockOf(miners: MinerRow[]): Promise<void> {
    const f = store.factories;
    const block = await f.block({
      isPoolBlock: true,
      status: 'mature',
      subsidy: parseCoins('100'),
    });
    await root.query('UPDATE block SET round_assigned = 1 WHERE id = ?', [block.id]);
    for (const miner of miners)
      await f.solutions(miner, await f.worker(miner), { blockId: block.id });
  }

  const ledgerOf = (db: DataSource) => new LedgerRepository(db, new MinerRepository(db));

  /**
   * The shareout on its own connection, held after it wrote the ledger credits (inside its
   * transaction) until `release()`; `transactions()` counts the transactions it began.
   */
  function pausedShareout() {
    const blocks = new BlockRepository(shareDb, new MinerRepository(shareDb));
    const ledger = ledgerOf(shareDb);
    const service = new ShareoutService(
      blocks,
      ledger,
      new RoundRepository(shareDb),
      backendConfig(),
    );
    let credited!: () => void;
    const creditsWritten = new Promise<void>((resolve) => (credited = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const insertCredits = ledger.insertCredits.bind(ledger);
    jest.spyOn(ledger, 'insertCredits').mockImplementation(async (...args) => {
      await insertCredits(...args);
      credited();
      await released;
    });
    const transaction = jest.spyOn(blocks, 'transaction');
    const run = service.run('main');
    run.catch(() => undefined); // awaited below; the release must not wait for it
    return { run, creditsWritten, release, transactions: () => transaction.mock.calls.length };
  }

  function payoutService(): PayoutSteps {
    const miners = new MinerRepository(payDb);
    const nodes = {
      flavor: () => Promise.resolve('current'),
      of: () => ({ sendMany: () => Promise.resolve(randomBytes(32).toString('hex')) }),
    } as unknown as NodeClients;
    return new PayoutService(
      ledgerOf(payDb),
      new PaymentRepository(payDb, miners),
      nodes,
      backendConfig(),
      undefined as unknown as WalletClaimsService,
    ) as unknown as PayoutSteps;
  }

  /**
   * Until the other connection has been stuck in a statement for a while (a lock wait: nothing
   * else here takes 300 ms), or finished without waiting.
   */
  async function untilWaitingOrDone(other: Promise<unknown>): Promise<void> {
    let done = false;
    other.then(
      () => (done = true),
      () => (done = true),
    );
    const deadline = Date.now() + 5000;
    while (!done && Date.now() < deadline) {
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
          WHERE db = DATABASE() AND command = 'Query' AND id <> CONNECTION_ID() AND time_ms > 300`,
      );
      if (Number(rows[0].n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async function expectBalancesConsistent(): Promise<void> {
    expect(await ledgerOf(payDb).balanceMismatches('main')).toEqual([]);
  }

  it("a payout's intent locking the same miners' balances while the shareout writes their credits", async () => {
    const miners = await creditedMiners(2);
    await matureBlockOf(miners);
    const shareout = pausedShareout();
    await shareout.creditsWritten;

    const payout = payoutService().sendBatch(
      'main',
      miners.map((m) => ({ minerId: m.id, address: m.address, amount: CREDIT })),
      { stopped: false, setAside: [] },
    );
    await untilWaitingOrDone(payout);
    shareout.release();

    const [shared, paid] = await Promise.allSettled([shareout.run, payout]);
    expect(shared).toMatchObject({ status: 'fulfilled', value: [{ written: true }] });
    expect(paid).toMatchObject({ status: 'fulfilled', value: [{ status: 'sent' }] });
    expect(shareout.transactions()).toBe(1); // no deadlock retried away
    await expectBalancesConsistent();
  });

  it("a payout's settlement of the same miners while the shareout writes their credits", async () => {
    // The payment pays three miners, the block credits two of them.
    const miners = await creditedMiners(3);
    const payment = await store.factories.payOut(
      miners.map((miner) => ({ miner, amount: CREDIT })),
      { status: 'intent' },
    );
    await ledgerOf(payDb).refreshBalances(
      payDb.manager,
      miners.map((m) => m.id),
    );
    await matureBlockOf(miners.slice(0, 2));
    const shareout = pausedShareout();
    await shareout.creditsWritten;

    const settled = payoutService().settleSent(
      payment.id,
      randomBytes(32).toString('hex'),
      miners.map((m) => m.id),
    );
    await untilWaitingOrDone(settled);
    shareout.release();

    const [shared, sent] = await Promise.allSettled([shareout.run, settled]);
    expect(shared).toMatchObject({ status: 'fulfilled', value: [{ written: true }] });
    expect(sent).toMatchObject({ status: 'fulfilled' });
    expect(shareout.transactions()).toBe(1);
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT status FROM payment WHERE id = ?',
      [payment.id],
    );
    expect(rows[0].status).toBe('sent');
    await expectBalancesConsistent();
  });
});
