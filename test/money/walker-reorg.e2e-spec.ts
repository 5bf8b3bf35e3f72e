import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import { eventually } from '../support/harness';
import { PoolFixture } from '../support/pool-fixture';
import { poolAddresses } from '../support/test-env';
import { chainBackendEnv, MoneyPool, startMoneyPool } from '../support/money-pool';

const MINER_GUID = '0b4c5a2e-2c4f-4ad4-9a55-2b0b0c8f7e11';

/**
 * Issue 25, item 3: the chain walker reads one block by its hash. A reorg that falls between two
 * of its calls (the simulated node reorganises right before or right after `getblockhash H`) must
 * not store one block's hash with another's recipient: a foreign block is never credited, a pool
 * block never lost, and a pool block counts at its exact coinbase value, which the wallet holds.
 */
describe('a reorg between two chain-walker calls, both ways', () => {
  let money: MoneyPool;
  let pool: PoolFixture;
  let db: mysql.Connection;

  beforeAll(async () => {
    money = await startMoneyPool('walkreorg', { walletBalance: 0n });
    ({ pool, db } = money);
    await money.startBackend(
      chainBackendEnv(money, { SHAREOUT_INTERVAL_SECONDS: '3600', REORG_DEPTH_MAIN: '10' }),
    );
    await eventually(
      async () => {
        const [[row]] = await db.query<mysql.RowDataPacket[]>('SELECT MAX(height) AS h FROM block');
        return Number(row.h ?? 0);
      },
      (h) => h === pool.node.chain.height,
      15_000,
    );
  });
  afterAll(async () => {
    await money?.close();
  });

  const cases: { when: 'before' | 'after'; from: 'pool' | 'foreign' }[] = [
    { when: 'before', from: 'pool' },
    { when: 'before', from: 'foreign' },
    { when: 'after', from: 'pool' },
    { when: 'after', from: 'foreign' },
  ];

  it.each(cases)(
    'a reorg $when getblockhash replaces a $from block: the stored block is the chain’s, read from its own coinbase',
    async ({ when, from }) => {
      const poolAddress = poolAddresses().main;
      const foreign = randomAddress('main');
      const height = pool.node.chain.height + 1;
      pool.node.faults.reorgOnCall.push({
        method: 'getblockhash',
        param: height,
        when,
        height,
        recipient: from === 'pool' ? foreign : poolAddress,
        minerGuid: from === 'pool' ? undefined : MINER_GUID,
      });
      pool.node.mine(1, {
        recipient: from === 'pool' ? poolAddress : foreign,
        minerGuid: from === 'pool' ? MINER_GUID : undefined,
      });
      await eventually(
        async () => pool.node.faults.reorgOnCall.length,
        (n) => n === 0,
        10_000,
      );
      const block = pool.node.chain.at(height)!;
      const out0 = block.coinbase.outputs[0];
      const ours = out0.address === poolAddress;
      expect(ours).toBe(from === 'foreign');
      // Several more walks: whatever the walker stored must be the chain's block as it is.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [rows] = await db.query<mysql.RowDataPacket[]>(
        'SELECT hash, recipient, is_pool_block, subsidy, status, miner_guid FROM block WHERE height = ?',
        [height],
      );
      const current = rows.find((r) => r.hash === block.hash);
      expect(current).toBeDefined();
      expect({
        recipient: current!.recipient,
        pool: Boolean(current!.is_pool_block),
        minerGuid: current!.miner_guid,
      }).toEqual({
        recipient: out0.address,
        pool: ours,
        minerGuid: ours ? MINER_GUID : null,
      });
      if (ours) expect(BigInt(current!.subsidy)).toBe(out0.value); // exact, not whole coins
      // Every row stored at that height is one block, read from its own coinbase (a replaced pool
      // block waits, pending, for ORPHAN_CONFIRMATIONS before it is orphaned: it may come back).
      for (const row of rows) {
        const stored = pool.node.chain.find(row.hash)!;
        const paid = stored.coinbase.outputs[0].address;
        expect({
          hash: row.hash,
          recipient: row.recipient,
          pool: Boolean(row.is_pool_block),
        }).toEqual({
          hash: row.hash,
          recipient: paid,
          pool: paid === poolAddress,
        });
      }
    },
    30_000,
  );
});
