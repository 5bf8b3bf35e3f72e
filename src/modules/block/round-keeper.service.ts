import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcError } from '../../biblepay/rpc';
import { AppConfig } from '../../config/app-config';
import { SOLUTION_BACKLOG, SolutionBacklog } from '../../messaging/solution-backlog';
import { RoundRepository } from '../solution/round.repository';
import { BlockRepository, PoolBlock } from './block.repository';

/**
 * Keeps pool blocks honest until they are shared out: re-checks each against the chain; after
 * enough confirmations marks it mature and fixes its round (PROP: the unassigned accepted shares
 * received up to its chain time). A block above the node's tip is unknown, not orphaned (the node
 * is behind). When the chain has another block at its height, buried ORPHAN_CONFIRMATIONS deep, it
 * is orphaned and its shares stay for — or move to — the next pool block's round; an orphaned
 * pool block that comes back within REORG_DEPTH is restored.
 */
@Injectable()
export class RoundKeeperService {
  private readonly logger = new Logger(RoundKeeperService.name);
  /** Mature blocks whose round waits for the share backlog: since when (unix ms). */
  private readonly waitingSince = new Map<number, number>();

  constructor(
    private readonly blocks: BlockRepository,
    private readonly rounds: RoundRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async update(network: Network): Promise<{
    assigned: number;
    matured: number;
    orphaned: number;
    restored: number;
    waiting: number;
  }> {
    const client = this.nodes.of(network);
    const tip = await client.getBlockCount();
    const maturity = this.config.money.maturity[network];
    const result = { assigned: 0, matured: 0, orphaned: 0, restored: 0, waiting: 0 };

    result.restored = await this.restoreReturned(network, tip);
    const open = await this.blocks.openPoolBlocks(network);
    for (const block of open) {
      const onChain = await this.chainHas(network, block, tip);
      if (onChain === 'unknown') {
        // Above the node's tip (restarted with -reindex, still syncing, another node): wait.
        result.waiting++;
        continue;
      }
      if (onChain === 'replaced') {
        // Orphaned only once the replacing block is buried deep enough; until then it may flip back.
        if (tip - block.height + 1 >= this.config.money.orphanConfirmations) {
          await this.orphan(network, block, open);
          result.orphaned++;
        } else result.waiting++;
        continue;
      }
      const confirmations = tip - block.height + 1;
      if (block.status === 'pending' && confirmations >= maturity) {
        // The round is fixed at maturity, not when the block is first seen: by then every share
        // accepted before the block (including the one that found it, which may still have been
        // in the queue when the block reached the chain) is recorded.
        if (!block.roundAssigned) {
          if (!(await this.backlogSettled(network, block))) {
            result.waiting++;
            continue;
          }
          const assigned = await this.blocks.transaction(async (manager) => {
            // The mark first: it locks the block row, so two runs never assign one round twice.
            if (!(await this.blocks.markRoundAssigned(manager, block.id))) return false;
            const upTo = await this.rounds.roundEnd(block, manager);
            await this.rounds.assignRound(manager, network, block.id, upTo);
            return true;
          });
          if (!assigned) {
            this.logger.warn(`${network}: block ${block.height} changed meanwhile; left as it is`);
            continue;
          }
          block.roundAssigned = true;
          result.assigned++;
        }
        if (await this.blocks.transition(block.id, 'pending', 'mature', confirmations)) {
          block.status = 'mature';
          result.matured++;
        } else
          this.logger.warn(`${network}: block ${block.height} changed meanwhile; left as it is`);
      }
    }
    await this.blocks.markNonPoolMature(network, tip - maturity + 1);
    return result;
  }

  /** Whether the chain still has this block: yes, another block at its height, or unknown. */
  private async chainHas(
    network: Network,
    block: PoolBlock,
    tip: number,
  ): Promise<'ours' | 'replaced' | 'unknown'> {
    if (block.height > tip) return 'unknown';
    try {
      const hash = await this.nodes.of(network).getBlockHash(block.height);
      return hash === block.hash ? 'ours' : 'replaced';
    } catch (error) {
      if (error instanceof RpcError) return 'unknown'; // the tip moved back under us
      throw error;
    }
  }

  /** Orphaned pool blocks within the reorg window that the chain has again (A → B → A). */
  private async restoreReturned(network: Network, tip: number): Promise<number> {
    const floor = tip - this.config.money.reorgDepth[network] + 1;
    let restored = 0;
    for (const block of await this.blocks.orphanedPoolBlocks(network, floor)) {
      if ((await this.chainHas(network, block, tip)) !== 'ours') continue;
      if (await this.blocks.restoreOrphaned(block.id)) {
        restored++;
        this.logger.warn(
          `${network}: pool block ${block.height} (${block.hash}) is on the chain again: restored`,
        );
      }
    }
    return restored;
  }

  /**
   * True once no share can still be on its way into this block's round: the backlog drained, or
   * ROUND_BACKLOG_WAIT_SECONDS passed since the block matured (then the round is fixed as it is).
   */
  private async backlogSettled(network: Network, block: PoolBlock): Promise<boolean> {
    const backlog = this.backlog();
    if (!backlog || (await backlog.drained())) {
      this.waitingSince.delete(block.id);
      return true;
    }
    const now = Date.now();
    const since = this.waitingSince.get(block.id) ?? now;
    this.waitingSince.set(block.id, since);
    if (now - since < this.config.money.roundBacklogWaitSeconds * 1000) {
      this.logger.log(
        `${network}: block ${block.height} is mature; its round waits for queued shares`,
      );
      return false;
    }
    this.waitingSince.delete(block.id);
    this.logger.warn(
      `${network}: block ${block.height}: shares still queued after ${this.config.money.roundBacklogWaitSeconds} s; fixing its round as it is`,
    );
    return true;
  }

  private backlog(): SolutionBacklog | undefined {
    try {
      return this.moduleRef.get<SolutionBacklog>(SOLUTION_BACKLOG, { strict: false });
    } catch {
      return undefined; // the CLI has no consumer
    }
  }

  private async orphan(network: Network, block: PoolBlock, open: PoolBlock[]): Promise<void> {
    const next = open.find(
      (b) => b.height > block.height && b.status !== 'orphaned' && b.roundAssigned,
    );
    const orphaned = await this.blocks.transaction(async (manager) => {
      if (!(await this.blocks.transition(block.id, block.status, 'orphaned', 0, manager))) {
        return false; // another run shared it out or orphaned it first
      }
      await this.rounds.moveRound(manager, block.id, next?.id ?? null);
      return true;
    });
    if (!orphaned) {
      this.logger.warn(`${network}: block ${block.height} changed meanwhile; not orphaning it`);
      return;
    }
    block.status = 'orphaned';
    // The chain changed from this height: forget what we stored above it and walk it again.
    await this.blocks.orphanNonPoolAbove(network, block.height);
    this.logger.warn(
      `${network}: pool block ${block.height} (${block.hash}) orphaned; its shares move to ${next ? `block ${next.height}` : 'the next pool block'}`,
    );
  }
}
