import { Injectable, Logger, Optional } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { BatchOutcome, BlockInfo, RpcError, rpcCalls, SubsidyResult } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { BlockRepository, NewBlock } from './block.repository';

const WALK_BATCH = 100;

/**
 * Walks the chain from the last stored height to the tip with `exec subsidy`, getblockhash and
 * getblock (batched), storing every block with its chain time, subsidy, recipient and MINERGUID.
 * A block paying the pool address is a pool block. Each walk first re-checks the last REORG_DEPTH
 * stored heights by hash: a reorganised height is walked again (so a pool block that appears at an
 * already-walked height is found) and the replaced non-pool rows are marked orphaned. A node that
 * is behind (its tip below what was stored) changes nothing: heights above its tip are unknown.
 */
@Injectable()
export class ChainWalkerService {
  private readonly logger = new Logger(ChainWalkerService.name);

  constructor(
    private readonly blocks: BlockRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  async walk(network: Network): Promise<{ from: number; to: number; poolBlocks: number }> {
    const client = this.nodes.of(network);
    const tip = await client.getBlockCount();
    const last = await this.blocks.lastHeight(network);
    let from = last === null ? Math.max(1, tip - this.config.money.chainWalkStartDepth) : last + 1;
    if (last !== null) {
      const changed = await this.recheck(network, Math.min(last, tip));
      if (changed !== null) from = Math.min(from, changed);
    }
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
      await this.exactPoolSubsidies(network, rows, infos);
      await this.blocks.insertBlocks(rows);
      await this.blocks.unorphanNonPool(
        network,
        rows.filter((r) => !r.isPoolBlock),
      );
      const pool = rows.filter((r) => r.isPoolBlock).length;
      this.metrics?.blocksStored(network, pool, rows.length - pool);
    }
    if (poolBlocks > 0)
      this.logger.log(`${network}: ${poolBlocks} pool block(s) found up to height ${tip}`);
    return { from, to: tip, poolBlocks };
  }

  /**
   * `exec subsidy` reports whole coins (nValue / COIN): a pool block's subsidy is the exact value
   * its coinbase paid the pool address, read from the pool wallet's own coinbase transaction. When
   * the wallet cannot tell (not the pool's wallet), the whole-coin value stays and a warning says so.
   */
  private async exactPoolSubsidies(
    network: Network,
    rows: NewBlock[],
    infos: BatchOutcome<BlockInfo>[],
  ): Promise<void> {
    const pool = rows.filter((r) => r.isPoolBlock);
    if (pool.length === 0) return;
    const txidOf = new Map<string, string>();
    for (const outcome of infos) {
      if (outcome.ok && outcome.value.tx?.[0]) txidOf.set(outcome.value.hash, outcome.value.tx[0]);
    }
    const asked = pool.filter((r) => txidOf.has(r.hash));
    const outcomes = await this.nodes
      .of(network)
      .batch(asked.map((r) => rpcCalls.getTransaction(txidOf.get(r.hash)!)));
    const poolAddress = this.config.poolAddressOf(network);
    asked.forEach((row, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (!(outcome.error instanceof RpcError)) throw outcome.error;
        this.logger.warn(
          `${network}: pool block ${row.height}: the wallet does not know its coinbase (${outcome.error.message}); crediting the node's whole-coin subsidy`,
        );
        return;
      }
      const paid = outcome.value.details
        .filter((d) => d.address === poolAddress && d.category !== 'send')
        .reduce((sum, d) => sum + d.amount, 0n);
      if (paid > 0n) row.subsidy = paid;
    });
    for (const row of pool.filter((r) => !txidOf.has(r.hash))) {
      this.logger.warn(`${network}: pool block ${row.height}: no coinbase txid from getblock`);
    }
  }

  /**
   * Compares the stored hashes of the last REORG_DEPTH heights up to `top` with the chain's;
   * returns the lowest height the chain has another block at (null: no change).
   */
  private async recheck(network: Network, top: number): Promise<number | null> {
    const low = Math.max(1, top - this.config.money.reorgDepth[network] + 1);
    const stored = await this.blocks.currentHashes(network, low, top);
    if (stored.size === 0) return null;
    const heights = [...stored.keys()].sort((a, b) => a - b);
    const outcomes = await this.nodes
      .of(network)
      .batch(heights.map((h) => rpcCalls.getBlockHash(h)));
    const replaced: { height: number; hash: string }[] = [];
    heights.forEach((height, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (outcome.error instanceof RpcError) return; // above the node's tip: unknown, not changed
        throw outcome.error;
      }
      const hash = stored.get(height)!;
      if (outcome.value !== hash) replaced.push({ height, hash });
    });
    if (replaced.length === 0) return null;
    const orphaned = await this.blocks.orphanNonPool(network, replaced);
    const lowest = replaced[0].height;
    if (orphaned > 0) {
      this.logger.warn(
        `${network}: the chain was reorganised from height ${lowest}: ${orphaned} stored block(s) replaced`,
      );
    }
    return lowest;
  }
}
