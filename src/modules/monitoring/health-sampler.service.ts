import { Injectable } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { NodeClients } from '../../biblepay/node-clients';
import { DEAD_LETTER_QUEUE, solutionQueueNames } from '../../messaging/broker-topology';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { BlockRepository } from '../block/block.repository';
import { PaymentRepository } from '../payout/payment.repository';
import { LedgerHealth, ledgerHealthOf } from './ledger-health';
import { QueueInspector, QueueStats } from './queue-inspector';

/**
 * What the monitoring jobs sample: the node's tip, the ledger's health (the audit and the funding
 * report themselves, not a second implementation of them) and the broker's queues.
 */
@Injectable()
export class HealthSamplerService {
  constructor(
    private readonly nodes: NodeClients,
    private readonly audit: AuditService,
    private readonly blocks: BlockRepository,
    private readonly payments: PaymentRepository,
    private readonly queues: QueueInspector,
    private readonly config: AppConfig,
  ) {}

  /** The node's tip and when its block was made (unix ms, by the node's own clock). */
  async tip(network: Network): Promise<{ height: number; timeMs: number }> {
    const info = await this.nodes.of(network).pinfo();
    return { height: info.height, timeMs: Date.now() - info.elapsed * 1000 };
  }

  async ledger(network: Network, now: Date): Promise<LedgerHealth> {
    const audit = await this.audit.audit(network, now);
    const funding = await this.audit.funding(network);
    const open = await this.payments.openIntents(network);
    const poolBlocks = await this.blocks.poolBlocksByStatus(network);
    return ledgerHealthOf(audit, funding, open, poolBlocks, now);
  }

  /**
   * The solution queue's depth summed over its shards and its consumers counted on the least
   * served shard (a shard nobody consumes is what the no-consumer alert is for).
   */
  async brokerQueues(): Promise<{ solutions: QueueStats | null; deadLetters: QueueStats | null }> {
    let solutions: QueueStats | null = null;
    for (const queue of solutionQueueNames(this.config.solutionQueueShards)) {
      const stats = await this.queues.inspect(queue);
      if (!stats) {
        solutions = null;
        break;
      }
      solutions = solutions
        ? {
            messages: solutions.messages + stats.messages,
            consumers: Math.min(solutions.consumers, stats.consumers),
          }
        : stats;
    }
    return { solutions, deadLetters: await this.queues.inspect(DEAD_LETTER_QUEUE) };
  }
}
