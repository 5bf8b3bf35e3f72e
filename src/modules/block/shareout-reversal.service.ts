import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { baseToCoins } from '../../biblepay/amount';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcError, rpcCalls } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { assertLeaseHeld } from '../../jobs/job-lease';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { LedgerRepository } from '../payout/ledger.repository';
import { BlockRepository, PoolBlock } from './block.repository';
import { deepReorgFloor } from './reorg-window';

/**
 * A reorg deeper than maturity can take away a pool block that was already shared out. Each run
 * re-checks the shared pool blocks within REORG_DEPTH of the tip by hash — and, deeper, those the
 * chain walker found displaced (it follows a reorg down past REORG_DEPTH); one the chain replaced
 * (buried ORPHAN_CONFIRMATIONS deep) is reversed in one transaction: orphaned and marked reversed,
 * its credits taken back from the miners' balances as far as they cover them, the part already
 * paid out recorded as the pool's loss (credit_reversal). Never silent: logged, counted in
 * /metrics, listed by the audit and on the miner pages.
 */
@Injectable()
export class ShareoutReversalService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ShareoutReversalService.name);

  constructor(
    private readonly blocks: BlockRepository,
    private readonly ledger: LedgerRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics?.sampledNetworkGauge(
      'purepool_reversed_blocks',
      'Pool blocks orphaned after their shareout (credits reversed), as the ledger holds them.',
      this.config.networks,
      async (network) => (await this.ledger.creditReversals(network)).size,
    );
    this.metrics?.sampledNetworkGauge(
      'purepool_pool_loss_base_units',
      'Reversed credits that had already been paid out (the pool loss), in base units.',
      this.config.networks,
      async (network) => {
        let loss = 0n;
        for (const r of (await this.ledger.creditReversals(network)).values()) loss += r.loss;
        return Number(loss);
      },
    );
  }

  async run(network: Network): Promise<number> {
    const tip = await this.nodes.of(network).getBlockCount();
    const depth = this.config.money.reorgDepth[network];
    // Those within REORG_DEPTH of the tip, and deeper ones the walker found displaced by the
    // chain's block at their height (a reorg deeper than REORG_DEPTH, followed down by the walker).
    const candidates = new Map<number, PoolBlock>();
    for (const block of [
      ...(await this.blocks.sharedPoolBlocks(network, tip - depth + 1)),
      ...(await this.blocks.displacedSharedPoolBlocks(network, deepReorgFloor(tip, depth))),
    ]) {
      if (block.height <= tip) candidates.set(block.id, block);
    }
    const shared = [...candidates.values()].sort((a, b) => a.height - b.height || a.id - b.id);
    if (shared.length === 0) return 0;
    const outcomes = await this.nodes
      .of(network)
      .batch(shared.map((b) => rpcCalls.getBlockHash(b.height)));
    let reversed = 0;
    for (const [i, block] of shared.entries()) {
      const outcome = outcomes[i];
      if (!outcome.ok) {
        if (outcome.error instanceof RpcError) continue; // the tip moved back under us: unknown
        throw outcome.error;
      }
      if (outcome.value === block.hash) continue;
      if (tip - block.height + 1 < this.config.money.orphanConfirmations) continue;
      if (await this.reverse(network, block)) reversed++;
    }
    return reversed;
  }

  private async reverse(network: Network, block: PoolBlock): Promise<boolean> {
    const parts = await this.blocks.transaction(async (manager) => {
      if (!(await this.blocks.markReversed(manager, block.id))) return null;
      const reversal = await this.ledger.reverseCredits(manager, network, block.id, block.height);
      // The commit is irreversible for the balances: only while this run still holds the lease.
      await assertLeaseHeld();
      return reversal;
    });
    if (parts === null) {
      this.logger.warn(`${network}: block ${block.height} changed meanwhile; not reversing it`);
      return false;
    }
    const taken = parts.reduce((sum, p) => sum + p.reversed, 0n);
    const loss = parts.reduce((sum, p) => sum + p.loss, 0n);
    this.metrics?.blockReversed(network, loss);
    // The chain changed from this height: what was stored above it is walked again.
    await this.blocks.orphanNonPoolAbove(network, block.height);
    this.logger.error(
      `${network}: pool block ${block.height} (${block.hash}) was orphaned after its shareout: ` +
        `${baseToCoins(taken)} BBP taken back from ${parts.length} miner balance(s), ` +
        `${baseToCoins(loss)} BBP already paid out is a pool loss`,
    );
    return true;
  }
}
