import type mysql from 'mysql2/promise';
import { mineOneShare } from '../../sim/miner/sim-miner';
import type { ChainBlock } from '../../sim/node/chain';
import { eventually } from './harness';
import type { PoolFixture } from './pool-fixture';
import { poolAddresses } from './test-env';

/**
 * One accepted share from each of `addresses` through the frontend at `frontendUrl`, recorded in
 * `db`, then a pool block on the simulated node a second later (the block comes after the shares,
 * so the round it pays holds them). The last share's MINERGUID goes into the coinbase.
 */
export async function poolBlockWithShares(
  pool: PoolFixture,
  frontendUrl: string,
  db: mysql.Connection,
  addresses: string[],
): Promise<ChainBlock> {
  const solutions = async (): Promise<number> => {
    const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM solution');
    return Number(rows[0].n);
  };
  const before = await solutions();
  let guid = '';
  for (const address of addresses) {
    const share = await mineOneShare({
      pool: frontendUrl,
      network: 'main',
      node: pool.node.url,
      workerId: `${address}/rig`,
    });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
    guid = share.work.minerGuid;
  }
  await eventually(solutions, (n) => n === before + addresses.length);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return pool.node.mine(1, { recipient: poolAddresses().main, minerGuid: guid })[0];
}
