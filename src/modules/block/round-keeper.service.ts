import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { AppConfig } from '../../config/app-config';
import { SOLUTION_BACKLOG, SolutionBacklog } from '../solution/solution-backlog';
import { SolutionRepository } from '../solution/solution.repository';
import { BlockRepository, PoolBlock } from './block.repository';

/**
 * Keeps pool blocks honest until they are shared out: re-checks each against the chain; after
 * enough confirmations marks it mature and fixes its round (PROP: the unassigned accepted shares up
 * to its chain time); when the chain no longer has it (another hash or recipient at its height) it
 * is orphaned and its shares stay for — or move to — the next pool block's round.
 */
@Injectable()
export class RoundKeeper {
  private readonly logger = new Logger(RoundKeeper.name);
  /** Mature blocks whose round waits for the share backlog: since when (unix ms). */
  private readonly waitingSince = new Map<number, number>();

  constructor(
    private readonly blocks: BlockRepository,
    private readonly solutions: SolutionRepository,
    private readonly nodes: NodeClients,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async update(
    network: Network,
  ): Promise<{ assigned: number; matured: number; orphaned: number; waiting: number }> {
    const client = this.nodes.of(network);
    const tip = await client.getBlockCount();
    const poolAddress = this.config.poolAddressOf(network);
    const maturity = this.config.money.maturity[network];
    const result = { assigned: 0, matured: 0, orphaned: 0, waiting: 0 };

    const open = await this.blocks.openPoolBlocks(network);
    for (const block of open) {
      const stillOurs = await this.stillOnChain(network, block, poolAddress);
      if (!stillOurs) {
        await this.orphan(network, block, open);
        result.orphaned++;
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
          await this.blocks.transaction(async (manager) => {
            await this.solutions.assignRound(manager, network, block.id, roundEnd(block));
            await this.blocks.markRoundAssigned(manager, block.id);
          });
          block.roundAssigned = true;
          result.assigned++;
        }
        await this.blocks.setStatus(block.id, 'mature', confirmations);
        block.status = 'mature';
        result.matured++;
      }
    }
    await this.blocks.markNonPoolMature(network, tip - maturity + 1);
    return result;
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

  private async stillOnChain(
    network: Network,
    block: PoolBlock,
    poolAddress: string,
  ): Promise<boolean> {
    const client = this.nodes.of(network);
    const subsidy = await client.subsidy(block.height);
    if (!subsidy.found || subsidy.recipient !== poolAddress) return false;
    return (await client.getBlockHash(block.height)) === block.hash;
  }

  private async orphan(network: Network, block: PoolBlock, open: PoolBlock[]): Promise<void> {
    const next = open.find(
      (b) => b.height > block.height && b.status !== 'orphaned' && b.roundAssigned,
    );
    await this.blocks.transaction(async (manager) => {
      await this.solutions.moveRound(manager, block.id, next?.id ?? null);
    });
    await this.blocks.setStatus(block.id, 'orphaned', 0);
    block.status = 'orphaned';
    // The chain changed from this height: forget what we stored above it and walk it again.
    await this.blocks.orphanNonPoolAbove(network, block.height);
    this.logger.warn(
      `${network}: pool block ${block.height} (${block.hash}) orphaned; its shares move to ${next ? `block ${next.height}` : 'the next pool block'}`,
    );
  }
}

/**
 * A block's round ends at its chain time. Chain times have whole-second precision, so shares
 * accepted within the block's second count as before it: the share that found the block is in.
 */
export function roundEnd(block: PoolBlock): Date {
  return new Date(block.chainTime.getTime() + 999);
}
