import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { NodeClients } from '../../biblepay/node-clients';
import { SolutionQueueServer } from '../../messaging/solution-queue.server';
import { BlockRepository } from '../block/block.repository';

/**
 * `node_<network>` indicators for /health: the node answers getblockcount within 3 s. A node behind
 * the chain the pool has already seen (restarted with -reindex, still syncing, another node behind
 * the URL) is reported (`behind: true` and a message) but stays up: the backend handles it — pool
 * blocks above its tip wait, nothing is orphaned — and restarting the backend would not help.
 * Also `solutions`: the solution consumer, up while it runs, with the batches it holds unacked
 * because the node or the database is down (`waiting.database`: since when, how many batches,
 * the last error) — they are recorded once it is back; restarting the backend would not help.
 */
@Injectable()
export class NodeHealthIndicators {
  constructor(
    private readonly nodes: NodeClients,
    private readonly indicator: HealthIndicatorService,
    private readonly blocks: BlockRepository,
    private readonly moduleRef: ModuleRef,
  ) {}

  indicators(): HealthIndicatorFunction[] {
    return [...this.nodeIndicators(), () => this.solutions()];
  }

  private solutions() {
    const check = this.indicator.check('solutions');
    let consumer: SolutionQueueServer | undefined;
    try {
      consumer = this.moduleRef.get(SolutionQueueServer, { strict: false });
    } catch {
      consumer = undefined;
    }
    if (!consumer?.isConsuming()) return check.up({ consuming: false });
    const waiting = Object.fromEntries(
      Object.entries(consumer.waiting()).map(([reason, w]) => [
        reason,
        { batches: w.batches, since: w.since.toISOString(), message: w.message },
      ]),
    );
    return check.up({ consuming: true, waiting });
  }

  private nodeIndicators(): HealthIndicatorFunction[] {
    return this.nodes.entries().map(([network, client]) => async () => {
      const check = this.indicator.check(`node_${network}`);
      let height: number;
      try {
        height = await withTimeout(client.getBlockCount(), 3000);
      } catch (error) {
        return check.down({ message: (error as Error).message });
      }
      // The database down must not turn /health into a 500: its own indicator reports it.
      const seen = await this.blocks.lastHeight(network).catch(() => null);
      // The node's generation (NODE_FLAVOR_<NET> or detected) and what the operator must fix.
      const { flavor, version, warnings } = this.nodes.flavorReport(network);
      const generation = { flavor, version, ...(warnings.length > 0 ? { warnings } : {}) };
      if (seen !== null && height < seen) {
        return check.up({
          ...generation,
          height,
          seen,
          behind: true,
          message: `node is behind: its tip is ${height}, the pool has seen ${seen}; pool blocks above it wait`,
        });
      }
      return check.up({ ...generation, height, behind: false });
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
