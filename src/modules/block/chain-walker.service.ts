import { Injectable, Logger, Optional } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { BlockInfo, rpcCalls, SubsidyResult } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import { BlockRepository, NewBlock } from './block.repository';

const WALK_BATCH = 100;

/**
 * Walks the chain from the last stored height to the tip with `exec subsidy`, getblockhash and
 * getblock (batched), storing every block with its chain time, subsidy, recipient and MINERGUID.
 * A block paying the pool address is a pool block.
 */
@Injectable()
export class ChainWalker {
  private readonly logger = new Logger(ChainWalker.name);

  constructor(
    private readonly blocks: BlockRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetrics,
  ) {}

  async walk(network: Network): Promise<{ from: number; to: number; poolBlocks: number }> {
    const client = this.nodes.of(network);
    const tip = await client.getBlockCount();
    const last = await this.blocks.lastHeight(network);
    const from =
      last === null ? Math.max(1, tip - this.config.money.chainWalkStartDepth) : last + 1;
    const poolAddress = this.config.poolAddressOf(network);
    let poolBlocks = 0;
    for (let start = from; start <= tip; start += WALK_BATCH) {
      const heights = Array.from(
        { length: Math.min(WALK_BATCH, tip - start + 1) },
        (_, i) => start + i,
      );
      const subsidies = await client.batch(heights.map((h) => rpcCalls.subsidy(h)));
      const hashes = await client.batch(heights.map((h) => rpcCalls.getBlockHash(h)));
      const hashList = hashes.map((o, i) => {
        if (!o.ok) throw new Error(`getblockhash ${heights[i]}: ${o.error.message}`);
        return o.value;
      });
      const infos = await client.batch(hashList.map((hash) => rpcCalls.getBlock(hash)));
      const rows: NewBlock[] = [];
      heights.forEach((height, i) => {
        const subsidy = subsidies[i];
        const info = infos[i];
        if (!subsidy.ok) throw new Error(`exec subsidy ${height}: ${subsidy.error.message}`);
        if (!info.ok) throw new Error(`getblock ${height}: ${info.error.message}`);
        const s: SubsidyResult = subsidy.value;
        if (!s.found) return; // the tip moved back under us: the next walk sees it
        const block: BlockInfo = info.value;
        const isPoolBlock = s.recipient === poolAddress;
        if (isPoolBlock) poolBlocks++;
        rows.push({
          network,
          height,
          hash: hashList[i],
          chainTime: new Date(block.time * 1000),
          subsidy: s.subsidy,
          recipient: s.recipient,
          minerGuid: s.minerguid || null,
          isPoolBlock,
          confirmations: Math.max(0, block.confirmations),
        });
      });
      await this.blocks.insertBlocks(rows);
      const pool = rows.filter((r) => r.isPoolBlock).length;
      this.metrics?.blocksStored(network, pool, rows.length - pool);
    }
    if (poolBlocks > 0)
      this.logger.log(`${network}: ${poolBlocks} pool block(s) found up to height ${tip}`);
    return { from, to: tip, poolBlocks };
  }
}
