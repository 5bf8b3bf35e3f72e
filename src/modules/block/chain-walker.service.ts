import { Injectable, Logger, Optional } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { BatchOutcome, BlockInfo, CoinbaseInfo, RpcError, rpcCalls } from '../../biblepay/rpc';
import { extractXml } from '../../biblepay/xml-tag';
import { AppConfig } from '../../config/app-config';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { BlockRepository, NewBlock } from './block.repository';
import { DEEP_REORG_WINDOWS, deepReorgFloor } from './reorg-window';

const WALK_BATCH = 100;

/**
 * Walks the chain from the last stored height to the tip, storing every block with its chain
 * time, subsidy, recipient and MINERGUID. One block, read by its hash: `getblockhash H` first, then
 * everything else from the block with that hash (`getblock`, its serialized form decoded by
 * `exec hexblocktocoinbase`), so a reorg between two calls cannot pair one block's hash with
 * another's recipient. A block counts as the pool's only when it pays the pool address **and** the
 * pool wallet holds its coinbase (`gettransaction`), at the exact value the wallet received. Each walk first re-checks the last REORG_DEPTH
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
      const hashList: string[] = [];
      for (const outcome of await client.batch(heights.map((h) => rpcCalls.getBlockHash(h)))) {
        if (outcome.ok) {
          hashList.push(outcome.value);
          continue;
        }
        if (!(outcome.error instanceof RpcError)) throw outcome.error;
        break; // the tip moved back under us: the next walk sees it
      }
      if (hashList.length === 0) break;
      const infos = await client.batch(hashList.map((hash) => rpcCalls.getBlock(hash)));
      const hexes = await client.batch(hashList.map((hash) => rpcCalls.getBlockHex(hash)));
      const coinbases = await client.batch(
        hexes.map((hex, i) => {
          if (!hex.ok) throw new Error(`getblock ${hashList[i]} false: ${hex.error.message}`);
          return rpcCalls.hexBlockToCoinbase({ blockHex: hex.value });
        }),
      );
      const rows: (NewBlock & { coinbaseTxid: string | null })[] = [];
      hashList.forEach((hash, i) => {
        const height = heights[i];
        const info: BatchOutcome<BlockInfo> = infos[i];
        const coinbase: BatchOutcome<CoinbaseInfo> = coinbases[i];
        if (!info.ok) throw new Error(`getblock ${hash}: ${info.error.message}`);
        if (!coinbase.ok) {
          throw new Error(`exec hexblocktocoinbase (block ${hash}): ${coinbase.error.message}`);
        }
        const block = info.value;
        if (block.height !== height)
          throw new Error(`block ${hash} is at ${block.height}, not ${height}`);
        const cb = coinbase.value;
        rows.push({
          network,
          height,
          hash,
          chainTime: new Date(block.time * 1000),
          // Whole coins (the node's nValue / COIN); a pool block's exact value comes from the wallet.
          subsidy: cb.subsidy,
          recipient: cb.recipient,
          minerGuid: extractXml(cb.blockmessage ?? '', 'MINERGUID') || null,
          isPoolBlock: cb.recipient === poolAddress,
          confirmations: Math.max(0, block.confirmations),
          coinbaseTxid: block.tx?.[0] ?? cb.txid,
        });
      });
      await this.heldByTheWallet(network, rows);
      poolBlocks += rows.filter((r) => r.isPoolBlock).length;
      await this.blocks.insertBlocks(rows.map(({ coinbaseTxid: _txid, ...row }) => row));
      await this.blocks.unorphanNonPool(
        network,
        rows.filter((r) => !r.isPoolBlock),
      );
      const pool = rows.filter((r) => r.isPoolBlock).length;
      this.metrics?.blocksStored(network, pool, rows.length - pool);
      if (hashList.length < heights.length) break;
    }
    if (poolBlocks > 0)
      this.logger.log(`${network}: ${poolBlocks} pool block(s) found up to height ${tip}`);
    return { from, to: tip, poolBlocks };
  }

  /**
   * A block that pays the pool address is the pool's only when the pool wallet holds its coinbase
   * (`gettransaction` of the block's coinbase txid): then its subsidy is the exact value the
   * wallet received, not the whole coins `exec hexblocktocoinbase` reports. A coinbase the wallet
   * does not know (a node whose wallet is not the pool's, a block it never saw) is not counted and
   * credits nothing — no whole-coin fallback; the log says why.
   */
  private async heldByTheWallet(
    network: Network,
    rows: (NewBlock & { coinbaseTxid: string | null })[],
  ): Promise<void> {
    const candidates = rows.filter((r) => r.isPoolBlock);
    if (candidates.length === 0) return;
    const poolAddress = this.config.poolAddressOf(network);
    const asked = candidates.filter((r) => r.coinbaseTxid);
    const outcomes = await this.nodes
      .of(network)
      .batch(asked.map((r) => rpcCalls.getTransaction(r.coinbaseTxid!)));
    for (const row of candidates.filter((r) => !r.coinbaseTxid)) {
      row.isPoolBlock = false;
      this.logger.warn(
        `${network}: block ${row.height} (${row.hash}): no coinbase txid; not counted as the pool's`,
      );
    }
    asked.forEach((row, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (!(outcome.error instanceof RpcError)) throw outcome.error;
        row.isPoolBlock = false;
        this.logger.warn(
          `${network}: block ${row.height} (${row.hash}) pays the pool address but the wallet does not hold its coinbase (${outcome.error.message}): not counted as the pool's, nothing credited`,
        );
        return;
      }
      const tx = outcome.value;
      const paid = tx.details
        .filter((d) => d.address === poolAddress && d.category !== 'send')
        .reduce((sum, d) => sum + d.amount, 0n);
      const sameBlock = tx.blockhash === undefined || tx.blockhash === row.hash;
      if (paid <= 0n || !sameBlock) {
        row.isPoolBlock = false;
        this.logger.warn(
          `${network}: block ${row.height} (${row.hash}): the wallet's coinbase ${row.coinbaseTxid} ${paid <= 0n ? 'pays the pool nothing' : `is in block ${tx.blockhash}`}; not counted as the pool's`,
        );
        return;
      }
      row.subsidy = paid;
    });
  }

  /**
   * Compares the stored hashes of the last REORG_DEPTH heights up to `top` with the chain's;
   * returns the lowest height the chain has another block at (null: no change). When the lowest
   * stored height of that window was replaced, the reorg may reach deeper than REORG_DEPTH: the
   * stored heights below are compared too, a window at a time, until one agrees with the chain
   * (the fork point) — at most DEEP_REORG_WINDOWS windows down. So the chain's blocks there are
   * walked (a pool block among them found), the replaced non-pool rows orphaned, and a replaced
   * shared-out pool block is left displaced for the reversal, whatever the reorg's depth.
   */
  private async recheck(network: Network, top: number): Promise<number | null> {
    const depth = this.config.money.reorgDepth[network];
    const low = Math.max(1, top - depth + 1);
    const window = await this.compare(network, await this.blocks.currentRows(network, low, top));
    const replaced = window.flatMap((h) => h.replaced);
    const bottom = window[window.length - 1];
    // A reorg that replaced the lowest stored height of the window may reach deeper.
    let deeper = bottom && bottom.replaced.length > 0 ? bottom.height : null;
    const floor = deepReorgFloor(top, depth);
    let forkFound = true;
    while (deeper !== null) {
      if (deeper <= floor) {
        forkFound = false;
        break;
      }
      const page = await this.compare(
        network,
        await this.blocks.currentRows(network, Math.max(floor, deeper - depth), deeper - 1),
      );
      deeper = null;
      for (const height of page) {
        if (height.known && height.replaced.length === 0) break; // the fork point is above
        replaced.push(...height.replaced);
        deeper = height.height;
      }
      if (deeper !== null && deeper !== page[page.length - 1].height) deeper = null;
    }
    if (replaced.length === 0) return null;
    const lowest = Math.min(...replaced.map((r) => r.height));
    const orphaned = await this.blocks.orphanNonPool(network, replaced);
    if (lowest < low) {
      this.logger.warn(
        `${network}: a reorganisation deeper than REORG_DEPTH (${depth}): the chain differs from the stored blocks from height ${lowest}, below the re-checked ${low}..${top}; followed down`,
      );
    }
    if (!forkFound) {
      this.logger.error(
        `${network}: the chain differs from every stored block checked down to height ${lowest} (${DEEP_REORG_WINDOWS} × REORG_DEPTH below the window): not followed further — check the node; raise REORG_DEPTH_${network.toUpperCase()} if the reorg is real`,
      );
    }
    if (orphaned > 0) {
      this.logger.warn(
        `${network}: the chain was reorganised from height ${lowest}: ${orphaned} stored block(s) replaced`,
      );
    }
    return lowest;
  }

  /**
   * Stored rows against the chain, per height, highest first: the rows the chain replaced (it has
   * another block there); `known` is false above the node's tip (unknown, never replaced).
   */
  private async compare(
    network: Network,
    rows: readonly { height: number; hash: string }[],
  ): Promise<{ height: number; known: boolean; replaced: { height: number; hash: string }[] }[]> {
    const heights = [...new Set(rows.map((r) => r.height))].sort((a, b) => b - a);
    if (heights.length === 0) return [];
    const outcomes = await this.nodes
      .of(network)
      .batch(heights.map((h) => rpcCalls.getBlockHash(h)));
    return heights.map((height, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (outcome.error instanceof RpcError) return { height, known: false, replaced: [] };
        throw outcome.error;
      }
      const replaced = rows.filter((r) => r.height === height && r.hash !== outcome.value);
      return { height, known: true, replaced };
    });
  }
}
